/**
 * The post-processor over real HTTP on loopback, reading cases assembled from real OpenFOAM
 * output (cube-in-wind: 588 cells, one simpleFoam run per direction 0/90/180/270°).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { LocalCaseSource, type CaseSource } from "../src/post/case/source";
import { DIRECTIONS, REFERENCE_SPEED, fixtureValues, makeRoot, removeRoot, startPost, writeCase } from "./post-helpers";

const root = makeRoot();
let app: Awaited<ReturnType<typeof startPost>>;

beforeAll(async () => {
  writeCase(root, "c1");
  app = await startPost({ root });
});
afterAll(async () => {
  await app.close();
  removeRoot(root);
});

const magnitude = (v: Float64Array, i: number) => Math.sqrt(v[3 * i] ** 2 + v[3 * i + 1] ** 2 + v[3 * i + 2] ** 2);
const weibull4 = (c = 5, k = 2) => ({ type: "weibull", sectors: DIRECTIONS.map((direction) => ({ direction, frequency: 0.25, k, c })) });

describe("health", () => {
  test("ready with a usable cases directory; 503 naming it when it is missing", async () => {
    expect((await app.get("/healthz")).status).toBe(200);
    expect((await app.get("/readyz")).body).toEqual({ status: "ready" });
    const missing = await startPost({ root: path.join(root, "no-such-dir") });
    const res = await missing.get("/readyz");
    expect(res.status).toBe(503);
    expect(res.body.reasons).toEqual([`cases: ${path.join(root, "no-such-dir")} does not exist`]);
    expect((await missing.get("/cases/c1/fields/U/stats")).status).toBe(404);
    await missing.close();
  });
});

describe("field statistics", () => {
  test("U per sector: cell count, magnitude and components, against the fixture files", async () => {
    const res = await app.get("/cases/c1/fields/U/stats?percentiles=50,95");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ caseId: "c1", field: "U", class: "volVectorField", dimensions: [0, 1, -1, 0, 0, 0, 0] });
    expect(res.body.sectors.map((s: any) => [s.direction, s.time, s.cells])).toEqual(DIRECTIONS.map((d) => [d, "400", 588]));
    for (const sector of res.body.sectors) {
      const u = fixtureValues(sector.direction, "U");
      let max = 0;
      let sumX = 0;
      for (let i = 0; i < 588; i++) {
        max = Math.max(max, magnitude(u, i));
        sumX += u[3 * i];
      }
      expect(sector.quantities.magnitude.max).toBeCloseTo(max, 12);
      expect(sector.quantities.x.mean).toBeCloseTo(sumX / 588, 12);
      expect(Object.keys(sector.quantities.magnitude.percentiles)).toEqual(["50", "95"]);
    }
  });

  test("one sector; a uniform field counts the mesh's cells", async () => {
    const p = await app.get("/cases/c1/fields/p/stats?sector=90");
    expect(p.body.sectors).toHaveLength(1);
    const values = Array.from(fixtureValues(90, "p"));
    expect(p.body.sectors[0].quantities.value).toMatchObject({ count: 588, min: Math.min(...values), max: Math.max(...values) });
    const v = await app.get("/cases/c1/fields/V/stats?sector=0");
    expect(v.body.sectors[0]).toMatchObject({ uniform: true, cells: 588, quantities: { value: { min: 75, max: 75 } } });
  });

  test("unknown field → 404 listing the fields; unknown sector → 404 listing sectors; bad input → 400 naming it", async () => {
    const t = await app.get("/cases/c1/fields/T/stats");
    expect(t.status).toBe(404);
    expect(t.body).toMatchObject({ error: "field_not_found", field: "T", available: ["C", "U", "V", "epsilon", "k", "nut", "p"] });
    const s = await app.get("/cases/c1/fields/U/stats?sector=45");
    expect(s.status).toBe(404);
    expect(s.body).toMatchObject({ error: "sector_not_found", unknown: [45], sectors: DIRECTIONS });
    const bad = await app.get("/cases/c1/fields/U/stats?percentiles=5,abc&colour=red");
    expect(bad.status).toBe(400);
    expect(bad.body.fields.map((f: any) => f.field).sort()).toEqual(["colour", "percentiles[1]"]);
    const name = await app.get("/cases/c1/fields/..%2F..%2Fcase.json/stats");
    expect(name.status).toBe(400);
    expect(name.body.message).toMatch(/field name/);
  });
});

describe("case states", () => {
  test("unknown case 404; running 409; mesh-only 409; missing cell centres 409; corrupt field 422; bad id 400", async () => {
    writeCase(root, "running", { status: "solving" });
    writeCase(root, "meshonly", { kind: "mesh" });
    writeCase(root, "nocentres", { withoutCentres: true });
    writeCase(root, "corrupt", { corruptU: { direction: 90, text: "FoamFile { format binary; class volVectorField; }\ninternalField uniform (0 0 0);" } });
    const body = { criteria: "lawson", climate: weibull4() };
    expect((await app.post("/cases/nope/comfort", body)).body).toMatchObject({ error: "case_not_found" });
    const running = await app.post("/cases/running/comfort", body);
    expect(running.status).toBe(409);
    expect(running.body).toMatchObject({ error: "case_not_finished", status: "solving" });
    expect((await app.post("/cases/meshonly/comfort", body)).body).toMatchObject({ error: "not_a_wind_case" });
    const noC = await app.post("/cases/nocentres/comfort", body);
    expect(noC.status).toBe(409);
    expect(noC.body.message).toMatch(/no field 'C' in time 400 \(run `postProcess -func writeCellCentres -latestTime`\)/);
    const corrupt = await app.post("/cases/corrupt/comfort", body);
    expect(corrupt.status).toBe(422);
    expect(corrupt.body).toMatchObject({ error: "unreadable_case_file", file: "sectors/90/400/U" });
    expect(corrupt.body.message).toMatch(/format 'binary' is not supported/);
    const badId = await app.get("/cases/..%2Fetc/pedestrian");
    expect(badId.status).toBe(400);
  });

  test("without sectors in case.json: sector directories and their latest time directory; gzipped fields", async () => {
    writeCase(root, "listed", { listDirectories: true, gzip: ["U"] });
    const res = await app.get("/cases/listed/fields/U/stats");
    expect(res.status).toBe(200);
    expect(res.body.sectors.map((s: any) => [s.direction, s.time])).toEqual(DIRECTIONS.map((d) => [d, "400"]));
    const direct = await app.get("/cases/c1/fields/U/stats");
    expect(res.body.sectors).toEqual(direct.body.sectors);
  });
});

describe("probes", () => {
  test("a point on a cell centre: that cell, distance 0, its U and speed ratio in every sector", async () => {
    const c = fixtureValues("mesh", "C");
    const cell = 205;
    const point = { x: c[3 * cell], y: c[3 * cell + 1], z: c[3 * cell + 2] };
    const res = await app.post("/cases/c1/probes", { points: [point, { x: point.x + 0.3, y: point.y, z: point.z + 0.4 }], fields: ["U", "p"] });
    expect(res.status).toBe(200);
    const [onCentre, offCentre] = res.body.points;
    expect(onCentre.sectors.map((s: any) => s.direction)).toEqual(DIRECTIONS);
    for (const hit of onCentre.sectors) {
      const u = fixtureValues(hit.direction, "U");
      expect(hit).toMatchObject({ cell, distance: 0, centre: point });
      expect(hit.values.U).toEqual(Array.from(u.subarray(3 * cell, 3 * cell + 3)));
      expect(hit.values.p).toBe(fixtureValues(hit.direction, "p")[cell]);
      expect(hit.ratio).toBeCloseTo(magnitude(u, cell) / REFERENCE_SPEED, 12);
    }
    // 0.3 m across and 0.4 m up from the same centre: still nearest, 0.5 m away.
    expect(offCentre.sectors[0]).toMatchObject({ cell, distance: expect.closeTo(0.5, 12) });
  });

  test("bad points → 400 naming them; a field the case lacks → 404", async () => {
    const bad = await app.post("/cases/c1/probes", { points: [{ x: 1, y: 2 }], fields: ["U"], extra: true });
    expect(bad.status).toBe(400);
    expect(bad.body.fields.map((f: any) => f.field).sort()).toEqual(["extra", "points[0].z"]);
    const missing = await app.post("/cases/c1/probes", { points: [{ x: 1, y: 2, z: 3 }], fields: ["T"], sectors: [0] });
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ error: "field_not_found", field: "T", sector: 0 });
  });
});

describe("pedestrian level", () => {
  test("the 96 first-layer cells per sector, speed and ratio statistics", async () => {
    const res = await app.get("/cases/c1/pedestrian?height=1.5&band=0.5");
    expect(res.status).toBe(200);
    const c = fixtureValues("mesh", "C");
    for (const sector of res.body.sectors) {
      expect(sector.cells).toBe(96);
      const u = fixtureValues(sector.direction, "U");
      let max = 0;
      for (let i = 0; i < 588; i++) if (c[3 * i + 2] === 1.5) max = Math.max(max, magnitude(u, i));
      expect(sector.speed.max).toBeCloseTo(max, 12);
      expect(sector.ratio.max).toBeCloseTo(max / REFERENCE_SPEED, 12);
    }
  });

  test("a band with no cell centre → 422 with the nearest heights", async () => {
    const res = await app.get("/cases/c1/pedestrian?height=3&band=0.5");
    expect(res.status).toBe(422);
    expect(res.body.nearestHeights).toEqual([1.5, 4.5, 7.5]);
    expect((await app.get("/cases/c1/pedestrian?band=-1")).body.fields[0].field).toBe("band");
  });
});

describe("comfort", () => {
  let result: any;

  beforeAll(async () => {
    const res = await app.post("/cases/c1/comfort", { criteria: "lawson", climate: weibull4(4.5, 2) });
    expect(res.status).toBe(200);
    result = res.body;
  });

  test("the result names its criteria set with thresholds, and every cell is classed", () => {
    expect(result.criteria).toMatchObject({ name: "lawson", kind: "comfort" });
    expect(result.criteria.classes.map((c: any) => [c.name, c.speed, c.maxExceedancePercent])).toEqual([
      ["sitting", 4, 5],
      ["standing", 6, 5],
      ["walking", 8, 5],
      ["business walking", 10, 5],
      ["uncomfortable", undefined, undefined],
    ]);
    expect(result.safety.name).toBe("lawson-safety");
    expect(result.thresholds).toEqual([4, 6, 8, 10, 15, 20]);
    expect(result.pedestrianLevel).toEqual({ height: 1.5, band: 0.5, cells: 96 });
    expect(result.sectors.map((s: any) => [s.direction, s.frequency, s.mapping])).toEqual(DIRECTIONS.map((d) => [d, 0.25, "same-mesh"]));
    expect(result.summary.comfort.reduce((n: number, c: any) => n + c.cells, 0)).toBe(96);
    expect(result.cells).toBeUndefined();
    expect(result.links.csv).toBe(`/cases/c1/results/${result.id}?format=csv`);
  });

  test("stored under the case with the criteria set; per-cell exceedance equals the formula on the fixture velocities", async () => {
    const file = path.join(root, "c1", "results", `${result.id}.json`);
    expect(existsSync(file)).toBe(true);
    const stored = JSON.parse(readFileSync(file, "utf8"));
    expect(stored.criteria).toEqual(result.criteria);
    const res = await app.get(`/cases/c1/results/${result.id}?format=json`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(stored);
    const cells = stored.cells;
    const u = DIRECTIONS.map((d) => fixtureValues(d, "U"));
    for (const k of [0, 37, 95]) {
      const cell = cells.cell[k];
      // P(V > v) = Σ_s 0.25 · exp(−(v / (r_s · 4.5))²), r_s = |U_s| / 10 at this cell.
      const ratios = u.map((v) => magnitude(v, cell) / REFERENCE_SPEED);
      DIRECTIONS.forEach((d, s) => expect(cells.ratio[String(d)][k]).toBeCloseTo(ratios[s], 6));
      const p = (v: number) => 100 * ratios.reduce((sum, r) => sum + 0.25 * Math.exp(-((v / (r * 4.5)) ** 2)), 0);
      for (const t of [4, 6, 8, 10, 15, 20]) expect(cells.exceedancePercent[String(t)][k]).toBeCloseTo(p(t), 5);
      const expected = [4, 6, 8, 10].findIndex((t) => p(t) <= 5);
      expect(cells.comfortClass[k]).toBe(expected < 0 ? 4 : expected);
      expect(cells.safetyClass[k]).toBe(p(15) <= 0.022 ? 0 : p(20) <= 0.022 ? 1 : 2);
    }
  });

  test("CSV: a header and one row per cell, class names included", async () => {
    const res = await app.get(`/cases/c1/results/${result.id}?format=csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="${result.id}.csv"`);
    const lines = res.text.trimEnd().split("\n");
    expect(lines).toHaveLength(97);
    const header = lines[0].split(",");
    expect(header).toEqual([
      "cell", "x", "y", "z",
      "ratio_0", "ratio_90", "ratio_180", "ratio_270",
      "speed_0", "speed_90", "speed_180", "speed_270",
      "exceedance_4ms_pct", "exceedance_6ms_pct", "exceedance_8ms_pct", "exceedance_10ms_pct", "exceedance_15ms_pct", "exceedance_20ms_pct",
      "comfort_class", "safety_class", "comfort_class_name", "safety_class_name",
    ]);
    const row = lines[1].split(",");
    expect(Number(row[3])).toBe(1.5);
    expect(Number(row[8])).toBeCloseTo(Number(row[4]) * REFERENCE_SPEED, 5);
    expect(result.criteria.classes[Number(row[18])].name).toBe(row[20]);
  });

  test("VTK: legacy POLYDATA, one vertex per cell, the point data named", async () => {
    const res = await app.get(`/cases/c1/results/${result.id}?format=vtk`);
    expect(res.status).toBe(200);
    const lines = res.text.split("\n");
    expect(lines.slice(0, 5)).toEqual(["# vtk DataFile Version 3.0", expect.stringMatching(/^Abode wind comfort .*lawson: 0=sitting 1=standing/), "ASCII", "DATASET POLYDATA", "POINTS 96 double"]);
    expect(lines[5].split(" ").map(Number)[2]).toBe(1.5);
    expect(lines).toContain("VERTICES 96 192");
    expect(lines).toContain("POINT_DATA 96");
    for (const name of ["comfort_class int", "safety_class int", "ratio_90 double", "speed_270 double", "exceedance_4ms_pct double"]) expect(lines).toContain(`SCALARS ${name} 1`);
    const at = lines.indexOf("SCALARS comfort_class int 1");
    expect(lines[at + 1]).toBe("LOOKUP_TABLE default");
    expect(lines.slice(at + 2, at + 98).every((l) => /^[0-4]$/.test(l))).toBe(true);
  });

  test("NEN 8100 with a frequency table; its own danger levels by default", async () => {
    const table = {
      type: "table",
      speedBins: [0, 2, 4, 6, 8, 10, 14, 20],
      sectors: DIRECTIONS.map((direction) => ({ direction, frequencies: [0.05, 0.07, 0.06, 0.04, 0.02, 0.008, 0.002] })),
    };
    const res = await app.post("/cases/c1/comfort", { criteria: "nen-8100", climate: table });
    expect(res.status).toBe(200);
    expect(res.body.criteria.classes.map((c: any) => c.name)).toEqual(["A", "B", "C", "D", "E"]);
    expect(res.body.safety.name).toBe("nen-8100-danger");
    expect(res.body.thresholds).toEqual([5, 15]);
    const stored = JSON.parse(readFileSync(path.join(root, "c1", "results", `${res.body.id}.json`), "utf8"));
    // Cell 0 of the result: P(V > 5) = Σ_s P_s(V_ref > 5 / r_s), linear within the table's bins.
    const edges = table.speedBins;
    const shares = table.sectors[0].frequencies;
    const sectorP = (x: number) => {
      if (x >= edges[edges.length - 1]) return 0;
      let p = 0;
      for (let b = 0; b < shares.length; b++) {
        if (x <= edges[b]) p += shares[b];
        else if (x < edges[b + 1]) p += (shares[b] * (edges[b + 1] - x)) / (edges[b + 1] - edges[b]);
      }
      return p;
    };
    const cell = stored.cells.cell[0];
    const p5 = 100 * DIRECTIONS.reduce((sum, d) => sum + sectorP(5 / (magnitude(fixtureValues(d, "U"), cell) / REFERENCE_SPEED)), 0);
    expect(stored.cells.exceedancePercent["5"][0]).toBeCloseTo(p5, 5);
    expect(stored.cells.comfortClass[0]).toBe(p5 < 2.5 ? 0 : p5 < 5 ? 1 : p5 < 10 ? 2 : p5 < 20 ? 3 : 4);
  });

  test("a climate at 20 m moves to the 10 m reference height by the log law over the case's z0", async () => {
    const res = await app.post("/cases/c1/comfort", { criteria: "city-of-london-2019", safety: null, climate: { ...weibull4(), referenceHeight: 20 } });
    expect(res.status).toBe(200);
    // ln(10 / 0.1) / ln(20 / 0.1) = 4.605170 / 5.298317 = 0.869176
    expect(res.body.climateHeightConversion).toEqual({ from: 20, to: 10, z0: 0.1, factor: expect.closeTo(0.869176, 6) });
    expect(res.body.safety).toBeNull();
    writeCase(root, "noz0", { z0: null });
    const refused = await app.post("/cases/noz0/comfort", { criteria: "lawson", climate: { ...weibull4(), referenceHeight: 20 } });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ field: "climate.referenceHeight", z0: null });
  });

  test("a sector meshed with another cell numbering is matched cell by cell (nearest centre, 0 m)", async () => {
    writeCase(root, "renumbered", { reversedSector: 90 });
    const body = { criteria: "lawson", climate: weibull4(4.5, 2) };
    const a = await app.post("/cases/c1/comfort", body);
    const b = await app.post("/cases/renumbered/comfort", body);
    expect(b.body.sectors.find((s: any) => s.direction === 90)).toMatchObject({ mapping: "nearest-cell", maxMappingDistance: 0 });
    expect(b.body.summary).toEqual(a.body.summary);
    const cellsA = JSON.parse(readFileSync(path.join(root, "c1", "results", `${a.body.id}.json`), "utf8")).cells;
    const cellsB = JSON.parse(readFileSync(path.join(root, "renumbered", "results", `${b.body.id}.json`), "utf8")).cells;
    expect(cellsB.exceedancePercent).toEqual(cellsA.exceedancePercent);
  });

  test("unknown criteria → 400 naming it and listing the valid sets; bad climates → 400 naming the field", async () => {
    const unknown = await app.post("/cases/c1/comfort", { criteria: "lawsen", climate: weibull4() });
    expect(unknown.status).toBe(400);
    expect(unknown.body.fields).toEqual([
      { field: "criteria", message: "Unknown criteria set 'lawsen'; valid: lawson, city-of-london-2019, nen-8100, lawson-safety, nen-8100-danger" },
    ]);
    const sum = await app.post("/cases/c1/comfort", { criteria: "lawson", climate: { type: "weibull", sectors: [{ direction: 0, frequency: 0.5, k: 2, c: 5 }] } });
    expect(sum.body.fields).toEqual([{ field: "climate.sectors", message: "frequencies must sum to 1 (fractions of the time), they sum to 0.5" }]);
    const bins = await app.post("/cases/c1/comfort", { criteria: "lawson", climate: { type: "table", speedBins: [0, 5, 10], sectors: [{ direction: 0, frequencies: [1] }] } });
    expect(bins.body.fields.map((f: any) => f.field)).toEqual(["climate.sectors[0].frequencies"]);
    const safety = await app.post("/cases/c1/comfort", { criteria: "lawson", safety: "lawson", climate: weibull4() });
    expect(safety.body.fields[0]).toEqual({ field: "safety", message: "Unknown safety criteria set 'lawson'; valid: lawson-safety, nen-8100-danger" });
  });

  test("climate directions without a CFD run → 422 naming them", async () => {
    const eight = { type: "weibull", sectors: [0, 45, 90, 135, 180, 225, 270, 315].map((direction) => ({ direction, frequency: 0.125, k: 2, c: 5 })) };
    const res = await app.post("/cases/c1/comfort", { criteria: "lawson", climate: eight });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ error: "climate_sectors_not_simulated", missing: [45, 135, 225, 315], simulated: DIRECTIONS });
    expect(res.body.message).toMatch(/wind from 45, 135, 225, 315°/);
  });

  test("result files are whole files named by their id (written to a temporary name, then renamed)", () => {
    const names = readdirSync(path.join(root, "c1", "results"));
    expect(names.length).toBeGreaterThan(0);
    expect(names.every((n) => /^[0-9a-f-]{36}\.json$/.test(n))).toBe(true);
  });

  test("a band with no cells → 422; results: unknown 404, malformed id 400, unknown format 400", async () => {
    const band = await app.post("/cases/c1/comfort", { criteria: "lawson", climate: weibull4(), height: 6, band: 0.2 });
    expect(band.status).toBe(422);
    expect(band.body.nearestHeights).toEqual([4.5, 7.5, 1.5]);
    expect((await app.get("/cases/c1/results/00000000-0000-4000-8000-000000000000")).status).toBe(404);
    const malformed = await app.get("/cases/c1/results/..%2Fcase.json");
    expect(malformed.status).toBe(400);
    expect(malformed.body.message).toMatch(/result id/);
    expect((await app.get(`/cases/c1/results/${result.id}?format=xls`)).body.fields[0].field).toBe("format");
  });
});

test("more pedestrian cells than the configured limit → 422 naming the count and the limit", async () => {
  const small = await startPost({ root, maxResultCells: 50 });
  const res = await small.post("/cases/c1/comfort", { criteria: "lawson", climate: weibull4() });
  expect(res.status).toBe(422);
  expect(res.body).toMatchObject({ field: "band", cells: 96, limit: 50 });
  await small.close();
});

describe("bounded concurrency", () => {
  /** The local store, with reads held until the test lets them go. */
  class GatedSource implements CaseSource {
    readonly description = "gated";
    private release!: () => void;
    readonly opened = new Promise<void>((resolve) => (this.release = resolve));
    reads = 0;
    constructor(private readonly inner: CaseSource) {}
    open() {
      this.release();
    }
    async read(key: string) {
      this.reads++;
      await this.opened;
      return this.inner.read(key);
    }
    info = (key: string) => this.inner.info(key);
    list = (prefix: string) => this.inner.list(prefix);
    write = (key: string, data: Buffer | string) => this.inner.write(key, data);
    unavailable = () => this.inner.unavailable();
  }

  test("one job running, one waiting, the next refused with 503 and Retry-After; the held ones then finish", async () => {
    const gated = new GatedSource(new LocalCaseSource(root));
    const busy = await startPost({ source: gated, maxActiveJobs: 1, maxQueuedJobs: 1 });
    const first = busy.get("/cases/c1/fields/U/stats?sector=0");
    while (gated.reads === 0) await new Promise((r) => setTimeout(r, 5));
    const second = busy.get("/cases/c1/fields/p/stats?sector=0");
    await new Promise((r) => setTimeout(r, 50));
    const third = await busy.get("/cases/c1/fields/k/stats?sector=0");
    expect(third.status).toBe(503);
    expect(third.headers.get("retry-after")).toBe("5");
    expect(third.body).toMatchObject({ error: "busy" });
    gated.open();
    expect((await first).status).toBe(200);
    expect((await second).status).toBe(200);
    await busy.close();
  });
});

