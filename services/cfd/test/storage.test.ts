import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { assertCaseId, inputPrefix, outcomeKey, resultPrefix, runKeyFor } from "../src/storage/layout";
import { CaseStore, regularFiles } from "../src/storage/s3";
import { startFakeS3, TEST_CREDENTIALS, type FakeS3 } from "./storage-s3-server";

describe("bucket layout", () => {
  test("a sector's case directory becomes its run key; input, results and outcome keys follow", () => {
    const runKey = runKeyFor("/var/lib/abode/cases", "c-42", "/var/lib/abode/cases/c-42/sectors/270");
    expect(runKey).toBe("sectors/270");
    expect(inputPrefix("c-42", runKey)).toBe("cases/c-42/input/sectors/270/");
    expect(resultPrefix("c-42", runKey)).toBe("cases/c-42/sectors/270/");
    expect(outcomeKey("c-42", runKey)).toBe("cases/c-42/jobs/sectors/270/outcome.json");
  });

  test("the case directory itself is the run `run`", () => {
    expect(runKeyFor("/cases", "abc", "/cases/abc/")).toBe("run");
  });

  test.each([
    ["outside the case", "/cases/other/sectors/0", /is not inside \/cases\/abc/],
    ["a reserved first segment", "/cases/abc/input/x", /may not start with input\//],
    ["the jobs segment", "/cases/abc/jobs", /may not start with jobs\//],
    ["a name with spaces", "/cases/abc/sector 1", /must be "\/"-separated names/],
  ])("refuses a case directory %s", (_, dir, message) => {
    expect(() => runKeyFor("/cases", "abc", dir)).toThrow(message);
  });

  test("case ids must be label values (they label the Job)", () => {
    expect(() => assertCaseId("3f2a9c1e-7b4d-4e8a-9f10-2b3c4d5e6f70")).not.toThrow();
    for (const bad of ["", "-abc", "abc-", "a/b", "x".repeat(64)]) expect(() => assertCaseId(bad)).toThrow(/case id/);
  });
});

describe("CaseStore against a local S3 server (path-style, endpoint override)", () => {
  let s3: FakeS3;
  let store: CaseStore;
  let work: string;

  beforeAll(async () => {
    s3 = await startFakeS3({ bucket: "abode-cfd-test", pageSize: 2 });
    store = new CaseStore({ bucket: "abode-cfd-test", region: "eu-west-1", endpoint: s3.url, forcePathStyle: true, credentials: TEST_CREDENTIALS });
  });
  afterAll(async () => {
    store.destroy();
    await s3.close();
  });
  beforeEach(async () => {
    s3.objects.clear();
    s3.requests.length = 0;
    work = await fs.mkdtemp(path.join(os.tmpdir(), "cfd-storage-"));
  });
  afterEach(() => fs.rm(work, { recursive: true, force: true }));

  test("PutObject and GetObject: signed requests to /<bucket>/<key>; a missing key is undefined, not an error", async () => {
    await store.putJson("cases/a/jobs/run/outcome.json", { status: "succeeded" });
    expect(await store.getJson("cases/a/jobs/run/outcome.json")).toEqual({ status: "succeeded" });
    expect(await store.getObject("cases/a/nothing")).toBeUndefined();
    const put = s3.requests.find((r) => r.method === "PUT")!;
    expect(put.path).toBe("/abode-cfd-test/cases/a/jobs/run/outcome.json");
    expect(put.headers["content-type"]).toBe("application/json");
    expect(put.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIATESTCFD\/\d{8}\/eu-west-1\/s3\/aws4_request/);
  });

  test("a directory goes up and comes back byte for byte, across paginated listings; the filter applies", async () => {
    const source = path.join(work, "source");
    const files: Record<string, string> = {
      "system/controlDict": "application simpleFoam;\n",
      "constant/polyMesh/points": "(0 0 0)\n".repeat(1000),
      "0/U": "internalField uniform (5 0 0);\n",
      "processor0/0/U": "decomposed\n",
      "log.simpleFoam": "Time = 1\n",
    };
    for (const [file, content] of Object.entries(files)) {
      await fs.mkdir(path.dirname(path.join(source, file)), { recursive: true });
      await fs.writeFile(path.join(source, file), content);
    }
    await fs.symlink(path.join(source, "0/U"), path.join(source, "U.link"));

    const uploaded = await store.uploadDirectory(source, "cases/a/input/run/", (rel) => !rel.startsWith("processor"));
    expect(uploaded).toBe(5);
    expect([...s3.objects.keys()].sort()).toEqual(
      ["0/U", "U.link", "constant/polyMesh/points", "log.simpleFoam", "system/controlDict"].map((f) => `cases/a/input/run/${f}`).sort(),
    );

    const target = path.join(work, "target");
    expect(await store.downloadPrefix("cases/a/input/run/", target)).toBe(5);
    expect(await regularFiles(target)).toEqual(["0/U", "U.link", "constant/polyMesh/points", "log.simpleFoam", "system/controlDict"]);
    for (const file of ["system/controlDict", "constant/polyMesh/points", "0/U"]) {
      expect(await fs.readFile(path.join(target, file), "utf8")).toBe(files[file]);
    }
    const listings = s3.requests.filter((r) => r.query["list-type"] === "2");
    expect(listings.length).toBe(3); // 5 keys, 2 per page
    expect(listings.map((l) => l.query["continuation-token"])).toEqual([undefined, "2", "4"]);
  });

  test("an object key that would escape the target directory is refused", async () => {
    s3.objects.set("cases/a/sectors/0/../../../escape", Buffer.from("x"));
    await expect(store.downloadPrefix("cases/a/sectors/0/", path.join(work, "t"))).rejects.toThrow(/refusing to write object path "..\/..\/..\/escape"/);
    await expect(fs.stat(path.join(work, "escape"))).rejects.toThrow();
  });

  test("a wrong bucket is an error, not an empty result", async () => {
    const other = new CaseStore({ bucket: "missing", region: "eu-west-1", endpoint: s3.url, forcePathStyle: true, credentials: TEST_CREDENTIALS });
    await expect(other.listKeys("cases/")).rejects.toThrow(/NoSuchBucket/);
    other.destroy();
  });
});
