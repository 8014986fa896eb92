/**
 * The post-processor reading cases from S3 (`S3CaseSource`), as in prod: the real OpenFOAM
 * fixtures uploaded to the local S3 server, the service on a loopback port, results written to
 * its own directory, sector files cached on disk.
 */
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { parseEnv } from "@abode/service-kit";
import { S3CaseSource } from "../src/post/case/s3-source";
import { LocalCaseSource } from "../src/post/case/source";
import { caseSourcesFromEnv, postprocessorEnv, s3SettingsFromEnv, S3_CACHE_DIR } from "../src/post/env";
import { CaseStore } from "../src/storage/s3";
import { CFD_CASES_DIR, cfdPostprocessorWorkload } from "../workload";
import { DIRECTIONS, makeRoot, removeRoot, startPost, writeCase } from "./post-helpers";
import { startS3Proxy } from "./storage-s3-proxy";
import { startFakeS3, TEST_CREDENTIALS, type FakeS3 } from "./storage-s3-server";

const BUCKET = "abode-cfd-cases";
const ID = "3f2a9c1e-7b4d-4e8a-9f10-2b3c4d5e6f70";
const LISTED = "0b7c2d4e-1111-4a2b-8c3d-5e6f7a8b9c0d";
const weibull4 = (c = 5, k = 2) => ({ type: "weibull", sectors: DIRECTIONS.map((direction) => ({ direction, frequency: 0.25, k, c })) });
const bucketAt = (endpoint: string) => new CaseStore({ bucket: BUCKET, region: "eu-west-1", endpoint, forcePathStyle: true, credentials: TEST_CREDENTIALS });

let s3: FakeS3;
let bucket: CaseStore;
/** The same cases on disk, for the local-source reference answers. */
let reference: string;
let data: string;

beforeAll(async () => {
  s3 = await startFakeS3({ bucket: BUCKET, pageSize: 7 });
  bucket = bucketAt(s3.url);
  reference = makeRoot();
  // Uploaded with the client the services use, under the layout the solver and its Jobs write.
  await bucket.uploadDirectory(writeCase(reference, ID), `cases/${ID}/`);
  await bucket.uploadDirectory(writeCase(reference, LISTED, { listDirectories: true }), `cases/${LISTED}/`);
});
afterAll(async () => {
  bucket.destroy();
  await s3.close();
  removeRoot(reference);
});
beforeEach(() => {
  data = makeRoot();
  s3.requests.length = 0;
});
afterEach(() => removeRoot(data));

const s3Post = (store: CaseStore = bucket) =>
  startPost({ source: new S3CaseSource({ store, cacheDir: path.join(data, S3_CACHE_DIR) }), results: new LocalCaseSource(data) });
const withoutIdentity = ({ id: _id, createdAt: _at, links: _links, ...rest }: Record<string, unknown>) => rest;

