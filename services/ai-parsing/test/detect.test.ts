/**
 * @jest-environment ./services/ai-parsing/test/ort-environment.js
 */
/**
 * /detect over HTTP on the tiny model (test/yolo-model.ts): decoding, the strict confidence
 * threshold, class-wise NMS, the letterbox and its inversion on non-square images of both
 * orientations, against boxes computed by hand.
 */
import sharp from "sharp";
import { BLUE, RED, scratchDir, solidImage, startParsing, type Parsing } from "./helpers";
import { standardModel, writeModel } from "./yolo-model";

const scratch = scratchDir();
let svc: Parsing;
beforeAll(async () => {
  const model = writeModel(scratch.dir, "standard.onnx", standardModel());
  svc = await startParsing({ AI_PARSING_MODEL_PATH: model });
});
afterAll(async () => {
  await svc.close();
  scratch.remove();
});

/** Share of the 640² input that is grey padding, times the padding grey in 0..1. */
const PAD_MEAN = (280 / 640) * (114 / 255);
const summary = (objects: any[]) => objects.map((o) => [o.class, o.confidence]);

test("1280×720 (landscape, padded top and bottom): every box back in image pixels, best first", async () => {
  // r = 0.5 → 640×360, 140 rows of padding above and below: x = x'/0.5, y = (y' − 140)/0.5.
  const res = await svc.post("/detect", await solidImage(1280, 720, RED));
  expect(res.status).toBe(200);
  expect(res.body.image).toEqual({ format: "png", width: 1280, height: 720 });
  const objects = res.body.objects;
  expect(summary(objects)).toEqual([
    ["Door", expect.closeTo(0.9, 4)],
    ["window", expect.closeTo(0.85, 4)],
    ["stairs", expect.closeTo(0.5625 + PAD_MEAN, 3)], // mean of R: red content + grey padding
    ["Door", expect.closeTo(0.7, 4)],
    ["Room", expect.closeTo(0.6, 4)],
    ["Door", expect.closeTo(0.3, 4)],
  ]);
  expect(objects.map((o: any) => o.box)).toEqual([
    { x1: 440, y1: 260, x2: 840, y2: 460 }, // anchor 0: (220, 270)–(420, 370)
    { x1: 460, y1: 260, x2: 860, y2: 460 }, // anchor 2
    { x1: 1180, y1: 340, x2: 1220, y2: 380 }, // anchor 7: (590, 310)–(610, 330)
    { x1: 540, y1: 260, x2: 940, y2: 460 }, // anchor 5
    { x1: 40, y1: 0, x2: 1240, y2: 720 }, // anchor 6: (20, 120)–(620, 520) → y −40..760, clipped
    { x1: 140, y1: 460, x2: 260, y2: 580 }, // anchor 3: (70, 370)–(130, 430)
  ]);
  expect(objects[0]).toMatchObject({ classId: 0 });
  expect(objects[1]).toMatchObject({ classId: 1 });
  expect(res.body.parameters).toEqual({ confidence: 0.25, iou: 0.7, maxDetections: 300 });
  expect(res.body.model).toMatchObject({ name: "standard.onnx", executionProvider: "cpu", classes: 4, classNamesSource: "model metadata", input: { width: 640, height: 640 } });
  expect(res.body.model.sha256).toMatch(/^[0-9a-f]{64}$/);
  for (const key of ["preprocessMs", "inferenceMs", "postprocessMs", "totalMs"]) expect(res.body.timings[key]).toBeGreaterThanOrEqual(0);
});

test("720×1280 (portrait, padded left and right): x = (x' − 140)/0.5, y = y'/0.5", async () => {
  const res = await svc.post("/detect", await solidImage(720, 1280, RED));
  expect(res.status).toBe(200);
  const boxes = Object.fromEntries(res.body.objects.map((o: any) => [`${o.class} ${o.confidence.toFixed(2)}`, o.box]));
  expect(boxes["Door 0.90"]).toEqual({ x1: 160, y1: 540, x2: 560, y2: 740 });
  expect(boxes["window 0.85"]).toEqual({ x1: 180, y1: 540, x2: 580, y2: 740 });
  expect(boxes["Room 0.60"]).toEqual({ x1: 0, y1: 240, x2: 720, y2: 1040 }); // (20, 120)–(620, 520): x −240..960 clipped
  expect(boxes["Door 0.70"]).toEqual({ x1: 260, y1: 540, x2: 660, y2: 740 });
  // Boxes wholly in the padding are not in the image and not reported: anchor 3, (70, 370)–(130, 430),
  // left of x' = 140, and the stairs of anchor 7, (590, 310)–(610, 330), right of x' = 500.
  expect(Object.keys(boxes)).toEqual(["Door 0.90", "window 0.85", "Door 0.70", "Room 0.60"]);
});

test("1000×333: rounding as Ultralytics (213 rows, 213 above, 214 below) and the exact per-axis inverse", async () => {
  // r = 0.64; 333·0.64 = 213.12 → 213 rows; dh = 213.5 → top round(213.4) = 213, bottom 214.
  const res = await svc.post("/detect", await solidImage(1000, 333, RED));
  expect(res.status).toBe(200);
  const door = res.body.objects[0];
  expect(door.class).toBe("Door");
  const sy = 213 / 333;
  expect(door.box.x1).toBeCloseTo(220 / 0.64, 2);
  expect(door.box.x2).toBeCloseTo(420 / 0.64, 2);
  expect(door.box.y1).toBeCloseTo((270 - 213) / sy, 2);
  expect(door.box.y2).toBeCloseTo((370 - 213) / sy, 2);
});

