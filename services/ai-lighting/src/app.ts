/** Routes of the AI lighting service: thin handlers over the domain functions. */
import { unprocessable, type Service } from "@abode/service-kit";
import { analyzeRoom } from "./analysis";
import { daylightFactorGrid, hdriBand, placeWindow, skyIlluminance, type PlacedWindow } from "./daylight";
import { workPlaneGrid } from "./illuminance";
import { optimizeLayout, type OptimizeTarget } from "./optimize";
import { AnalyzeRequest, NaturalLightingQuery, NaturalLightingRequest, OptimizeRequest } from "./schemas";
import { estimateDeltaT, riseTransitSet, solarPosition, type RiseTransitSet, type SpaInput } from "./spa";
import { EN12464_TARGETS, verdict } from "./targets";
import { formatLocalHours, parseIsoWithOffset, type ParsedTime } from "./time";

/** Standard-atmosphere pressure at an elevation, mbar (used when no annual mean is given). */
export function standardPressure(elevation: number): number {
  return 1013.25 * (1 - 2.25577e-5 * elevation) ** 5.25588;
}

function placeAll(floor: { x: number; y: number }[], height: number, windows: { polygon: { x: number; y: number; z: number }[]; transmittance: number }[]): PlacedWindow[] {
  // Already validated by the schema, so every window places.
  return windows.map((w) => placeWindow(floor, height, w.polygon, w.transmittance) as PlacedWindow);
}

/**
 * Sunrise/transit/sunset depend on the date and place only, not the time of day, and cost
 * ~5× a solar position; a client scrubbing through a day asks for the same day repeatedly.
 */
const RTS_CACHE_SIZE = 512;
const rtsCache = new Map<string, RiseTransitSet>();

function cachedRiseTransitSet(input: SpaInput): RiseTransitSet {
  const { year, month, day } = input.local;
  const key = `${year}-${month}-${day}|${input.timezoneHours}|${input.latitude}|${input.longitude}|${input.deltaT}`;
  const hit = rtsCache.get(key);
  if (hit) return hit;
  const value = riseTransitSet(input);
  if (rtsCache.size >= RTS_CACHE_SIZE) rtsCache.delete(rtsCache.keys().next().value as string);
  rtsCache.set(key, value);
  return value;
}

export function naturalLighting(body: NaturalLightingRequest) {
  const time = parseIsoWithOffset(body.time) as ParsedTime;
  const deltaT = body.deltaT ?? estimateDeltaT(time.decimalYear);
  const input: SpaInput = {
    local: time.local,
    timezoneHours: time.timezoneHours,
    latitude: body.latitude,
    longitude: body.longitude,
    elevation: body.elevation,
    pressure: body.pressure ?? standardPressure(body.elevation),
    temperature: body.temperature,
    deltaT,
    deltaUt1: body.deltaUt1,
    slope: body.surface?.slope,
    azimuthRotation: body.surface?.azimuthRotation,
  };
  const sun = solarPosition(input);
  const rts = cachedRiseTransitSet(input);
  const at = (hours: number) => formatLocalHours(time.local, hours, time.offsetMinutes);
  const band = hdriBand(sun.elevation);
  return {
    time: body.time,
    deltaT: { seconds: deltaT, source: body.deltaT === undefined ? "estimated (Espenak & Meeus 2006)" : "given" },
    sun: {
      zenith: sun.zenith,
      elevation: sun.elevation,
      azimuth: sun.azimuth,
      declination: sun.declination,
      incidence: sun.incidence ?? null,
      julianDay: sun.julianDay,
      equationOfTimeMinutes: sun.equationOfTime,
    },
    day:
      rts.kind === "normal"
        ? { kind: rts.kind, sunrise: at(rts.sunrise), solarNoon: at(rts.transit), sunset: at(rts.sunset), daylightHours: (rts.sunset - rts.sunrise + 24) % 24 }
        : { kind: rts.kind, sunrise: null, solarNoon: at(rts.transit), sunset: null, daylightHours: rts.kind === "polar-day" ? 24 : 0 },
    sky: skyIlluminance(sun.elevation, sun.earthSunDistance),
    hdri: {
      band,
      // Rotate the environment map so its sun sits at the sun's azimuth (clockwise from north).
      rotationDeg: sun.azimuth,
      sunVisible: sun.elevation > 0,
    },
  };
}