describe("cases only in S3", () => {
  test("comfort over HTTP: the same answer as from the directory; the result lands in the post-processor's own directory, nothing is written to S3", async () => {
    const app = await s3Post();
    const local = await startPost({ root: reference });
    try {
      expect((await app.get("/readyz")).body).toEqual({ status: "ready" });
      const body = { criteria: "lawson", climate: weibull4(4.5, 2) };
      const res = await app.post(`/cases/${ID}/comfort`, body);
      expect(res.status).toBe(200);
      expect(res.body.pedestrianLevel.cells).toBe(96);
      expect(res.body.sectors.map((s: { direction: number }) => s.direction)).toEqual(DIRECTIONS);
      expect(withoutIdentity(res.body)).toEqual(withoutIdentity((await local.post(`/cases/${ID}/comfort`, body)).body));

      expect(existsSync(path.join(data, ID, "results", `${res.body.id}.json`))).toBe(true);
      const stored = await app.get(res.body.links.json);
      expect(stored.status).toBe(200);
      expect(stored.body.cells.comfortClass).toHaveLength(96);
      expect((await app.get(res.body.links.csv)).text.split("\n")[0]).toMatch(/^cell,x,y,z,/);
      expect(s3.requests.filter((r) => r.method !== "GET")).toEqual([]);
      // Only what comfort needs was fetched: case.json and U, C of each sector.
      const fetched = s3.requests.filter((r) => !r.query["list-type"]).map((r) => r.path.replace(`/${BUCKET}/cases/${ID}/`, "")).sort();
      expect(fetched).toEqual(["case.json", ...DIRECTIONS.flatMap((d) => [`sectors/${d}/400/C`, `sectors/${d}/400/U`])].sort());
    } finally {
      await app.close();
      await local.close();
    }
  });

  test("sector files are cached on disk by key: a restarted post-processor reads only case.json from S3 again", async () => {
    const first = await s3Post();
    await first.get(`/cases/${ID}/fields/U/stats`);
    await first.close();
    expect(readdirSync(path.join(data, S3_CACHE_DIR, ID, "sectors", "90", "400"))).toEqual(["U"]);
    s3.requests.length = 0;
    const second = await s3Post();
    try {
      const res = await second.get(`/cases/${ID}/fields/U/stats?sector=90`);
      expect(res.status).toBe(200);
      expect(res.body.sectors[0].cells).toBeGreaterThan(0);
      expect(s3.requests.map((r) => r.path)).toEqual([`/${BUCKET}/cases/${ID}/case.json`]);
    } finally {
      await second.close();
    }
  });

  test("a case.json without sectors: the sectors and their time directories are listed in the bucket", async () => {
    const app = await s3Post();
    try {
      const res = await app.get(`/cases/${LISTED}/pedestrian`);
      expect(res.status).toBe(200);
      expect(res.body.sectors.map((s: { direction: number }) => s.direction)).toEqual(DIRECTIONS);
      expect(s3.requests.some((r) => r.query["list-type"] === "2" && r.query.delimiter === "/")).toBe(true);
      // An unknown field names the ones the bucket holds (a listing of the solution time).
      const missing = await app.get(`/cases/${LISTED}/fields/T/stats`);
      expect(missing.status).toBe(404);
      expect(JSON.stringify(missing.body)).toMatch(/epsilon/);
    } finally {
      await app.close();
    }
  });

  test("an unknown case is 404, also from a bucket that answers 403 for missing keys (ListBucket limited by prefix)", async () => {
    const strict = await startS3Proxy(s3.url, { missingAs403: true });
    const strictBucket = bucketAt(strict.url);
    const apps = [await s3Post(), await s3Post(strictBucket)];
    try {
      for (const app of apps) {
        const res = await app.post("/cases/no-such-case/comfort", { criteria: "lawson", climate: weibull4() });
        expect([res.status, res.body.error]).toEqual([404, "case_not_found"]);
      }
      // …while a key that exists is still read through it.
      expect((await apps[1]!.get(`/cases/${ID}/fields/U/stats?sector=0`)).status).toBe(200);
    } finally {
      for (const app of apps) await app.close();
      strictBucket.destroy();
      await strict.close();
    }
  });

  test("S3 down: /readyz is 503 naming the bucket and the failure; requests get 503 case_store_unavailable saying why", async () => {
    const outage = await startS3Proxy(s3.url);
    outage.down = true;
    const downBucket = bucketAt(outage.url);
    const app = await s3Post(downBucket);
    try {
      const ready = await app.get("/readyz");
      expect(ready.status).toBe(503);
      expect(ready.body.reasons).toEqual([expect.stringMatching(new RegExp(`^cases: S3 bucket ${BUCKET}: .*(InternalError|500)`))]);
      const res = await app.post(`/cases/${ID}/comfort`, { criteria: "lawson", climate: weibull4() });
      expect(res.status).toBe(503);
      expect(res.body.error).toBe("case_store_unavailable");
      expect(res.body.message).toMatch(new RegExp(`Cannot read ${ID}/case.json from s3://${BUCKET}/cases/: .*(InternalError|500)`));
      // Back up: ready again, and the same request answers.
      outage.down = false;
      expect((await app.get("/readyz")).status).toBe(200);
      expect((await app.post(`/cases/${ID}/comfort`, { criteria: "lawson", climate: weibull4() })).status).toBe(200);
    } finally {
      await app.close();
      downBucket.destroy();
      await outage.close();
    }
  });

  test("the results directory is checked too: missing, /readyz names it", async () => {
    const app = await startPost({ source: new S3CaseSource({ store: bucket, cacheDir: path.join(data, S3_CACHE_DIR) }), results: new LocalCaseSource(path.join(data, "gone")) });
    try {
      const ready = await app.get("/readyz");
      expect(ready.status).toBe(503);
      expect(ready.body.reasons).toEqual([`results: ${path.join(data, "gone")} does not exist`]);
    } finally {
      await app.close();
    }
  });
});

