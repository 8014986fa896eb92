/** The /analyze computation: grid, electric and daylight illuminance, verdict, advice. */
import { daylightClass, daylightFactorGrid, type PlacedWindow } from "./daylight";
import { illuminanceGrid, summarize, workPlaneGrid, type GridSummary, type Luminaire } from "./illuminance";
import type { Point2 } from "./geometry";
import { EN12464_TARGETS, verdict, type RoomType, type Verdict } from "./targets";

export interface AnalysisInput {
  floor: Point2[];
  height: number;
  workPlaneHeight: number;
  roomType: RoomType;
  luminaires: Luminaire[];
  windows: PlacedWindow[];
  gridSpacing: number;
  wallMargin: number;
  /** Outdoor horizontal illuminance of the design overcast sky, lux. */
  designSkyIlluminance: number;
}

export interface Recommendation {
  kind: "add-flux" | "add-luminaire" | "reduce-flux" | "daylight";
  message: string;
  /** Lumens to add (add-flux, add-luminaire) or that could be removed (reduce-flux). */
  lumens?: number;
  at?: Point2;
  region?: { minX: number; minY: number; maxX: number; maxY: number; points: number };
}

export interface Analysis {
  grid: { spacing: number; margin: number; z: number; x: number[]; y: number[]; lux: number[]; daylightFactorPercent: number[] };
  electric: GridSummary;
  daylight: { windows: number; meanFactorPercent: number; minFactorPercent: number; class: ReturnType<typeof daylightClass> | null; meanLux: number };
  combined: GridSummary;
  installedFlux: number;
  verdict: Verdict;
  recommendations: Recommendation[];
}

const round = (v: number, digits: number) => {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
};

export function analyzeRoom(input: AnalysisInput): Analysis {
  const grid = workPlaneGrid(input.floor, input.workPlaneHeight, input.gridSpacing, input.wallMargin);
  const lux = illuminanceGrid(grid, input.luminaires, input.floor);
  const df = daylightFactorGrid(grid, input.floor, input.windows);
  const electric = summarize(lux);
  const dfSummary = summarize(df);
  const combinedValues = lux.map((e, i) => e + (df[i]! / 100) * input.designSkyIlluminance);
  const installedFlux = input.luminaires.reduce((sum, l) => sum + l.flux, 0);
  const result = verdict(input.roomType, electric.mean, electric.uniformity);
  return {
    grid: {
      spacing: input.gridSpacing,
      margin: input.wallMargin,
      z: input.workPlaneHeight,
      x: Array.from(grid.xs, (v) => round(v, 3)),
      y: Array.from(grid.ys, (v) => round(v, 3)),
      lux: Array.from(lux, (v) => round(v, 2)),
      daylightFactorPercent: Array.from(df, (v) => round(v, 3)),
    },
    electric,
    daylight: {
      windows: input.windows.length,
      meanFactorPercent: dfSummary.mean,
      minFactorPercent: dfSummary.min,
      class: input.windows.length > 0 ? daylightClass(dfSummary.mean) : null,
      meanLux: (dfSummary.mean / 100) * input.designSkyIlluminance,
    },
    combined: summarize(combinedValues),
    installedFlux,
    verdict: result,
    recommendations: [...recommend(input, grid.xs, grid.ys, lux, electric, result, installedFlux), ...daylightAdvice(input.windows.length, dfSummary)],
  };
}

