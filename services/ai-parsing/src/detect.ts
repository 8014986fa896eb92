/** One image through the pipeline: header check → letterbox → model → decode → NMS → back to image pixels. */
import { performance } from "node:perf_hooks";
import { decodeDetections, outputLayout } from "./decode";
import { round2, type Box } from "./geometry";
import { letterboxedInput, readImageHeader, type ImageHeader } from "./image";
import { letterboxParams, touchesImage, unletterboxBox, type Letterbox } from "./letterbox";
import type { LoadedModel, ModelOutput } from "./model";
import { nonMaxSuppression } from "./nms";

export interface DetectionParameters {
  /** Keep boxes whose best class score is above this. */
  confidence: number;
  /** Class-wise NMS drops a box overlapping a better one of its class by more than this IoU. */
  iou: number;
  maxDetections: number;
}

export interface DetectedObject {
  class: string;
  classId: number;
  confidence: number;
  /** In source-image pixels, clipped to the image. */
  box: Box;
}

export interface Detection {
  objects: DetectedObject[];
  image: ImageHeader;
  model: { name: string; sha256: string; executionProvider: string; input: { width: number; height: number }; classes: number; classNamesSource: string };
  parameters: DetectionParameters;
  timings: { preprocessMs: number; inferenceMs: number; postprocessMs: number; totalMs: number };
}

/** The model's raw output → objects in source-image pixels, best first. Pure. */
export function postprocess(output: ModelOutput, letterbox: Letterbox, classNames: readonly string[], parameters: DetectionParameters): DetectedObject[] {
  const layout = outputLayout(output.dims);
  if (typeof layout === "string") throw new Error(layout);
  if (layout.classes !== classNames.length) throw new Error(`output scores ${layout.classes} classes, ${classNames.length} names known`);
  // A box wholly in the padding is not in the image: dropped before it can suppress or take a slot.
  const candidates = decodeDetections(output.data, layout, parameters.confidence).filter((c) => touchesImage(c, letterbox));
  const kept = nonMaxSuppression(candidates, { iouThreshold: parameters.iou, maxDetections: parameters.maxDetections });
  return kept.map((c) => {
    const box = unletterboxBox(c, letterbox);
    return {
      class: classNames[c.classId] as string,
      classId: c.classId,
      confidence: Math.round(c.score * 1e4) / 1e4,
      box: { x1: round2(box.x1), y1: round2(box.y1), x2: round2(box.x2), y2: round2(box.y2) },
    };
  });
}

const ms = (from: number, to: number) => round2(to - from);

export async function detect(bytes: Buffer, model: LoadedModel, parameters: DetectionParameters, maxInputPixels: number): Promise<Detection> {
  const started = performance.now();
  const image = await readImageHeader(bytes, maxInputPixels);
  const letterbox = letterboxParams(image, model.info.input);
  const input = await letterboxedInput(bytes, letterbox, maxInputPixels);
  const preprocessed = performance.now();
  const output = await model.run(input);
  const inferred = performance.now();
  const objects = postprocess(output, letterbox, model.info.classNames, parameters);
  const done = performance.now();
  const { info } = model;
  return {
    objects,
    image,
    model: {
      name: info.name,
      sha256: info.sha256,
      executionProvider: info.executionProvider,
      input: { width: info.input.width, height: info.input.height },
      classes: info.output.classes,
      classNamesSource: info.classNamesSource,
    },
    parameters,
    timings: { preprocessMs: ms(started, preprocessed), inferenceMs: ms(preprocessed, inferred), postprocessMs: ms(inferred, done), totalMs: ms(started, done) },
  };
}
