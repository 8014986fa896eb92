/**
 * @jest-environment ./services/ai-parsing/test/ort-environment.js
 */
/** /parse-floorplan: categories from the model's class names, case-insensitive; missing ones `unsupported`, not zero. */
import { DEFAULT_FLOORPLAN_CLASSES, summarizeFloorplan } from "../src/floorplan";
import { RED, scratchDir, solidImage, startParsing } from "./helpers";
import { standardModel, writeModel } from "./yolo-model";

const scratch = scratchDir();
let model: string;
beforeAll(() => {
  model = writeModel(scratch.dir, "standard.onnx", standardModel());
});
afterAll(() => scratch.remove());

async function parse(env: Record<string, string>, query = "") {
  const svc = await startParsing({ AI_PARSING_MODEL_PATH: model, ...env });
  try {
    return await svc.post(`/parse-floorplan${query}`, await solidImage(1280, 720, RED));
  } finally {
    await svc.close();
  }
}

test("doors, windows, rooms counted with positions; walls unsupported (the model has no such class); the rest under `other`", async () => {
  const res = await parse({});
  expect(res.status).toBe(200);
  expect(res.body.doors).toEqual({
    status: "detected",
    classes: ["Door"],
    count: 3,
    items: [
      { class: "Door", confidence: expect.closeTo(0.9, 4), box: { x1: 440, y1: 260, x2: 840, y2: 460 }, center: { x: 640, y: 360 } },
      { class: "Door", confidence: expect.closeTo(0.7, 4), box: { x1: 540, y1: 260, x2: 940, y2: 460 }, center: { x: 740, y: 360 } },
      { class: "Door", confidence: expect.closeTo(0.3, 4), box: { x1: 140, y1: 460, x2: 260, y2: 580 }, center: { x: 200, y: 520 } },
    ],
  });
  expect(res.body.windows).toMatchObject({ status: "detected", classes: ["window"], count: 1 });
  expect(res.body.rooms).toMatchObject({ status: "detected", classes: ["Room"], count: 1, items: [{ box: { x1: 40, y1: 0, x2: 1240, y2: 720 } }] });
  expect(res.body.walls).toEqual({ status: "unsupported", reason: expect.stringMatching(/no class named "wall" or "walls"/) });
  expect(res.body.other).toEqual({ stairs: 1 });
  expect(res.body.image).toEqual({ format: "png", width: 1280, height: 720 });
  expect(res.body.parameters).toEqual({ confidence: 0.25, iou: 0.7, maxDetections: 300 });
});

test("the query overrides apply here too", async () => {
  const res = await parse({}, "?confidence=0.5");
  expect(res.body.doors.count).toBe(2);
});

test("AI_PARSING_FLOORPLAN_CLASSES maps the model's own names (here stairs as walls)", async () => {
  const res = await parse({ AI_PARSING_FLOORPLAN_CLASSES: '{"wall": ["Stairs"]}' });
  expect(res.body.walls).toMatchObject({ status: "detected", classes: ["stairs"], count: 1 });
  expect(res.body.doors.count).toBe(3); // the other categories keep their defaults
  expect(res.body.other).toEqual({});
});

test("a model with none of the categories → 422 listing its classes", async () => {
  const res = await parse({ AI_PARSING_CLASS_NAMES: '["person", "car", "dog", "cat"]' });
  expect(res.status).toBe(422);
  expect(res.body).toMatchObject({ error: "unprocessable", modelClasses: ["person", "car", "dog", "cat"] });
});

test("a category with a class but no detection is a count of 0 — only a missing class is unsupported", () => {
  const summary = summarizeFloorplan([], ["WALLS", "door"], DEFAULT_FLOORPLAN_CLASSES);
  expect(summary.walls).toEqual({ status: "detected", classes: ["WALLS"], count: 0, items: [] });
  expect(summary.doors).toMatchObject({ status: "detected", count: 0 });
  expect(summary.windows.status).toBe("unsupported");
  expect(summary.rooms.status).toBe("unsupported");
});
