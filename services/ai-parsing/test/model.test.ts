/**
 * @jest-environment ./services/ai-parsing/test/ort-environment.js
 */
/**
 * The model as configuration: every way it can be missing or wrong keeps /readyz at 503 with
 * the reason, answers /detect with 503, and leaves /healthz alone.
 */
import { existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import { RED, scratchDir, solidImage, startParsing } from "./helpers";
import { CLASS_NAMES, standardModel, writeModel } from "./yolo-model";

const scratch = scratchDir();
let model: string;
beforeAll(() => {
  model = writeModel(scratch.dir, "standard.onnx", standardModel());
});
afterAll(() => scratch.remove());

/** Starts the service with `env`, returns /readyz's reasons and the /detect answer, and stops it. */
async function probe(env: Record<string, string>) {
  const svc = await startParsing(env);
  try {
    const health = await svc.get("/healthz");
    const ready = await svc.get("/readyz");
    const detect = await svc.post("/detect", await solidImage(64, 48, RED));
    const described = await svc.get("/model");
    return { health: health.status, ready, detect, described };
  } finally {
    await svc.close();
  }
}

async function expectNotReady(env: Record<string, string>, reason: RegExp) {
  const { health, ready, detect, described } = await probe(env);
  expect(health).toBe(200);
  expect(ready.status).toBe(503);
  expect(ready.body.reasons).toHaveLength(1);
  expect(ready.body.reasons[0]).toMatch(/^model: /);
  expect(ready.body.reasons[0]).toMatch(reason);
  expect(detect.status).toBe(503);
  expect(detect.body.error).toBe("model_unavailable");
  expect(detect.body.message).toMatch(reason);
  expect(described.status).toBe(503);
}

test("a good model: ready", async () => {
  const { ready, detect } = await probe({ AI_PARSING_MODEL_PATH: model });
  expect(ready).toEqual({ status: 200, body: { status: "ready" } });
  expect(detect.status).toBe(200);
});

test("no model configured", () => expectNotReady({}, /AI_PARSING_MODEL_PATH is not set/));

test("a path with no file", () => expectNotReady({ AI_PARSING_MODEL_PATH: path.join(scratch.dir, "absent.onnx") }, /cannot read model file .*absent\.onnx: ENOENT/));

test("a file that is not ONNX", () => {
  const garbage = path.join(scratch.dir, "garbage.onnx");
  writeFileSync(garbage, "definitely not a protobuf ".repeat(100));
  return expectNotReady({ AI_PARSING_MODEL_PATH: garbage }, /ONNX Runtime cannot load .*garbage\.onnx/);
});

test("an s3:// URL is not supported yet, and says so", () =>
  expectNotReady({ AI_PARSING_MODEL_PATH: "s3://abode-models/floorplan.onnx" }, /s3 models are not supported yet \(s3:\/\/abode-models\/floorplan\.onnx\)/));

const cudaInstalled = existsSync(path.join(path.dirname(require.resolve("onnxruntime-node")), "../bin/napi-v6/linux/x64/libonnxruntime_providers_cuda.so"));
(cudaInstalled ? test.skip : test)("CUDA asked for where its provider is not installed: not ready, no CPU fallback", () =>
  expectNotReady({ AI_PARSING_MODEL_PATH: model, AI_PARSING_EXECUTION_PROVIDER: "cuda" }, /CUDA execution provider is unavailable \(no CPU fallback/));

test("configured class names that do not match the model's outputs", () =>
  expectNotReady(
    { AI_PARSING_MODEL_PATH: model, AI_PARSING_CLASS_NAMES: '["door", "window", "room"]' },
    /output0 \[1, 8, 8400\] scores 4 classes, but AI_PARSING_CLASS_NAMES names 3/,
  ));

test("model metadata naming the wrong number of classes", () => {
  const file = writeModel(scratch.dir, "three-names.onnx", standardModel({ names: "{0: 'a', 1: 'b', 2: 'c'}" }));
  return expectNotReady({ AI_PARSING_MODEL_PATH: file }, /scores 4 classes, but model metadata names 3/);
});

test("no names in the model and none configured", () => {
  const file = writeModel(scratch.dir, "nameless.onnx", standardModel({}));
  return expectNotReady({ AI_PARSING_MODEL_PATH: file }, /no `names` metadata: set AI_PARSING_CLASS_NAMES/);
});

test("a nameless model with names from AI_PARSING_CLASS_NAMES_FILE (object form): ready, names from the file", async () => {
  const file = writeModel(scratch.dir, "nameless2.onnx", standardModel({}));
  const names = path.join(scratch.dir, "names.json");
  writeFileSync(names, JSON.stringify({ 0: "door", 1: "window", 2: "room", 3: "stair" }));
  const svc = await startParsing({ AI_PARSING_MODEL_PATH: file, AI_PARSING_CLASS_NAMES_FILE: names });
  try {
    expect((await svc.get("/readyz")).status).toBe(200);
    const described = await svc.get("/model");
    expect(described.body).toMatchObject({ classNames: ["door", "window", "room", "stair"], classNamesSource: "AI_PARSING_CLASS_NAMES_FILE" });
    const res = await svc.post("/detect", await solidImage(1280, 720, RED));
    expect(res.body.objects[0]).toMatchObject({ class: "door", classId: 0 });
  } finally {
    await svc.close();
  }
});

test("configured names override the model's metadata", async () => {
  const svc = await startParsing({ AI_PARSING_MODEL_PATH: model, AI_PARSING_CLASS_NAMES: '["d", "w", "r", "s"]' });
  try {
    const res = await svc.post("/detect", await solidImage(1280, 720, RED));
    expect(res.body.objects.map((o: any) => o.class)).toEqual(["d", "w", "s", "d", "r", "d"]);
    expect(res.body.model.classNamesSource).toBe("AI_PARSING_CLASS_NAMES");
  } finally {
    await svc.close();
  }
});

test("an unreadable class-names file, and both sources set at once", async () => {
  await expectNotReady({ AI_PARSING_MODEL_PATH: model, AI_PARSING_CLASS_NAMES_FILE: path.join(scratch.dir, "none.json") }, /cannot read AI_PARSING_CLASS_NAMES_FILE/);
  await expectNotReady({ AI_PARSING_MODEL_PATH: model, AI_PARSING_CLASS_NAMES: JSON.stringify(CLASS_NAMES), AI_PARSING_CLASS_NAMES_FILE: "/x.json" }, /set one/);
});

test("an Ultralytics segmentation model is refused by its task", () => {
  const file = writeModel(scratch.dir, "seg.onnx", standardModel({ names: "{0: 'a', 1: 'b', 2: 'c', 3: 'd'}", task: "segment" }));
  return expectNotReady({ AI_PARSING_MODEL_PATH: file }, /"segment" model; this service decodes "detect" models/);
});

test("an output that is not [1, 4 + C, N]", () => {
  const file = writeModel(scratch.dir, "flat.onnx", { ...standardModel(), outputDims: [8, 8400] });
  return expectNotReady({ AI_PARSING_MODEL_PATH: file }, /output output0: expected an output of shape \[1, 4 \+ classes, anchors\], got \[8, 8400\]/);
});
