import { femaAnswer, femaFeature, startReplay, startRisk, testSettings, usgs716Example, usgsError, usgsSiteSpecific, type Replay } from "./replay";

const USGS = "/ws/designmaps";
const FEMA = "/arcgis/rest/services/public/NFHL/MapServer/28/query";

let replay: Replay;
let risk: Awaited<ReturnType<typeof startRisk>>;

async function restart(overrides = {}) {
  await risk?.close();
  replay.requests.length = 0;
  risk = await startRisk(testSettings(replay, overrides));
}

beforeAll(async () => {
  replay = await startReplay();
});
afterAll(async () => {
  await risk?.close();
  await replay.close();
});
beforeEach(() => restart());

describe("seismic", () => {
  test("the published ASCE 7-16 example comes through with every parameter, the SDC and its provenance", async () => {
    replay.on(USGS, { json: usgs716Example() });
    const res = await risk.get("/seismic?lat=34&lon=-118&riskCategory=III&siteClass=C&standard=asce7-16");
    expect(res.status).toBe(200);
    const p = res.body.parameters;
    expect([p.pga.value, p.ss.value, p.s1.value, p.fa.value, p.fv.value]).toEqual([0.819108, 1.88774, 0.66871, 1.2, 1.4]);
    expect([p.sms.value, p.sm1.value, p.sds.value, p.sd1.value, p.tl.value]).toEqual([2.26529, 0.9362, 1.51019, 0.62413, 8]);
    expect(p.sds.value).toBeCloseTo((2 / 3) * p.sms.value, 4);
    expect(p.ss.unit).toBe("g");
    expect(res.body).toMatchObject({ standard: "asce7-16", referenceDocument: "ASCE7-16", seismicDesignCategory: "D", siteSpecificAnalysisRequired: [] });

    const sent = replay.requests[0]!;
    expect(sent.pathname).toBe(`${USGS}/asce7-16.json`);
    expect(Object.fromEntries(sent.searchParams)).toMatchObject({ latitude: "34", longitude: "-118", riskCategory: "III", siteClass: "C" });
    expect(res.body.provenance).toMatchObject({ source: expect.stringContaining("USGS"), cache: "miss" });
    expect(res.body.provenance.url).toBe(`${replay.url}${USGS}/asce7-16.json?${sent.searchParams}`);
    expect(Date.now() - Date.parse(res.body.provenance.retrievedAt)).toBeLessThan(60_000);
  });

  test("null values are reported as needing a site-specific study, never filled in", async () => {
    replay.on(USGS, { json: usgsSiteSpecific() });
    const res = await risk.get("/seismic?lat=37.8&lon=-122.3&riskCategory=II&siteClass=D&standard=asce7-16");
    expect(res.status).toBe(200);
    expect(res.body.siteSpecificAnalysisRequired).toEqual(["fv", "sm1", "sd1"]);
    expect(res.body.parameters.sd1.value).toBeNull();
    expect(res.body.seismicDesignCategory).toBeNull();
    expect(res.body.notes.join(" ")).toMatch(/site-specific ground-motion analysis/);
  });

  test("ASCE 7-22 is the default edition and takes its own site classes", async () => {
    replay.on(USGS, { json: usgs716Example() });
    expect((await risk.get("/seismic?lat=34&lon=-118&riskCategory=II&siteClass=CD")).status).toBe(200);
    expect(replay.requests[0]!.pathname).toBe(`${USGS}/asce7-22.json`);
    const bad = await risk.get("/seismic?lat=34&lon=-118&riskCategory=II&siteClass=CD&standard=asce7-16");
    expect(bad.status).toBe(400);
    expect(bad.body.fields).toEqual([{ field: "query.siteClass", message: "asce7-16 site classes are A, B, C, D, E" }]);
  });

  test("an error envelope is the upstream refusing the request: 422 with its message, no retry", async () => {
    replay.on(USGS, { status: 400, json: usgsError("Latitude is outside the coverage of the ASCE7-16 data") });
    const res = await risk.get("/seismic?lat=60&lon=-10&riskCategory=II&siteClass=C");
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ error: "upstream_rejected", upstream: "USGS" });
    expect(res.body.message).toContain("outside the coverage");
    expect(replay.hits(USGS)).toBe(1);
  });

  test("bad queries name every bad parameter", async () => {
    const res = await risk.get("/seismic?lat=100&riskCategory=V&siteClass=C&extra=1");
    expect(res.status).toBe(400);
    expect(res.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(["query.extra", "query.lat", "query.lon", "query.riskCategory"]);
    expect(replay.requests).toHaveLength(0);
  });
});