function recommend(
  input: AnalysisInput,
  xs: Float64Array,
  ys: Float64Array,
  lux: Float64Array,
  electric: GridSummary,
  result: Verdict,
  installedFlux: number,
): Recommendation[] {
  const out: Recommendation[] = [];
  const target = EN12464_TARGETS[input.roomType];
  if (xs.length === 0) {
    return [{ kind: "add-flux", message: "No calculation points: the room is smaller than the grid spacing plus the wall margin." }];
  }
  if (!result.meetsIlluminance) {
    // Direct illuminance is linear in flux, so scaling every luminaire by k scales Ē by k.
    const extra = electric.mean > 0 ? installedFlux * (target.illuminanceLux / electric.mean - 1) : undefined;
    out.push({
      kind: "add-flux",
      lumens: extra === undefined ? undefined : Math.ceil(extra),
      message:
        extra === undefined
          ? `No light reaches the work plane; Ēm ${target.illuminanceLux} lx needs luminaires above it.`
          : `Ē is ${electric.mean.toFixed(0)} lx against Ēm ${target.illuminanceLux} lx: add about ${Math.ceil(extra)} lm of installed flux ` +
            `(×${(target.illuminanceLux / electric.mean).toFixed(2)} on every luminaire, keeping the layout).`,
    });
  }
  // The darkest area: points below the minimum the target allows (Uo × Ēm).
  const floorLux = target.uniformity * Math.max(target.illuminanceLux, electric.mean);
  let worst = -1;
  let count = 0;
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < lux.length; i++) {
    if (lux[i]! >= floorLux) continue;
    count++;
    minX = Math.min(minX, xs[i]!);
    maxX = Math.max(maxX, xs[i]!);
    minY = Math.min(minY, ys[i]!);
    maxY = Math.max(maxY, ys[i]!);
    if (worst < 0 || lux[i]! < lux[worst]!) worst = i;
  }
  if (count > 0 && worst >= 0) {
    const typical = input.luminaires[0];
    const mountZ = typical?.z ?? input.height;
    const h = Math.max(0.1, mountZ - input.workPlaneHeight);
    const distribution = typical?.distribution ?? "lambertian";
    const mf = typical?.maintenanceFactor ?? 0.8;
    // Directly below a luminaire: E/Φ = MF/(π h²) (cosine) or MF/(4π h²) (isotropic).
    const luxPerLumen = mf / ((distribution === "lambertian" ? Math.PI : 4 * Math.PI) * h * h);
    const needed = Math.ceil((floorLux - lux[worst]!) / luxPerLumen);
    const at = { x: round(xs[worst]!, 3), y: round(ys[worst]!, 3) };
    out.push({
      kind: "add-luminaire",
      lumens: needed,
      at,
      region: { minX: round(minX, 2), minY: round(minY, 2), maxX: round(maxX, 2), maxY: round(maxY, 2), points: count },
      message:
        `${count} of ${lux.length} points are below ${floorLux.toFixed(0)} lx (Uo ${target.uniformity} × ${Math.max(target.illuminanceLux, electric.mean).toFixed(0)} lx), ` +
        `in x ${minX.toFixed(2)}–${maxX.toFixed(2)} m, y ${minY.toFixed(2)}–${maxY.toFixed(2)} m; the darkest is ${lux[worst]!.toFixed(0)} lx at (${at.x}, ${at.y}). ` +
        `A ${distribution} luminaire of at least ${needed} lm mounted at ${mountZ} m above that point lifts it to the minimum.`,
    });
  }
  if (result.compliant && electric.mean > 1.5 * target.illuminanceLux) {
    const surplus = Math.floor(installedFlux * (1 - (1.1 * target.illuminanceLux) / electric.mean));
    out.push({
      kind: "reduce-flux",
      lumens: surplus,
      message: `Ē is ${electric.mean.toFixed(0)} lx, ${((electric.mean / target.illuminanceLux - 1) * 100).toFixed(0)} % above Ēm: about ${surplus} lm could be removed or dimmed while keeping a 10 % reserve.`,
    });
  }
  return out;
}

function daylightAdvice(windows: number, df: GridSummary): Recommendation[] {
  if (windows === 0) {
    return [{ kind: "daylight", message: "No windows given: daylight was not assessed (every lux above is electric light)." }];
  }
  const cls = daylightClass(df.mean);
  const advice =
    cls === "gloomy"
      ? "below 2 %: the room will feel gloomy and need electric light all day; more or taller glazing, or a higher head height, raises it most."
      : cls === "adequate"
        ? "2–5 %: adequate; electric light is still needed on dull days and away from the windows."
        : "above 5 %: well daylit; check glare and solar gain.";
  return [
    {
      kind: "daylight",
      message: `Mean daylight factor ${df.mean.toFixed(2)} % (sky component only, CIE overcast sky; minimum ${df.min.toFixed(2)} %): ${advice}`,
    },
  ];
}