test("333×1000: the odd column of padding goes right (213 left, 214 right)", async () => {
  const res = await svc.post("/detect", await solidImage(333, 1000, RED));
  const door = res.body.objects[0];
  const sx = 213 / 333;
  expect(door.box.x1).toBeCloseTo((220 - 213) / sx, 2);
  expect(door.box.x2).toBeCloseTo((420 - 213) / sx, 2);
  expect(door.box.y1).toBeCloseTo(270 / 0.64, 2);
});

test("channels reach the model as RGB in 0..1 (not BGR): a blue image lights the blue-mean anchor only", async () => {
  const red = await svc.post("/detect", await solidImage(1280, 720, RED));
  const blue = await svc.post("/detect", await solidImage(1280, 720, BLUE));
  const stairs = (body: any) => body.objects.filter((o: any) => o.class === "stairs").map((o: any) => [o.box.x1, o.confidence]);
  expect(stairs(red.body)).toEqual([[1180, expect.closeTo(0.7581, 3)]]); // anchor 7, R mean
  expect(stairs(blue.body)).toEqual([[60, expect.closeTo(0.7581, 3)]]); // anchor 8, B mean: x' 30 → 60
});

test("JPEG and WebP decode too; a JPEG's EXIF orientation is applied (boxes in the image as displayed)", async () => {
  const jpeg = await svc.post("/detect", await solidImage(1280, 720, RED, "jpeg"), "image/jpeg");
  expect(jpeg.status).toBe(200);
  expect(jpeg.body.image).toEqual({ format: "jpeg", width: 1280, height: 720 });
  expect(jpeg.body.objects[0].box).toEqual({ x1: 440, y1: 260, x2: 840, y2: 460 });
  const webp = await svc.post("/detect", await solidImage(1280, 720, RED, "webp"), "image/webp");
  expect(webp.status).toBe(200);
  expect(webp.body.image).toEqual({ format: "webp", width: 1280, height: 720 });
  expect(webp.body.objects[0].box).toEqual({ x1: 440, y1: 260, x2: 840, y2: 460 });
  // Stored 1280×720 with orientation 6 (rotate 90° clockwise to display): a 720×1280 portrait.
  const rotated = await sharp(await solidImage(1280, 720, RED, "jpeg")).jpeg().withMetadata({ orientation: 6 }).toBuffer();
  const res = await svc.post("/detect", rotated, "image/jpeg");
  expect(res.status).toBe(200);
  expect(res.body.image).toEqual({ format: "jpeg", width: 720, height: 1280 });
  expect(res.body.objects[0].box).toEqual({ x1: 160, y1: 540, x2: 560, y2: 740 });
});

describe("per-request overrides", () => {
  const classesAt = async (query: string) => {
    const res = await fetch(`${svc.url}/detect?${query}`, { method: "POST", headers: { "content-type": "image/png" }, body: await solidImage(1280, 720, RED) });
    const body = (await res.json()) as any;
    return { status: res.status, body, found: res.status === 200 ? summary(body.objects).map(([c, p]) => `${c} ${Number(p).toFixed(2)}`) : [] };
  };

  test("confidence=0.5 drops the 0.3 door; the echo says what was used", async () => {
    const { found, body } = await classesAt("confidence=0.5");
    expect(found).toEqual(["Door 0.90", "window 0.85", "stairs 0.76", "Door 0.70", "Room 0.60"]);
    expect(body.parameters).toEqual({ confidence: 0.5, iou: 0.7, maxDetections: 300 });
  });

  test("iou=0.5 suppresses the door overlapping the best one by IoU 0.6; the other class on the same box stays", async () => {
    const { found } = await classesAt("iou=0.5");
    expect(found).toEqual(["Door 0.90", "window 0.85", "stairs 0.76", "Room 0.60", "Door 0.30"]);
  });

  test("maxDetections=2 keeps the two best", async () => {
    expect((await classesAt("maxDetections=2")).found).toEqual(["Door 0.90", "window 0.85"]);
  });

  test("out of bounds or unknown → 400 naming each query field", async () => {
    const res = await classesAt("confidence=0&iou=abc&maxDetections=301&agnostic=1");
    expect(res.status).toBe(400);
    expect(res.body.fields.map((f: any) => f.field).sort()).toEqual(["query.agnostic", "query.confidence", "query.iou", "query.maxDetections"]);
  });
});

test("GET /model describes the loaded model and the defaults", async () => {
  const res = await svc.get("/model");
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({
    name: "standard.onnx",
    classNames: ["Door", "window", "Room", "stairs"],
    input: { name: "images", width: 640, height: 640 },
    output: { name: "output0", classes: 4, anchors: 8400 },
    producer: "abode-test 1",
    metadata: { task: "detect", imgsz: "[640, 640]" },
    defaults: { confidence: 0.25, iou: 0.7, maxDetections: 300 },
  });
});
