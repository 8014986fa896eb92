/** The built risk service as a real process, pointed at the replay server through its environment. */
import { buildService, startService } from "../../kit/test/process";
import { femaAnswer, startReplay, type Replay } from "./replay";

let replay: Replay;
beforeAll(async () => {
  buildService("risk");
  replay = await startReplay();
}, 120_000);
afterAll(() => replay.close());

test("bad environment: exit 1 listing every bad variable", async () => {
  const run = startService("risk", { USGS_BASE_URL: "ftp://example.org", RISK_UPSTREAM_RETRIES: "9", RISK_CACHE_TTL_SECONDS: "soon" });
  expect(await run.exited).toBe(1);
  const fatal = run.lines.find((l) => l.level === "fatal");
  expect((fatal!.problems as string[]).map((p) => p.split(":")[0]).sort()).toEqual(["RISK_CACHE_TTL_SECONDS", "RISK_UPSTREAM_RETRIES", "USGS_BASE_URL"]);
});

test("reads its upstreams from the environment and answers over HTTP", async () => {
  replay.on("/nfhl", { json: femaAnswer() });
  const run = startService("risk", { HOST: "127.0.0.1", PORT: "0", FEMA_NFHL_QUERY_URL: `${replay.url}/nfhl/28/query`, USGS_BASE_URL: `${replay.url}/usgs` });
  const url = await run.url();
  const res = await fetch(`${url}/flood?lat=10&lon=20`);
  expect(res.status).toBe(200);
  expect(await res.json()).toMatchObject({ status: "unmapped", provenance: { url: expect.stringContaining(`${replay.url}/nfhl/28/query?geometry=20%2C10`) } });
  expect((await fetch(`${url}/readyz`)).status).toBe(200);
  run.child.kill("SIGTERM");
  expect(await run.exited).toBe(0);
});
