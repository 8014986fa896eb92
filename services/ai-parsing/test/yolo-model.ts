/**
 * A tiny ONNX model with YOLOv8's interface, built in the test with onnx-proto: input `images`
 * float32 [1, 3, 640, 640], output `output0` [1, 4 + C, N]. The output is a constant of
 * hand-designed detections plus, for chosen anchors, a class score equal to the mean of one
 * input channel — so the input is really consumed, and the letterbox, the 0..1 scaling and the
 * RGB channel order are visible in the result:
 *
 *   means   = ReduceMean(images, axes=[2, 3])        [1, 3]
 *   output0 = Add(detections, Reshape(MatMul(means, W), [1, 4 + C, N]))
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { onnx } from "onnx-proto";

export const ANCHORS = 8400;

/** An anchor's box (model-input pixels, centre and size) and its class scores by class id. */
export interface DesignedAnchor {
  cx: number;
  cy: number;
  w: number;
  h: number;
  scores: Record<number, number>;
}

export interface TinyYoloOptions {
  classes: number;
  /** Anchor i of the output is `anchors[i]`; the rest score 0 everywhere. */
  anchors: DesignedAnchor[];
  /** Anchors whose `classId` score is the mean of input channel `channel` (0 R, 1 G, 2 B). */
  channelMeanScores?: { anchor: number; classId: number; channel: 0 | 1 | 2 }[];
  /** `metadata_props` (Ultralytics puts `names`, `task`, `imgsz`... here). */
  metadata?: Record<string, string>;
  /** Output shape; anything but [1, 4 + C, N] makes a model with the wrong layout. @default [1, 4 + classes, ANCHORS] */
  outputDims?: number[];
}

const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT64 = onnx.TensorProto.DataType.INT64;
const { INT, INTS } = onnx.AttributeProto.AttributeType;

const bytesOf = (array: Float32Array | BigInt64Array) => new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
const valueInfo = (name: string, dims: number[]) => ({ name, type: { tensorType: { elemType: FLOAT, shape: { dim: dims.map((dimValue) => ({ dimValue })) } } } });

export function tinyYoloModel(options: TinyYoloOptions): Uint8Array {
  const rows = 4 + options.classes;
  const n = ANCHORS;
  const detections = new Float32Array(rows * n);
  options.anchors.forEach((a, i) => {
    detections[i] = a.cx;
    detections[n + i] = a.cy;
    detections[2 * n + i] = a.w;
    detections[3 * n + i] = a.h;
    for (const [classId, score] of Object.entries(a.scores)) detections[(4 + Number(classId)) * n + i] = score;
  });
  const weights = new Float32Array(3 * rows * n);
  for (const { anchor, classId, channel } of options.channelMeanScores ?? []) weights[channel * rows * n + (4 + classId) * n + anchor] = 1;
  const outputDims = options.outputDims ?? [1, rows, n];
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: "abode-test",
    producerVersion: "1",
    opsetImport: [{ domain: "", version: 13 }],
    metadataProps: Object.entries(options.metadata ?? {}).map(([key, value]) => ({ key, value })),
    graph: {
      name: "tiny-yolo",
      input: [valueInfo("images", [1, 3, 640, 640])],
      output: [valueInfo("output0", outputDims)],
      initializer: [
        { name: "detections", dataType: FLOAT, dims: outputDims, rawData: bytesOf(detections) },
        { name: "W", dataType: FLOAT, dims: [3, rows * n], rawData: bytesOf(weights) },
        { name: "shape", dataType: INT64, dims: [outputDims.length], rawData: bytesOf(BigInt64Array.from(outputDims.map(BigInt))) },
      ],
      node: [
        { opType: "ReduceMean", input: ["images"], output: ["means"], attribute: [{ name: "axes", type: INTS, ints: [2, 3] }, { name: "keepdims", type: INT, i: 0 }] },
        { opType: "MatMul", input: ["means", "W"], output: ["flat"] },
        { opType: "Reshape", input: ["flat", "shape"], output: ["fromInput"] },
        { opType: "Add", input: ["detections", "fromInput"], output: ["output0"] },
      ],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

export function writeModel(dir: string, name: string, options: TinyYoloOptions): string {
  const file = path.join(dir, name);
  writeFileSync(file, tinyYoloModel(options));
  return file;
}

/**
 * The model most tests use: classes Door, window, Room, stairs (mixed case on purpose), in
 * Ultralytics' metadata format, and these anchors (model-input pixels):
 *
 * | anchor | box (cx, cy, w, h) | best class, score | why |
 * | 0 | 320, 320, 200, 100 | Door 0.9 | kept |
 * | 1 | 330, 320, 200, 100 | Door 0.8 | IoU 0.905 with 0 → suppressed |
 * | 2 | 330, 320, 200, 100 | window 0.85 (Door 0.1) | same box as 1, other class → kept |
 * | 3 | 100, 400, 60, 60 | Door 0.3 | kept at 0.25, not at 0.5 |
 * | 4 | 500, 100, 50, 50 | Door 0.2 | under the threshold |
 * | 5 | 370, 320, 200, 100 | Door 0.7 | IoU 0.6 with 0: kept at NMS 0.7, suppressed at 0.5 |
 * | 6 | 320, 320, 600, 400 | Room 0.6 | reaches into the padding → clipped |
 * | 7 | 600, 320, 20, 20 | stairs = mean of R | |
 * | 8 | 40, 320, 20, 20 | stairs = mean of B | |
 * | 9 | 200, 200, 10, 10 | window 0.25 | exactly the threshold → dropped (strictly above) |
 */
export const CLASS_NAMES = ["Door", "window", "Room", "stairs"];
export const ULTRALYTICS_NAMES = "{0: 'Door', 1: 'window', 2: 'Room', 3: 'stairs'}";
export const standardModel = (metadata: Record<string, string> = { names: ULTRALYTICS_NAMES, task: "detect", imgsz: "[640, 640]" }): TinyYoloOptions => ({
  classes: 4,
  anchors: [
    { cx: 320, cy: 320, w: 200, h: 100, scores: { 0: 0.9 } },
    { cx: 330, cy: 320, w: 200, h: 100, scores: { 0: 0.8 } },
    { cx: 330, cy: 320, w: 200, h: 100, scores: { 0: 0.1, 1: 0.85 } },
    { cx: 100, cy: 400, w: 60, h: 60, scores: { 0: 0.3 } },
    { cx: 500, cy: 100, w: 50, h: 50, scores: { 0: 0.2 } },
    { cx: 370, cy: 320, w: 200, h: 100, scores: { 0: 0.7 } },
    { cx: 320, cy: 320, w: 600, h: 400, scores: { 2: 0.6 } },
    { cx: 600, cy: 320, w: 20, h: 20, scores: {} },
    { cx: 40, cy: 320, w: 20, h: 20, scores: {} },
    { cx: 200, cy: 200, w: 10, h: 10, scores: { 1: 0.25 } },
  ],
  channelMeanScores: [
    { anchor: 7, classId: 3, channel: 0 },
    { anchor: 8, classId: 3, channel: 2 },
  ],
  metadata,
});
