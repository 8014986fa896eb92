/**
 * `npm run purge` against a local HTTP server standing in for the Cloudflare API: it records each
 * request and answers with the API's envelope (or a refusal).
 */
import { spawn, spawnSync } from "node:child_process";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { main, PURGE_BATCH, zoneIdFromStackFile } from "../scripts/purge";
import { REPO_ROOT } from "./stack-file";

interface Recorded {
  method: string;
  url: string;
  authorization?: string;
  body: any;
}

const ZONE = "0123456789abcdef0123456789abcdef";
const TOKEN = "test-token";

describe("npm run purge", () => {
  const recorded: Recorded[] = [];
  /** What the fake API answers next: the real envelope by default. */
  let answer: { status: number; body: unknown } | undefined;
  let apiBase: string;
  const server = http.createServer((req, res) => {
    let text = "";
    req.on("data", (c) => (text += c));
    req.on("end", () => {
      recorded.push({ method: req.method!, url: req.url!, authorization: req.headers.authorization, body: JSON.parse(text || "null") });
      const reply = answer ?? { status: 200, body: { success: true, errors: [], messages: [], result: { id: `purge-${recorded.length}` } } };
      res.writeHead(reply.status, { "content-type": "application/json" }).end(JSON.stringify(reply.body));
    });
  });

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    apiBase = `http://127.0.0.1:${(server.address() as AddressInfo).port}/client/v4`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));
  beforeEach(() => {
    recorded.length = 0;
    answer = undefined;
  });

  const env = { CLOUDFLARE_API_TOKEN: TOKEN, CLOUDFLARE_ZONE_ID: ZONE };
  async function run(argv: string[], environment: Record<string, string | undefined> = env) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main([...argv, "--api-base", apiBase], environment, (l) => out.push(l), (l) => err.push(l));
    return { code, out, err };
  }

  it("purges URLs with one POST to /zones/<zone>/purge_cache, bearer token, files listed", async () => {
    const urls = ["https://api.abode.example.com/api/risk/seismic?lat=1&lon=2", "https://api.abode.example.com/api/risk/flood?lat=1&lon=2"];
    const { code, out } = await run(urls.flatMap((u) => ["--url", u]));
    expect(code).toBe(0);
    expect(recorded).toEqual([{ method: "POST", url: `/client/v4/zones/${ZONE}/purge_cache`, authorization: `Bearer ${TOKEN}`, body: { files: urls } }]);
    expect(out).toEqual(["purged 2 URL(s) (purge id purge-1)"]);
  });

  it("batches many URLs and drops repeats", async () => {
    const urls = Array.from({ length: PURGE_BATCH + 5 }, (_, i) => `https://api.abode.example.com/api/risk/risk?i=${i}`);
    const { code } = await run([...urls, urls[0]!].flatMap((u) => ["--url", u]));
    expect(code).toBe(0);
    expect(recorded.map((r) => r.body.files.length)).toEqual([PURGE_BATCH, 5]);
    expect(recorded.flatMap((r) => r.body.files)).toEqual(urls);
  });

  it("purges by tag", async () => {
    expect((await run(["--tag", "api-risk", "--tag", "api"])).code).toBe(0);
    expect(recorded.map((r) => r.body)).toEqual([{ tags: ["api-risk", "api"] }]);
  });

  it("purges everything only with --yes", async () => {
    const refused = await run(["--everything"]);
    expect(refused.code).toBe(2);
    expect(refused.err[0]).toMatch(/--everything empties the whole zone's cache; add --yes/);
    expect(recorded).toEqual([]);
    expect((await run(["--everything", "--yes"])).code).toBe(0);
    expect(recorded.map((r) => r.body)).toEqual([{ purge_everything: true }]);
  });

  it("lists every argument problem at once and sends nothing", async () => {
    const { code, err } = await run(["--url", "not-a-url", "--tag", "two words", "--yes"], {});
    expect(code).toBe(2);
    expect(err).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/exactly one of --url, --tag, --everything \(got --url, --tag\)/),
        expect.stringMatching(/--yes only confirms --everything/),
        expect.stringMatching(/--url "not-a-url": not an absolute http\(s\) URL/),
        expect.stringMatching(/--tag "two words"/),
        expect.stringMatching(/CLOUDFLARE_API_TOKEN is not set/),
        expect.stringMatching(/^usage: npm run purge/),
      ]),
    );
    expect(recorded).toEqual([]);
  });

  it("asks for a mode, and rejects unknown options", async () => {
    expect((await run([])).err[0]).toBe("say what to purge: --url, --tag or --everything");
    const unknown = await run(["--urls", "x"]);
    expect(unknown.code).toBe(2);
    expect(unknown.err[0]).toMatch(/--urls/);
  });

  it("takes the zone id from the flag, the environment, then the stack file", async () => {
    const other = "fedcba9876543210fedcba9876543210";
    await run(["--tag", "a", "--zone-id", other]);
    await run(["--tag", "a"], { CLOUDFLARE_API_TOKEN: TOKEN });
    expect(recorded.map((r) => r.url.split("/")[4])).toEqual([other, zoneIdFromStackFile("prod")]);
    expect(zoneIdFromStackFile("prod")).toMatch(/^[a-f0-9]{32}$/);
    const bad = await run(["--tag", "a", "--zone-id", "Z"]);
    expect(bad.err[0]).toMatch(/zone id "Z" is not 32 lowercase hex/);
  });

  it("exits 1 naming Cloudflare's errors when the API refuses", async () => {
    answer = { status: 403, body: { success: false, errors: [{ code: 10000, message: "Authentication error" }], messages: [], result: null } };
    const { code, err } = await run(["--tag", "api"]);
    expect(code).toBe(1);
    expect(err).toEqual(["purging tag(s) api: Cloudflare answered 403 (10000: Authentication error)"]);
  });

  it("exits 1 when a 200 carries success: false", async () => {
    answer = { status: 200, body: { success: false, errors: [{ code: 1134, message: "Purge rate limited" }] } };
    expect((await run(["--everything", "--yes"])).err).toEqual(["purging everything: Cloudflare answered 200 (1134: Purge rate limited)"]);
  });

  it("runs as `npm run purge` does: a real process, exit code and output", async () => {
    // Not spawnSync: it would block the event loop this test's server answers on.
    const child = spawn(process.execPath, ["-r", "@swc-node/register", path.join("scripts", "purge.ts"), "--url", "https://api.abode.example.com/api/risk/risk?lat=1", "--api-base", apiBase], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
    });
    let stdout = "";
    child.stdout.on("data", (c) => (stdout += c));
    const code = await new Promise((resolve) => child.on("close", resolve));
    expect(code).toBe(0);
    expect(stdout).toMatch(/purged 1 URL\(s\) \(purge id purge-1\)/);
    expect(recorded[0]!.body).toEqual({ files: ["https://api.abode.example.com/api/risk/risk?lat=1"] });
  }, 30_000);

  it("exits 2 as a process on bad arguments", () => {
    const result = spawnSync(process.execPath, ["-r", "@swc-node/register", path.join("scripts", "purge.ts"), "--everything"], {
      cwd: REPO_ROOT,
      env: { ...process.env, CLOUDFLARE_API_TOKEN: TOKEN, CLOUDFLARE_ZONE_ID: ZONE },
      encoding: "utf8",
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/add --yes to confirm/);
  }, 30_000);
});