export function goalTarget(body: OptimizeRequest): OptimizeTarget & { source: string } {
  const table = EN12464_TARGETS[body.room.type];
  const byGoal: Record<OptimizeRequest["goal"], OptimizeTarget> = {
    even: { illuminanceLux: table.illuminanceLux, uniformity: Math.max(table.uniformity, 0.7) },
    natural: { illuminanceLux: table.illuminanceLux, uniformity: table.uniformity },
    dramatic: { illuminanceLux: table.illuminanceLux, uniformity: Math.min(table.uniformity, 0.4) },
  };
  const goal = byGoal[body.goal];
  const overridden = body.target?.illuminanceLux !== undefined || body.target?.uniformity !== undefined;
  return {
    illuminanceLux: body.target?.illuminanceLux ?? goal.illuminanceLux,
    uniformity: body.target?.uniformity ?? goal.uniformity,
    source: overridden ? "request override" : `EN 12464-1 ${body.room.type}, goal ${body.goal}`,
  };
}

export async function optimize(body: OptimizeRequest) {
  const target = goalTarget(body);
  const grid = workPlaneGrid(body.room.floor, body.room.workPlaneHeight, body.grid.spacing, body.grid.margin);
  const mountingHeight = body.mountingHeight ?? body.room.height;
  // Only the natural goal counts daylight (the design overcast sky) towards the target.
  const windows = body.goal === "natural" ? placeAll(body.room.floor, body.room.height, body.windows) : [];
  const df = daylightFactorGrid(grid, body.room.floor, windows);
  const base = df.map((v) => (v / 100) * body.designSkyIlluminance);
  const result = await optimizeLayout({
    floor: body.room.floor,
    grid,
    base,
    mountingHeight,
    catalogue: body.catalogue,
    target,
    wallClearance: body.wallClearance,
  });
  if (!result.feasible) {
    throw unprocessable(`Infeasible: ${result.reason}.`, {
      target,
      closest: result.closest
        ? { luminaire: result.closest.entry.id, count: result.closest.positions.length, achieved: result.closest.summary }
        : null,
    });
  }
  const { best } = result;
  return {
    goal: body.goal,
    target,
    luminaire: best.entry,
    count: best.positions.length,
    installedPowerW: best.installedPowerW,
    installedFlux: best.positions.length * best.entry.flux,
    layout: best.positions.map((p) => ({ x: Math.round(p.x * 1000) / 1000, y: Math.round(p.y * 1000) / 1000, z: mountingHeight })),
    achieved: best.summary,
    daylightCounted: body.goal === "natural" && windows.length > 0,
    verdict: verdict(body.room.type, best.summary.mean, best.summary.uniformity),
    search: { evaluations: result.evaluations, smallestFeasibleCount: result.tried, budgetExhausted: result.budgetExhausted },
  };
}

export function registerLightingRoutes(service: Service): void {
  service.route({
    method: "POST",
    url: "/natural-lighting",
    body: NaturalLightingRequest,
    bodyLimitBytes: 4 * 1024,
    handler: ({ body }) => naturalLighting(body),
  });
  service.route({ method: "GET", url: "/natural-lighting", query: NaturalLightingQuery, handler: ({ query }) => naturalLighting(query) });
  service.route({
    method: "POST",
    url: "/analyze",
    body: AnalyzeRequest,
    handler: ({ body }) =>
      analyzeRoom({
        floor: body.room.floor,
        height: body.room.height,
        workPlaneHeight: body.room.workPlaneHeight,
        roomType: body.room.type,
        luminaires: body.luminaires,
        windows: placeAll(body.room.floor, body.room.height, body.windows),
        gridSpacing: body.grid.spacing,
        wallMargin: body.grid.margin,
        designSkyIlluminance: body.designSkyIlluminance,
      }),
  });
  service.route({
    method: "POST",
    url: "/optimize",
    body: OptimizeRequest,
    bodyLimitBytes: 64 * 1024,
    handler: ({ body }) => optimize(body),
  });
}
