/** Where class names and settings come from: Ultralytics' metadata, the ONNX file's top level, the environment. */
import { onnx } from "onnx-proto";
import { parseClassNamesJson, parseUltralyticsNames } from "../src/class-names";
import { parseConfig } from "../src/config";
import { inputSize, modelFile } from "../src/model";
import { readOnnxMetadata } from "../src/onnx-metadata";
import { standardModel, tinyYoloModel } from "./yolo-model";

describe("Ultralytics names (a Python dict literal)", () => {
  test("single and double quotes, escapes, unicode, any spacing", () => {
    const text = `{0: 'door', 1: "men's room", 2: 'say \\'hi\\'', 3:'back\\\\slash',4 : 'Fenêtre', 5: 'tab\\there'}`;
    expect(parseUltralyticsNames(text)).toEqual({ ok: true, names: ["door", "men's room", "say 'hi'", "back\\slash", "Fenêtre", "tab\there"] });
  });

  test("the 80 COCO-style entries of a real export parse in order", () => {
    const names = Array.from({ length: 80 }, (_, i) => `class ${i}`);
    const text = `{${names.map((n, i) => `${i}: '${n}'`).join(", ")}}`;
    expect(parseUltralyticsNames(text)).toEqual({ ok: true, names });
  });

  test.each([
    ["['door', 'window']", /not a \{index: 'name'\} dict/],
    ["{0: 'door', 2: 'window'}", /outside 0\.\.1/],
    ["{0: 'door', 0: 'window'}", /appears twice/],
    ["{0: door}", /unreadable from character 1/],
    ["{}", /no class names/],
    ["{0: ''}", /empty name/],
  ])("%s is refused", (text, error) => {
    const parsed = parseUltralyticsNames(text);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.error).toMatch(error);
  });
});

describe("configured names (JSON)", () => {
  test("an array or an index object", () => {
    expect(parseClassNamesJson('["door", "window"]')).toEqual({ ok: true, names: ["door", "window"] });
    expect(parseClassNamesJson('{"1": "window", "0": "door"}')).toEqual({ ok: true, names: ["door", "window"] });
  });
  test.each([
    ["door", /not JSON/],
    ['["door", 3]', /strings only/],
    ['{"a": "door"}', /not a class index/],
    ['{"0": "door", "2": "x"}', /outside/],
    ["42", /expected/],
  ])("%s is refused", (text, error) => {
    const parsed = parseClassNamesJson(text);
    expect(!parsed.ok && parsed.error).toMatch(error);
  });
});

describe("ONNX top-level metadata, read without the protobuf bindings", () => {
  test("agrees with what onnx-proto wrote, graph skipped", () => {
    const bytes = tinyYoloModel(standardModel({ names: "{0: 'a'}", task: "detect", "ünïcode": "välue" }));
    const decoded = onnx.ModelProto.decode(bytes);
    const read = readOnnxMetadata(bytes);
    expect(read).toEqual({
      irVersion: Number(decoded.irVersion),
      producerName: "abode-test",
      producerVersion: "1",
      props: { names: "{0: 'a'}", task: "detect", "ünïcode": "välue" },
    });
  });

  test("model_version past 2^31 stays exact", () => {
    const bytes = onnx.ModelProto.encode(onnx.ModelProto.create({ irVersion: 8, modelVersion: 2 ** 40 + 3 })).finish();
    expect(readOnnxMetadata(bytes).modelVersion).toBe(2 ** 40 + 3);
  });

  test("malformed bytes say where", () => {
    const bytes = tinyYoloModel(standardModel());
    expect(() => readOnnxMetadata(bytes.subarray(0, bytes.length - 10))).toThrow(/not a readable ONNX model: field \d+ runs past the end/);
    expect(() => readOnnxMetadata(Uint8Array.from([0x0b]))).toThrow(/unsupported wire type 3/);
    expect(() => readOnnxMetadata(Uint8Array.from([0x08, 0xff]))).toThrow(/truncated or overlong varint at byte 1/);
  });
});

describe("model location and input size", () => {
  test("a path is used; s3 and other URLs are refused with the reason", () => {
    expect(modelFile("/var/lib/abode/models/m.onnx")).toBe("/var/lib/abode/models/m.onnx");
    expect(() => modelFile(undefined)).toThrow(/AI_PARSING_MODEL_PATH is not set/);
    expect(() => modelFile("s3://bucket/m.onnx")).toThrow(/s3 models are not supported yet/);
    expect(() => modelFile("https://example.com/m.onnx")).toThrow(/unsupported model location/);
  });

  test("static shape, else imgsz metadata, else 640; a non-image input is refused", () => {
    expect(inputSize([1, 3, 480, 640], undefined)).toEqual({ width: 640, height: 480 });
    expect(inputSize(["batch", 3, "height", "width"], "[1280, 960]")).toEqual({ height: 1280, width: 960 });
    expect(inputSize(["batch", 3, "h", "w"], "320")).toEqual({ height: 320, width: 320 });
    expect(inputSize(["batch", 3, "h", "w"], undefined)).toEqual({ height: 640, width: 640 });
    expect(inputSize([1, 1, 640, 640], undefined)).toMatch(/expected an image input/);
    expect(inputSize([1, 3, 640], undefined)).toMatch(/expected an image input/);
  });
});

describe("environment", () => {
  test("defaults", () => {
    const config = parseConfig({});
    expect(config.detection).toEqual({ confidence: 0.25, iou: 0.7, maxDetections: 300 });
    expect(config.limits).toEqual({ maxUploadBytes: 20 * 1024 * 1024, maxInputPixels: 40_000_000, maxInFlight: 4 });
    expect(config.model).toMatchObject({ executionProvider: "cpu" });
    expect(config.floorplanClasses.door).toEqual(["door", "doors"]);
  });

  test("every bad variable is named at once", () => {
    let message = "";
    try {
      parseConfig({
        AI_PARSING_EXECUTION_PROVIDER: "tpu",
        AI_PARSING_CONFIDENCE: "2",
        AI_PARSING_IOU: "0",
        AI_PARSING_CLASS_NAMES: "door,window",
        AI_PARSING_FLOORPLAN_CLASSES: '{"stairs": ["x"]}',
        AI_PARSING_MAX_INPUT_PIXELS: "1e12",
      });
    } catch (error) {
      message = (error as Error).message;
    }
    for (const name of ["AI_PARSING_EXECUTION_PROVIDER", "AI_PARSING_CONFIDENCE", "AI_PARSING_IOU", "AI_PARSING_CLASS_NAMES: not JSON", "AI_PARSING_FLOORPLAN_CLASSES", "AI_PARSING_MAX_INPUT_PIXELS"]) {
      expect(message).toContain(name);
    }
  });

  test("class names and floor-plan classes parse from JSON", () => {
    const config = parseConfig({ AI_PARSING_CLASS_NAMES: '["a", "b"]', AI_PARSING_FLOORPLAN_CLASSES: '{"wall": ["partition"]}' });
    expect(config.model.classNames).toEqual(["a", "b"]);
    expect(config.floorplanClasses).toMatchObject({ wall: ["partition"], door: ["door", "doors"] });
  });
});
