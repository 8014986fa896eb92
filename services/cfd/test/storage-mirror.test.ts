/**
 * The solver's case records published to S3 (src/storage/mirror.ts through the case store's
 * hook), against the local S3 server: every write lands as `cases/<id>/case.json`, the newest
 * wins, and an outage neither fails a write nor loses the last record.
 */
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { CaseStore as RecordStore, type CaseRecord } from "../src/case/record";
import { S3RecordMirror } from "../src/storage/mirror";
import { CaseStore } from "../src/storage/s3";
import { startS3Proxy, type S3Proxy } from "./storage-s3-proxy";
import { startFakeS3, TEST_CREDENTIALS, type FakeS3 } from "./storage-s3-server";

const BUCKET = "abode-cfd-mirror";
const ID = "3f2a9c1e-7b4d-4e8a-9f10-2b3c4d5e6f70";
const KEY = `cases/${ID}/case.json`;

function record(status: CaseRecord["status"], progress = 0): CaseRecord {
  const stamp = new Date().toISOString();
  return {
    id: ID,
    kind: "solve",
    frame: "world",
    status,
    progress,
    createdAt: stamp,
    updatedAt: stamp,
    request: { directions: [0, 90], meshLevel: "coarse", referenceSpeed: 10, referenceHeight: 10, z0: 0.1 },
    geometry: { source: "boxes", triangles: 12, bounds: { min: { x: 0, y: 0, z: 0 }, max: { x: 1, y: 1, z: 1 } }, file: "buildings.obj" },
    mesh: { level: "coarse", processes: 1, estimatedCells: 1000, backgroundCellSize: 1, surfaceCellSize: 0.5, domainSize: { x: 10, y: 10, z: 6 }, blockage: 0.01 },
    sectors: [],
    notes: [],
  } as CaseRecord;
}

/** Polls until `check` passes (uploads are asynchronous by design). */
async function eventually(check: () => void, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

describe("S3RecordMirror behind the case store", () => {
  let s3: FakeS3;
  let proxy: S3Proxy;
  let bucket: CaseStore;
  let root: string;
  let warnings: { fields: Record<string, unknown>; msg: string }[];
  let mirror: S3RecordMirror;
  let records: RecordStore;

  beforeAll(async () => {
    s3 = await startFakeS3({ bucket: BUCKET });
    proxy = await startS3Proxy(s3.url);
    // maxAttempts as in prod (4): an outage costs the SDK's own retries before the mirror's.
    bucket = new CaseStore({ bucket: BUCKET, region: "eu-west-1", endpoint: proxy.url, forcePathStyle: true, credentials: TEST_CREDENTIALS });
  });
  afterAll(async () => {
    bucket.destroy();
    await proxy.close();
    await s3.close();
  });
  beforeEach(async () => {
    s3.objects.clear();
    s3.requests.length = 0;
    proxy.down = false;
    proxy.delayMs = 0;
    root = await fs.mkdtemp(path.join(os.tmpdir(), "cfd-mirror-"));
    warnings = [];
    mirror = new S3RecordMirror({ store: bucket, log: { warn: (fields: Record<string, unknown>, msg: string) => void warnings.push({ fields, msg }) } as never, retryMs: 50, maxRetryMs: 200 });
    records = new RecordStore(root, mirror);
  });
  afterEach(async () => {
    await mirror.close();
    await fs.rm(root, { recursive: true, force: true });
  });

  const published = () => s3.objects.get(KEY)?.toString("utf8");
  const local = () => fs.readFile(path.join(root, ID, "case.json"), "utf8");

  test("each write lands in the bucket as cases/<id>/case.json, byte for byte the local file", async () => {
    await records.write(record("queued"));
    const first = await local();
    await eventually(() => expect(published()).toBe(first));
    await records.write(record("succeeded", 1));
    const second = await local();
    expect(second).not.toBe(first);
    await eventually(() => expect(published()).toBe(second));
    expect(JSON.parse(published()!)).toMatchObject({ id: ID, status: "succeeded", progress: 1 });
    const puts = s3.requests.filter((r) => r.method === "PUT");
    expect(puts.map((r) => r.path)).toEqual([`/${BUCKET}/${KEY}`, `/${BUCKET}/${KEY}`]);
    expect(puts[0]!.headers["content-type"]).toBe("application/json");
    expect(warnings).toEqual([]);
  });

  test("a burst of writes to a slow bucket: one upload at a time, and the newest record is the one that stays", async () => {
    proxy.delayMs = 40;
    for (let i = 1; i <= 20; i++) await records.write(record("solving", i / 100));
    const last = await local();
    await eventually(() => expect(published()).toBe(last));
    await mirror.close();
    expect(published()).toBe(last);
    // Writes made during an upload collapse into the next one.
    expect(s3.requests.filter((r) => r.method === "PUT").length).toBeLessThan(20);
  });

  test("S3 down: the write still succeeds locally, the failure is logged, and the next write publishes the newest record", async () => {
    proxy.down = true;
    await records.write(record("meshing", 0.05));
    expect(JSON.parse(await local()).status).toBe("meshing");
    await eventually(() => expect(warnings.length).toBeGreaterThan(0));
    expect(warnings[0]).toMatchObject({ fields: { case_id: ID, bucket: BUCKET, failures: 1, reason: expect.stringMatching(/InternalError|500/) }, msg: expect.stringMatching(/could not publish case.json/) });
    expect(published()).toBeUndefined();
    proxy.down = false;
    await records.write(record("solving", 0.3));
    const newest = await local();
    await eventually(() => expect(published()).toBe(newest));
  });

  test("S3 down at the last write: it is retried after a back-off, without another write", async () => {
    proxy.down = true;
    await records.write(record("succeeded", 1));
    await eventually(() => expect(warnings.length).toBeGreaterThan(0));
    proxy.down = false;
    const last = await local();
    await eventually(() => expect(published()).toBe(last));
  });
});