describe("flood", () => {
  test("the documented example: zone X minimal hazard, −9999 means no BFE, longitude first in the query", async () => {
    replay.on(FEMA, { json: femaAnswer(femaFeature({ FLD_ZONE: "X", ZONE_SUBTY: "AREA OF MINIMAL FLOOD HAZARD", SFHA_TF: "F", DFIRM_ID: "12001C", STATIC_BFE: -9999.0 })) });
    const res = await risk.get("/flood?lat=29.65&lon=-82.32");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: "mapped",
      specialFloodHazardArea: false,
      zones: [{ zone: "X", annualChance: "<0.2%", baseFloodElevationFt: null, firmPanel: "12001C", specialFloodHazardArea: false }],
    });
    const sent = replay.requests[0]!.searchParams;
    expect(sent.get("geometry")).toBe("-82.32,29.65");
    expect(sent.get("inSR")).toBe("4326");
    expect(sent.get("outFields")).toBe("FLD_ZONE,ZONE_SUBTY,SFHA_TF,STATIC_BFE,DFIRM_ID");
    expect(res.body.provenance.source).toContain("layer 28");
  });

  test("a point on a boundary keeps every zone, and the highest hazard is named", async () => {
    replay.on(FEMA, {
      json: femaAnswer(
        femaFeature({ FLD_ZONE: "X", ZONE_SUBTY: "0.2 PCT ANNUAL CHANCE FLOOD HAZARD", SFHA_TF: "F", DFIRM_ID: "12086C", STATIC_BFE: -9999 }),
        femaFeature({ FLD_ZONE: "AE", ZONE_SUBTY: null, SFHA_TF: "T", DFIRM_ID: "12086C", STATIC_BFE: 9 }),
      ),
    });
    const res = await risk.get("/flood?lat=25.77&lon=-80.19");
    expect(res.body.zones.map((z: { zone: string; annualChance: string }) => [z.zone, z.annualChance])).toEqual([["X", "0.2%"], ["AE", "1%"]]);
    expect(res.body.highestHazard).toMatchObject({ zone: "AE", baseFloodElevationFt: 9 });
    expect(res.body.specialFloodHazardArea).toBe(true);
  });

  test("no features means unmapped: undetermined, not low risk", async () => {
    replay.on(FEMA, { json: femaAnswer() });
    const res = await risk.get("/flood?lat=51.5&lon=-0.12");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: "unmapped", determination: "undetermined", zones: [] });
    expect(res.body.message).toMatch(/not a low-risk finding/);
  });

  test("ArcGIS reports errors in a 200 body: a 500 error is retried then a 502; a 400 error is a 422", async () => {
    replay.on(FEMA, { json: { error: { code: 500, message: "Unable to complete operation.", details: [] } } });
    const failing = await risk.get("/flood?lat=30&lon=-90");
    expect(failing.status).toBe(502);
    expect(failing.body).toMatchObject({ error: "upstream_failed", upstream: "FEMA NFHL", cause: "unavailable" });
    expect(failing.body.message).toContain("Unable to complete operation");
    expect(replay.hits(FEMA)).toBe(3); // first attempt + 2 retries

    replay.on(FEMA, { json: { error: { code: 400, message: "Invalid or missing input parameters.", details: ["geometry"] } } });
    const refused = await risk.get("/flood?lat=31&lon=-90");
    expect(refused.status).toBe(422);
    expect(refused.body.message).toContain("geometry");
  });
});

