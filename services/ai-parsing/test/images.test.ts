/**
 * @jest-environment ./services/ai-parsing/test/ort-environment.js
 */
/** Client mistakes with images: each a 4xx naming the body, never a 5xx; bombs refused from their header. */
import { crc32, deflateSync } from "node:zlib";
import sharp from "sharp";
import { RED, noisyPng, scratchDir, solidImage, startParsing, type Parsing } from "./helpers";
import { standardModel, writeModel } from "./yolo-model";

const scratch = scratchDir();
let model: string;
let svc: Parsing;
beforeAll(async () => {
  model = writeModel(scratch.dir, "standard.onnx", standardModel());
  svc = await startParsing({ AI_PARSING_MODEL_PATH: model });
});
afterAll(async () => {
  await svc.close();
  scratch.remove();
});

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

/** A valid 1-bit greyscale PNG of zeros: ~50 KB on the wire, width×height pixels once decoded. */
function pngBomb(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([1, 0, 0, 0, 0], 8); // bit depth 1, greyscale, deflate, no filter, no interlace
  const rows = Buffer.alloc(height * (1 + Math.ceil(width / 8))); // filter byte 0 + packed zeros per row
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", ihdr), chunk("IDAT", deflateSync(rows, { level: 9 })), chunk("IEND", Buffer.alloc(0))]);
}

test("an empty body → 400 naming the body", async () => {
  const res = await svc.post("/detect", new Uint8Array(0));
  expect(res.status).toBe(400);
  expect(res.body).toMatchObject({ error: "invalid_image", field: "body" });
});

test("bytes that are no image → 400", async () => {
  const res = await svc.post("/detect", Buffer.from("this is not a PNG, just text pretending to be one".repeat(20)));
  expect(res.status).toBe(400);
  expect(res.body).toMatchObject({ error: "invalid_image", field: "body" });
  expect(res.body.message).toMatch(/^body: not a readable PNG, JPEG or WebP image/);
});

test("a truncated PNG (intact header, half its data) → 400, also on /parse-floorplan", async () => {
  const noisy = await noisyPng(400, 300);
  const truncated = noisy.subarray(0, Math.floor(noisy.length / 2));
  for (const route of ["/detect", "/parse-floorplan"]) {
    const res = await svc.post(route, truncated);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe("invalid_image");
  }
});

test("a GIF sent as image/png → 400 saying GIF is not accepted; an image/gif content type → 415", async () => {
  const gif = await sharp({ create: { width: 8, height: 8, channels: 3, background: RED } }).gif().toBuffer();
  const res = await svc.post("/detect", gif, "image/png");
  expect(res.status).toBe(400);
  expect(res.body.message).toMatch(/gif images are not accepted/);
  expect((await svc.post("/detect", gif, "image/gif")).status).toBe(415);
});

test("a decompression bomb (20000×20000 PNG, ~50 KB) → 413 from its header, nothing decoded", async () => {
  const bomb = pngBomb(20_000, 20_000);
  expect(bomb.length).toBeLessThan(200_000);
  const res = await svc.post("/detect", bomb);
  expect(res.status).toBe(413);
  expect(res.body).toMatchObject({ error: "image_too_large", field: "body", width: 20_000, height: 20_000, maxPixels: 40_000_000 });
});

describe("configured limits", () => {
  let strict: Parsing;
  beforeAll(async () => {
    strict = await startParsing({ AI_PARSING_MODEL_PATH: model, AI_PARSING_MAX_UPLOAD_BYTES: "65536", AI_PARSING_MAX_INPUT_PIXELS: "500000" });
  });
  afterAll(() => strict.close());

  test("an upload over AI_PARSING_MAX_UPLOAD_BYTES → 413", async () => {
    const big = await noisyPng(300, 300);
    expect(big.length).toBeGreaterThan(65536);
    expect((await strict.post("/detect", big)).status).toBe(413);
  });

  test("an image over AI_PARSING_MAX_INPUT_PIXELS → 413; one under it → 200", async () => {
    const res = await strict.post("/detect", await solidImage(1280, 720, RED));
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ error: "image_too_large", width: 1280, height: 720, maxPixels: 500_000 });
    expect((await strict.post("/detect", await solidImage(640, 360, RED))).status).toBe(200);
  });
});

test("over AI_PARSING_MAX_IN_FLIGHT images at once: the extra ones get 503 busy, the others are answered", async () => {
  const single = await startParsing({ AI_PARSING_MODEL_PATH: model, AI_PARSING_MAX_IN_FLIGHT: "1" });
  try {
    const image = await noisyPng(2400, 1600);
    const results = await Promise.all(Array.from({ length: 4 }, () => single.post("/detect", image)));
    const statuses = results.map((r) => r.status);
    expect(statuses).toContain(200);
    expect(statuses).toContain(503);
    expect(statuses.every((s) => s === 200 || s === 503)).toBe(true);
    expect(results.find((r) => r.status === 503)?.body.error).toBe("busy");
  } finally {
    await single.close();
  }
});
