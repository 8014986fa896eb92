/**
 * Bounded work: admission refuses requests past workers + queue before reading their body,
 * slow files are abandoned, workers are replaced when their wasm heap grew or web-ifc failed.
 */
import { request } from "node:http";
import { Writable } from "node:stream";
import { createService } from "@abode/service-kit";
import { registerIfcRoutes } from "../src/app";
import { fixture, startIfc } from "./helpers";

const small = () => fixture("IfcOpenHouse_IFC4.ifc");

test("past workers + queue, a request is refused with 503 and Retry-After before its upload is read; a dropped upload frees its place", async () => {
  const ifc = await startIfc({ workers: 1, maxQueue: 0 });
  try {
    // An upload that stalls halfway holds the only place.
    const { port } = new URL(ifc.url);
    const stalled = request({ host: "127.0.0.1", port, method: "POST", path: "/validate", headers: { "content-type": "application/octet-stream", "content-length": 1_000_000 } });
    stalled.on("error", () => undefined);
    stalled.write(small().subarray(0, 10_000));
    let refused;
    for (let i = 0; i < 80 && !refused; i++) {
      const answer = await ifc.post("/elements", small());
      if (answer.status === 503) refused = answer;
      else await new Promise((r) => setTimeout(r, 25));
    }
    expect(refused?.body).toMatchObject({ error: "busy" });
    expect(refused?.headers.get("retry-after")).toBe("5");
    // Other routes are not admission-controlled.
    expect((await fetch(`${ifc.url}/healthz`)).status).toBe(200);

    stalled.destroy();
    let after = 0;
    for (let i = 0; i < 80 && after !== 200; i++) {
      after = (await ifc.post("/elements", small())).status;
      if (after !== 200) await new Promise((r) => setTimeout(r, 25));
    }
    expect(after).toBe(200);
  } finally {
    await ifc.close();
  }
});

test("a file that takes longer than the job timeout is abandoned with 422; its worker is replaced by a fresh one", async () => {
  const ifc = await startIfc({ jobTimeoutMs: 1 }, "debug");
  try {
    const { status, body } = await ifc.post("/geometry", fixture("duplex.ifc"));
    expect(status).toBe(422);
    expect(body).toMatchObject({ error: "processing_timeout", message: expect.stringContaining("IFC_JOB_TIMEOUT_S") });
    const ready = () => ifc.logs.filter((l) => l.msg === "web-ifc worker ready").length;
    for (let i = 0; i < 400 && ready() < 2; i++) await new Promise((r) => setTimeout(r, 25));
    expect(ready()).toBe(2);
    expect((await fetch(`${ifc.url}/readyz`)).status).toBe(200);
  } finally {
    await ifc.close();
  }
}, 30_000);

test("a worker whose wasm heap grew past the recycle size is replaced after its job; queued jobs run on the new one", async () => {
  const ifc = await startIfc({ recycleHeapBytes: 1 });
  try {
    const answers = await Promise.all([ifc.post("/validate", small()), ifc.post("/elements", small()), ifc.post("/validate", small())]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    const replaced = ifc.logs.filter((l) => l.msg === "web-ifc worker replaced");
    expect(replaced).toHaveLength(3);
    expect(replaced[0]).toMatchObject({ reason: expect.stringMatching(/^wasm heap \d+ MiB$/) });
  } finally {
    await ifc.close();
  }
}, 30_000);

test("until web-ifc's wasm has loaded in a worker, /readyz says so and uploads get 503", async () => {
  // Built by hand so nothing waits for readiness: a worker takes far longer to boot and
  // load the wasm than the server takes to listen.
  const service = createService({ name: "ifc", version: "test", logDestination: new Writable({ write: (_c, _e, done) => done() }) });
  registerIfcRoutes(service);
  const { url } = await service.listen({ host: "127.0.0.1", port: 0 });
  try {
    const readyz = await fetch(`${url}/readyz`);
    expect(readyz.status).toBe(503);
    expect(await readyz.json()).toEqual({ status: "not_ready", reasons: ["web-ifc: web-ifc wasm is not initialised yet"] });
    const upload = await fetch(`${url}/validate`, { method: "POST", headers: { "content-type": "application/octet-stream" }, body: small() });
    expect(upload.status).toBe(503);
    expect(await upload.json()).toMatchObject({ error: "not_ready" });
  } finally {
    await service.close();
  }
});