describe("selection by environment and the workload spec", () => {
  test("POST_CASE_SOURCE=s3 needs the bucket and region, named as the solver's", () => {
    const parse = (env: Record<string, string>) => {
      const parsed = parseEnv(postprocessorEnv, { CFD_CASES_DIR: "/data", ...env });
      if (!parsed.ok) throw new Error(parsed.problems.join("; "));
      return parsed.env;
    };
    expect(parse({}).POST_CASE_SOURCE).toBe("local");
    expect(() => s3SettingsFromEnv(parse({ POST_CASE_SOURCE: "s3" }))).toThrow("POST_CASE_SOURCE=s3: CFD_S3_BUCKET: required; CFD_S3_REGION: required");
    expect(s3SettingsFromEnv(parse({ POST_CASE_SOURCE: "s3", CFD_S3_BUCKET: BUCKET, CFD_S3_REGION: "eu-west-1", CFD_S3_ENDPOINT: "http://127.0.0.1:9000", CFD_S3_FORCE_PATH_STYLE: "true" }))).toEqual({
      bucket: BUCKET,
      region: "eu-west-1",
      endpoint: "http://127.0.0.1:9000",
      forcePathStyle: true,
    });
    expect(() => parse({ POST_CASE_SOURCE: "ftp" })).toThrow(/POST_CASE_SOURCE/);
  });

  test("the sources main.ts builds from that environment: cases from the bucket (credentials from the SDK's default chain), results and cache in CFD_CASES_DIR", async () => {
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
    process.env.AWS_ACCESS_KEY_ID = TEST_CREDENTIALS.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = TEST_CREDENTIALS.secretAccessKey;
    const parsed = parseEnv(postprocessorEnv, {
      CFD_CASES_DIR: data,
      POST_CASE_SOURCE: "s3",
      CFD_S3_BUCKET: BUCKET,
      CFD_S3_REGION: "eu-west-1",
      CFD_S3_ENDPOINT: s3.url,
      CFD_S3_FORCE_PATH_STYLE: "true",
    });
    if (!parsed.ok) throw new Error(parsed.problems.join("; "));
    const { close, ...sources } = await caseSourcesFromEnv(parsed.env);
    const app = await startPost(sources);
    try {
      expect(sources.source.description).toBe(`s3://${BUCKET}/cases/ (sector files cached in ${path.join(data, S3_CACHE_DIR)})`);
      const res = await app.post(`/cases/${ID}/comfort`, { criteria: "nen-8100", climate: weibull4() });
      expect(res.status).toBe(200);
      expect(existsSync(path.join(data, ID, "results", `${res.body.id}.json`))).toBe(true);
      expect(existsSync(path.join(data, S3_CACHE_DIR, ID, "sectors", "0", "400", "U"))).toBe(true);
      const local = await caseSourcesFromEnv({ ...parsed.env, POST_CASE_SOURCE: "local" });
      expect([local.source, local.results].map((s) => s.description)).toEqual([`directory ${data}`, `directory ${data}`]);
    } finally {
      await app.close();
      close();
      process.env.AWS_ACCESS_KEY_ID = saved.id;
      process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
      if (saved.id === undefined) delete process.env.AWS_ACCESS_KEY_ID;
      if (saved.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
    }
  });

  test("with the bucket: S3 env, HTTPS egress to public addresses, a volume of its own; without: the solver's volume and no egress", () => {
    const base = { version: "0.1.0", otlpEndpoint: "http://otel-collector:4318" };
    const prod = cfdPostprocessorWorkload({ ...base, caseBucket: { bucket: BUCKET, region: "eu-west-1" } });
    expect(prod.env).toMatchObject({ CFD_CASES_DIR, POST_CASE_SOURCE: "s3", CFD_S3_BUCKET: BUCKET, CFD_S3_REGION: "eu-west-1" });
    const parsed = parseEnv(postprocessorEnv, prod.env as Record<string, string>);
    if (!parsed.ok) throw new Error(parsed.problems.join("; "));
    expect(s3SettingsFromEnv(parsed.env)).toEqual({ bucket: BUCKET, region: "eu-west-1", endpoint: undefined, forcePathStyle: false });
    expect(prod.externalEgress).toEqual([{ cidr: "0.0.0.0/0", except: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"], ports: [443], reason: expect.stringMatching(/S3.*STS/) }]);
    expect(prod.volumes).toEqual([{ name: "cases", mountPath: CFD_CASES_DIR, sizeGiB: 50 }]);
    const dev = cfdPostprocessorWorkload(base);
    expect(dev.externalEgress).toBeUndefined();
    expect(dev.env).not.toHaveProperty("POST_CASE_SOURCE");
    expect(dev.volumes).toEqual([{ name: "cases", mountPath: CFD_CASES_DIR, sizeGiB: 50, owner: "cfd-solver" }]);
  });
});

