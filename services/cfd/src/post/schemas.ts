/** Request schemas of the post-processor: every 400 names the bad field. */
import { z } from "zod";
import { CRITERIA_NAMES, CRITERIA_SETS, SAFETY_NAMES } from "./comfort/criteria";
import { totalFrequency, type Climate } from "./comfort/climate";

/** Case ids as the solver makes them: one safe path segment. */
export const CaseId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/, "must be 1–128 letters, digits, '-' or '_'");
/** An OpenFOAM field (file) name: U, p, k, epsilon, nut, C, V, … */
export const FieldName = z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, "must be an OpenFOAM field name such as U, p, k, epsilon");
export const ResultId = z.uuid({ message: "must be a result id (a UUID)" });

const direction = z.number().min(0).lt(360);
const heightField = z.number().gt(0).max(500);
const bandField = z.number().gt(0).max(50);

/** A comma-separated query list of numbers, e.g. `5,50,95`. */
const numberList = (min: number, max: number) =>
  z
    .string()
    .transform((s) => s.split(",").map((p) => p.trim()).filter((p) => p !== "").map(Number))
    .pipe(z.array(z.number().min(min).max(max)).min(1).max(20));

export const StatsQuery = z.strictObject({
  sector: z.coerce.number().int().min(0).lt(360).optional(),
  percentiles: numberList(0, 100).optional(),
});

export const PedestrianQuery = z.strictObject({
  height: z.coerce.number().pipe(heightField).default(1.5),
  band: z.coerce.number().pipe(bandField).default(0.5),
});

export const ResultQuery = z.strictObject({
  format: z.enum(["json", "csv", "vtk"]).default("json"),
});

export const ProbeRequest = z.strictObject({
  points: z.array(z.strictObject({ x: z.number(), y: z.number(), z: z.number() })).min(1).max(1000),
  fields: z.array(FieldName).min(1).max(16).default(["U", "p", "k", "epsilon"]),
  sectors: z.array(z.number().int().min(0).lt(360)).min(1).optional(),
});
export type ProbeRequest = z.infer<typeof ProbeRequest>;

const criteriaName = (allowed: readonly string[], what: string) =>
  z.string().superRefine((name, ctx) => {
    if (!allowed.includes(name)) {
      ctx.addIssue({ code: "custom", message: `Unknown ${what} '${name}'; valid: ${allowed.join(", ")}` });
    }
  });

const WeibullClimate = z.strictObject({
  type: z.literal("weibull"),
  referenceHeight: z.number().gt(0).optional(),
  sectors: z
    .array(
      z.strictObject({
        direction,
        frequency: z.number().min(0).max(1),
        k: z.number().gt(0).max(20),
        c: z.number().gt(0).max(100),
      }),
    )
    .min(1)
    .max(72),
});

const TableClimate = z.strictObject({
  type: z.literal("table"),
  referenceHeight: z.number().gt(0).optional(),
  speedBins: z
    .array(z.number().min(0).max(200))
    .min(2)
    .max(101)
    .refine((edges) => edges.every((e, i) => i === 0 || e > edges[i - 1]), "bin edges must ascend strictly"),
  sectors: z
    .array(z.strictObject({ direction, frequencies: z.array(z.number().min(0).max(1)).min(1).max(100) }))
    .min(1)
    .max(72),
});

export const ClimateSchema = z
  .discriminatedUnion("type", [WeibullClimate, TableClimate])
  .superRefine((climate, ctx) => {
    const seen = new Set<number>();
    climate.sectors.forEach((s, i) => {
      const key = ((Math.round(s.direction * 1000) / 1000) % 360 + 360) % 360;
      if (seen.has(key)) ctx.addIssue({ code: "custom", path: ["sectors", i, "direction"], message: `direction ${s.direction} appears twice` });
      seen.add(key);
    });
    if (climate.type === "table") {
      const bins = climate.speedBins.length - 1;
      climate.sectors.forEach((s, i) => {
        if (s.frequencies.length !== bins) {
          ctx.addIssue({ code: "custom", path: ["sectors", i, "frequencies"], message: `needs ${bins} values (one per speed bin), got ${s.frequencies.length}` });
        }
      });
    }
    const total = totalFrequency(climate as Climate);
    if (Math.abs(total - 1) > 0.01) {
      ctx.addIssue({ code: "custom", path: ["sectors"], message: `frequencies must sum to 1 (fractions of the time), they sum to ${Number(total.toPrecision(6))}` });
    }
  });

export const ComfortRequest = z.strictObject({
  criteria: criteriaName(CRITERIA_NAMES, "criteria set"),
  /** A safety set reported next to the comfort classes; default the criteria set's own; null for none. */
  safety: criteriaName(SAFETY_NAMES, "safety criteria set").nullable().optional(),
  climate: ClimateSchema,
  height: heightField.default(1.5),
  band: bandField.default(0.5),
});
export type ComfortRequest = z.infer<typeof ComfortRequest>;

/** The request's criteria and safety sets, resolved to their definitions. */
export function criteriaOf(body: ComfortRequest) {
  const criteria = CRITERIA_SETS[body.criteria];
  const safetyName = body.safety === undefined ? criteria.defaultSafety : body.safety;
  const safety = criteria.kind === "comfort" && safetyName ? CRITERIA_SETS[safetyName] : undefined;
  return { criteria, safety };
}