describe("failures: never an invented number", () => {
  test("malformed JSON is a 502 and is not cached", async () => {
    replay.on(USGS, (_url, n) => (n === 1 ? { body: "<html>maintenance</html>" } : { json: usgs716Example() }));
    const bad = await risk.get("/seismic?lat=34&lon=-118&riskCategory=III&siteClass=C&standard=asce7-16");
    expect(bad.status).toBe(502);
    expect(bad.body).toMatchObject({ error: "upstream_failed", cause: "malformed" });
    expect(bad.body.message).toContain("maintenance");
    expect(JSON.stringify(bad.body)).not.toMatch(/"value"/);
    const good = await risk.get("/seismic?lat=34&lon=-118&riskCategory=III&siteClass=C&standard=asce7-16");
    expect(good.status).toBe(200);
  });

  test("a wrong shape (missing sds) is malformed, not a partial answer", async () => {
    const body = usgs716Example() as { response: { data: Record<string, unknown> } };
    delete body.response.data.sds;
    replay.on(USGS, { json: body });
    const res = await risk.get("/seismic?lat=34&lon=-118&riskCategory=III&siteClass=C&standard=asce7-16");
    expect(res.status).toBe(502);
    expect(res.body.message).toContain("sds");
  });

  test("a slow upstream times out per attempt, is retried, then a 502 that says so", async () => {
    await restart({ timeoutMs: 100, retries: 1 });
    replay.on(FEMA, { delayMs: 1_000, json: femaAnswer() });
    const res = await risk.get("/flood?lat=30&lon=-90");
    expect(res.status).toBe(502);
    expect(res.body).toMatchObject({ cause: "timeout" });
    expect(res.body.message).toContain("100 ms");
    expect(replay.hits(FEMA)).toBe(2);
  });

  test("a transient 503 is retried with backoff and the lookup succeeds", async () => {
    replay.on(FEMA, (_url, n) => (n === 1 ? { status: 503, body: "busy" } : { json: femaAnswer() }));
    const res = await risk.get("/flood?lat=30&lon=-91");
    expect(res.status).toBe(200);
    expect(replay.hits(FEMA)).toBe(2);
  });

  test("an upstream that keeps failing opens its circuit: 503 without calling it, readiness says why, then it recovers", async () => {
    await restart({ retries: 0, breakerThreshold: 2, breakerCooldownMs: 300 });
    replay.on(USGS, { status: 500, body: "down" });
    for (const lat of [30, 31]) expect((await risk.get(`/seismic?lat=${lat}&lon=-118&riskCategory=II&siteClass=C`)).status).toBe(502);
    const open = await risk.get("/seismic?lat=32&lon=-118&riskCategory=II&siteClass=C");
    expect(open.status).toBe(503);
    expect(open.body).toMatchObject({ error: "upstream_unavailable", upstream: "USGS", retryAfterSeconds: 1 });
    expect(replay.hits(USGS)).toBe(2);
    const ready = await risk.get("/readyz");
    expect(ready.status).toBe(503);
    expect(ready.body.reasons.join(" ")).toMatch(/^USGS: circuit open after 2 failed lookups.*HTTP 500/);
    // The other upstream is unaffected.
    replay.on(FEMA, { json: femaAnswer() });
    expect((await risk.get("/flood?lat=30&lon=-90")).status).toBe(200);

    await new Promise((r) => setTimeout(r, 350));
    replay.on(USGS, { json: usgs716Example() });
    expect((await risk.get("/seismic?lat=33&lon=-118&riskCategory=II&siteClass=C")).status).toBe(200);
    expect((await risk.get("/readyz")).status).toBe(200);
  });
});

describe("cache and the combined lookup", () => {
  test("a repeated lookup is served from the cache with its original retrieval time; concurrent ones share one call", async () => {
    replay.on(FEMA, { delayMs: 50, json: femaAnswer() });
    const together = await Promise.all([1, 2, 3].map(() => risk.get("/flood?lat=40&lon=-75")));
    expect(together.every((r) => r.status === 200)).toBe(true);
    expect(replay.hits(FEMA)).toBe(1);
    const again = await risk.get("/flood?lat=40&lon=-75");
    expect(again.body.provenance).toMatchObject({ cache: "hit", retrievedAt: together[0]!.body.provenance.retrievedAt });
    expect(replay.hits(FEMA)).toBe(1);
    expect((await risk.get("/flood?lat=40.0001&lon=-75")).body.provenance.cache).toBe("miss");
  });

  test("a cached answer is the same JSON document as the first, served as JSON", async () => {
    replay.on(USGS, { json: usgs716Example() });
    const path = "/seismic?lat=34&lon=-118&riskCategory=III&siteClass=C&standard=asce7-16";
    const first = await fetch(`${risk.url}${path}`);
    const second = await fetch(`${risk.url}${path}`);
    expect(second.headers.get("content-type")).toBe("application/json; charset=utf-8");
    const [a, b] = [(await first.json()) as any, (await second.json()) as any];
    expect({ ...b, provenance: { ...b.provenance, cache: "miss" } }).toEqual(a);
    expect(b.provenance.cache).toBe("hit");
    expect(replay.hits(USGS)).toBe(1);
  });

  test("/risk returns both, each with provenance, with the stated defaults", async () => {
    replay.on(USGS, { json: usgs716Example() });
    replay.on(FEMA, { json: femaAnswer(femaFeature({ FLD_ZONE: "AE", SFHA_TF: "T", STATIC_BFE: 12, DFIRM_ID: "06037C" })) });
    const res = await risk.get("/risk?lat=34&lon=-118");
    expect(res.status).toBe(200);
    expect(res.body.location).toEqual({ latitude: 34, longitude: -118 });
    expect(res.body.seismic).toMatchObject({ standard: "asce7-22", riskCategory: "II", siteClass: "Default", provenance: { source: expect.stringContaining("USGS") } });
    expect(res.body.flood).toMatchObject({ status: "mapped", provenance: { source: expect.stringContaining("FEMA") } });
  });

  test("/risk with one upstream down is a 502 naming it, with the other's real answer as partial", async () => {
    replay.on(USGS, { json: usgs716Example() });
    replay.on(FEMA, { status: 502, body: "bad gateway" });
    const res = await risk.get("/risk?lat=34&lon=-118");
    expect(res.status).toBe(502);
    expect(res.body.failed).toEqual([{ upstream: "FEMA NFHL", cause: "unavailable", message: expect.stringContaining("HTTP 502") }]);
    expect(res.body.partial.seismic.parameters.ss.value).toBe(1.88774);
    expect(res.body.partial.flood).toBeUndefined();
  });
});
