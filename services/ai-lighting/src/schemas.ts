/**
 * Request schemas. Every limit has a reason: physical plausibility, or bounding the work a
 * single request can cause (grid points × luminaires, window patches, optimizer counts).
 */
import { z } from "zod";
import { estimateGridPoints } from "./illuminance";
import { isSimplePolygon, pointInPolygon, signedArea } from "./geometry";
import { placeWindow } from "./daylight";
import { ROOM_TYPES } from "./targets";
import { parseIsoWithOffset } from "./time";

const finite = () => z.number().finite();
/** Plans are in metres around an origin; a kilometre covers any building. */
const coordinate = () => finite().min(-1000).max(1000);

export const MAX_GRID_POINTS = 40_000;
export const MAX_LUMINAIRES = 500;
export const MAX_WINDOWS = 20;
/** The optimizer evaluates the grid thousands of times, so it gets a smaller one. */
export const MAX_OPTIMIZER_GRID_POINTS = 5_000;

export const NaturalLightingRequest = z
  .strictObject({
    latitude: finite().min(-90).max(90),
    longitude: finite().min(-180).max(180),
    /** Metres above sea level. */
    elevation: finite().min(-500).max(9000).default(0),
    /** Annual mean pressure, mbar; defaults to the standard atmosphere at `elevation`. */
    pressure: finite().min(300).max(1100).optional(),
    /** Annual mean temperature, °C. */
    temperature: finite().min(-90).max(60).default(12),
    time: z.string().max(40),
    /** TT − UT1, seconds; estimated from the date when absent. */
    deltaT: finite().min(-8000).max(8000).optional(),
    deltaUt1: finite().gt(-1).lt(1).default(0),
    /** A tilted surface (e.g. a roof light) for the incidence angle. */
    surface: z
      .strictObject({
        slope: finite().min(0).max(180),
        /** From south, negative towards east (the SPA convention). */
        azimuthRotation: finite().min(-360).max(360),
      })
      .optional(),
  })
  .superRefine(
    crossFieldChecks((body) => {
      if (typeof body.time !== "string") return [];
      const parsed = parseIsoWithOffset(body.time);
      if (typeof parsed === "string") return [{ path: ["time"], message: parsed }];
      if (parsed.local.year > 6000) return [{ path: ["time"], message: "year outside the SPA's valid range (−2000..6000)" }];
      if (body.deltaT === undefined && (parsed.decimalYear < 1900 || parsed.decimalYear >= 2150)) {
        return [{ path: ["deltaT"], message: "required outside 1900–2149, where no ΔT estimate is built in" }];
      }
      return [];
    }),
  );
export type NaturalLightingRequest = z.infer<typeof NaturalLightingRequest>;

/**
 * The same request as a query string (`GET /natural-lighting?latitude=…&longitude=…&time=…`), so
 * the edge can cache it by URL. Numbers arrive as strings; a tilted surface is
 * `surfaceSlope` + `surfaceAzimuthRotation`. Everything else is checked by the body schema.
 */
export const NaturalLightingQuery = z.preprocess((raw) => {
  if (typeof raw !== "object" || raw === null) return raw;
  const { surfaceSlope, surfaceAzimuthRotation, time, ...rest } = raw as Record<string, unknown>;
  const asNumber = (v: unknown) => (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v)) ? Number(v) : v);
  const body: Record<string, unknown> = { time, ...Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, asNumber(v)])) };
  if (surfaceSlope !== undefined || surfaceAzimuthRotation !== undefined) {
    body.surface = { slope: asNumber(surfaceSlope), azimuthRotation: asNumber(surfaceAzimuthRotation) };
  }
  return body;
}, NaturalLightingRequest);

const point2 = z.strictObject({ x: coordinate(), y: coordinate() });
const point3 = z.strictObject({ x: coordinate(), y: coordinate(), z: finite().min(0).max(100) });

const RoomSchema = z.strictObject({
  /** Floor outline, metres, in order (either direction), not closed (first ≠ last). */
  floor: z.array(point2).min(3).max(64),
  /** Floor to ceiling, metres. */
  height: finite().gt(0).max(50),
  /** EN 12464-1 work plane, metres above the floor. */
  workPlaneHeight: finite().min(0).max(50).default(0.75),
  type: z.enum(ROOM_TYPES),
});

const GridSchema = z
  .strictObject({
    spacing: finite().min(0.05).max(5).default(0.25),
    /** Border band left out of the calculation area, metres. */
    margin: finite().min(0).max(10).default(0.5),
  })
  .default({ spacing: 0.25, margin: 0.5 });

const WindowSchema = z.strictObject({
  /** Outline in 3D (metres), lying in the plane of one wall. */
  polygon: z.array(point3).min(3).max(32),
  /** Light transmittance of the glazing, including frame and dirt losses. */
  transmittance: finite().gt(0).max(1),
});

const distribution = z.enum(["isotropic", "lambertian"]);

type Issue = { path: PropertyKey[]; message: string };

/**
 * zod runs object refinements even when some fields already failed, so the values seen here
 * may be partly invalid. Cross-field checks only add to field errors; if the data is too
 * broken to check, the field errors already say why.
 */
function crossFieldChecks<T>(check: (body: T) => Issue[]) {
  return (body: T, ctx: z.RefinementCtx) => {
    let issues: Issue[];
    try {
      issues = check(body);
    } catch {
      return;
    }
    for (const issue of issues) ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
  };
}

