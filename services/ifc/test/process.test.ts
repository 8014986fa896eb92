/**
 * The built service as a real process: compiled with the same commands as the Dockerfile,
 * started with `node services/ifc/dist/main.js` (its web-ifc worker is the compiled
 * dist/worker.js), configured through the environment, driven over loopback.
 */
import { buildService, startService } from "../../kit/test/process";
import { fixture } from "./helpers";

beforeAll(() => buildService("ifc"), 120_000);

const start = (env: Record<string, string>) => startService("ifc", env);

async function ready(url: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if ((await fetch(`${url}/readyz`)).status === 200) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error("never ready");
}

test("bad environment: exit 1 listing every problem, the service's own variables included", async () => {
  const run = start({ PORT: "http", IFC_MAX_UPLOAD_MB: "0", IFC_WORKERS: "many", IFC_JOB_TIMEOUT_S: "-1" });
  expect(await run.exited).toBe(1);
  const fatal = run.lines.find((l) => l.level === "fatal");
  const problems = (fatal!.problems as string[]).map((p) => p.split(":")[0]);
  expect(problems.sort()).toEqual(["IFC_JOB_TIMEOUT_S", "IFC_MAX_UPLOAD_MB", "IFC_WORKERS", "PORT"]);
});

test("starts, is ready once web-ifc's wasm is loaded in its worker, applies IFC_MAX_UPLOAD_MB, logs only JSON, and exits 0 on SIGTERM", async () => {
  const run = start({ PORT: "0", HOST: "127.0.0.1", IFC_MAX_UPLOAD_MB: "1" });
  const url = await run.url();
  expect(run.lines.find((l) => l.msg === "listening")).toMatchObject({ service: "ifc", tracing: expect.stringMatching(/^off/) });
  await ready(url);
  const post = (data: Buffer) => fetch(`${url}/validate`, { method: "POST", headers: { "content-type": "application/octet-stream" }, body: data });
  const small = await post(fixture("IfcOpenHouse_IFC4.ifc")); // 113 KB
  expect(small.status).toBe(200);
  expect(((await small.json()) as { summary: { valid: boolean } }).summary.valid).toBe(true);
  expect((await post(fixture("duplex.ifc"))).status).toBe(413); // 2.4 MB > 1 MB
  // web-ifc's own console output is switched off: nothing but JSON lines, even for a bad header.
  expect((await post(Buffer.from("ISO-10303-21;\nHEADER;\nFILE_SCHEMA(());\nENDSEC;\n"))).status).toBe(400);
  expect((await post(fixture("AC20-FZK-Haus.ifc").subarray(0, 300))).status).toBe(400); // web-ifc: "Unterminated STEP string"
  run.child.kill("SIGTERM");
  expect(await run.exited).toBe(0);
  expect(run.stray).toEqual([]);
  expect(run.lines[run.lines.length - 1]?.msg).toBe("shut down cleanly");
}, 60_000);