/** Cross-field checks shared by /analyze and /optimize: the room itself. */
function roomProblems(room: z.infer<typeof RoomSchema>, grid: { spacing: number }): Issue[] {
  const issues: Issue[] = [];
  if (!isSimplePolygon(room.floor)) issues.push({ path: ["room", "floor"], message: "must be a simple polygon (no crossing edges, non-zero area)" });
  else if (Math.abs(signedArea(room.floor)) > 10_000) issues.push({ path: ["room", "floor"], message: "area above 10 000 m²; split the space" });
  else if (estimateGridPoints(room.floor, grid.spacing) > MAX_GRID_POINTS) {
    issues.push({ path: ["grid", "spacing"], message: `gives more than ${MAX_GRID_POINTS} points for this room; use a coarser spacing` });
  }
  if (room.workPlaneHeight >= room.height) issues.push({ path: ["room", "workPlaneHeight"], message: "must be below the ceiling (room.height)" });
  return issues;
}

function windowProblems(room: z.infer<typeof RoomSchema>, windows: z.infer<typeof WindowSchema>[]): Issue[] {
  if (!isSimplePolygon(room.floor)) return [];
  const issues: Issue[] = [];
  windows.forEach((w, i) => {
    const placed = placeWindow(room.floor, room.height, w.polygon, w.transmittance);
    if (typeof placed === "string") issues.push({ path: ["windows", i, "polygon"], message: placed });
  });
  return issues;
}

export const AnalyzeRequest = z
  .strictObject({
    room: RoomSchema,
    luminaires: z
      .array(
        z.strictObject({
          x: coordinate(),
          y: coordinate(),
          /** Light centre height above the floor, metres. */
          z: finite().min(0).max(50),
          flux: finite().gt(0).max(1_000_000),
          distribution,
          maintenanceFactor: finite().gt(0).max(1).default(0.8),
        }),
      )
      .max(MAX_LUMINAIRES),
    windows: z.array(WindowSchema).max(MAX_WINDOWS).default([]),
    grid: GridSchema,
    /** Outdoor horizontal illuminance of the design overcast sky, lux (daylight lux = DF × this). */
    designSkyIlluminance: finite().min(0).max(150_000).default(10_000),
  })
  .superRefine(
    crossFieldChecks((body) => {
    const issues = [...roomProblems(body.room, body.grid), ...windowProblems(body.room, body.windows)];
    body.luminaires.forEach((l, i) => {
      if (isSimplePolygon(body.room.floor) && !pointInPolygon(l.x, l.y, body.room.floor)) {
        issues.push({ path: ["luminaires", i], message: "(x, y) is outside the floor polygon" });
      }
      if (l.z > body.room.height) issues.push({ path: ["luminaires", i, "z"], message: "above the ceiling (room.height)" });
      else if (l.z <= body.room.workPlaneHeight) issues.push({ path: ["luminaires", i, "z"], message: "must be above the work plane" });
    });
    return issues;
    }),
  );
export type AnalyzeRequest = z.infer<typeof AnalyzeRequest>;

export const GOALS = ["natural", "dramatic", "even"] as const;

export const OptimizeRequest = z
  .strictObject({
    room: RoomSchema,
    /** even: EN 12464-1 Ēm with Uo ≥ max(table, 0.7); natural: table values with daylight counted; dramatic: Ēm with Uo relaxed to 0.4. */
    goal: z.enum(GOALS),
    target: z
      .strictObject({
        illuminanceLux: finite().gt(0).max(20_000).optional(),
        uniformity: finite().min(0).max(1).optional(),
      })
      .optional(),
    catalogue: z
      .array(
        z.strictObject({
          id: z.string().min(1).max(64),
          flux: finite().gt(0).max(200_000),
          powerW: finite().gt(0).max(5_000),
          distribution,
          maintenanceFactor: finite().gt(0).max(1).default(0.8),
          maxCount: z.number().int().min(1).max(200).default(100),
        }),
      )
      .min(1)
      .max(10),
    /** Light centre height, metres; defaults to the ceiling (surface-mounted). */
    mountingHeight: finite().gt(0).max(50).optional(),
    /** Closest a luminaire may be to a wall, metres. */
    wallClearance: finite().min(0).max(5).default(0.3),
    windows: z.array(WindowSchema).max(MAX_WINDOWS).default([]),
    grid: GridSchema,
    designSkyIlluminance: finite().min(0).max(150_000).default(10_000),
  })
  .superRefine(
    crossFieldChecks((body) => {
    const issues = [...roomProblems(body.room, body.grid), ...windowProblems(body.room, body.windows)];
    const mount = body.mountingHeight ?? body.room.height;
    if (mount > body.room.height) issues.push({ path: ["mountingHeight"], message: "above the ceiling (room.height)" });
    else if (mount <= body.room.workPlaneHeight) issues.push({ path: ["mountingHeight"], message: "must be above the work plane" });
    const ids = new Set<string>();
    body.catalogue.forEach((entry, i) => {
      if (ids.has(entry.id)) issues.push({ path: ["catalogue", i, "id"], message: "duplicate id" });
      ids.add(entry.id);
    });
    // The grid is smaller for this route: the optimizer evaluates it thousands of times.
    const points = isSimplePolygon(body.room.floor) ? estimateGridPoints(body.room.floor, body.grid.spacing) : 0;
    if (points > MAX_OPTIMIZER_GRID_POINTS && points <= MAX_GRID_POINTS) {
      issues.push({ path: ["grid", "spacing"], message: `gives more than ${MAX_OPTIMIZER_GRID_POINTS} points for the optimizer; use a coarser spacing` });
    }
    return issues;
    }),
  );
export type OptimizeRequest = z.infer<typeof OptimizeRequest>;
