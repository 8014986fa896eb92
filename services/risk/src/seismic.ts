/**
 * Seismic design values from the USGS Seismic Design Maps web service (ASCE 7-16 / 7-22), as
 * an engineer needs them. Values the service returns as `null` are those for which the
 * standard requires a site-specific ground-motion study: they are reported as such, never filled in.
 */
import { z } from "zod";
import { UpstreamFailure } from "./upstream";

export const STANDARDS = ["asce7-16", "asce7-22"] as const;
export type Standard = (typeof STANDARDS)[number];

/** Site classes each edition accepts (ASCE 7-22 added the intermediate classes and `Default`). */
export const SITE_CLASSES: Record<Standard, readonly string[]> = {
  "asce7-16": ["A", "B", "C", "D", "E"],
  "asce7-22": ["A", "B", "BC", "C", "CD", "D", "DE", "E", "Default"],
};

export const RISK_CATEGORIES = ["I", "II", "III", "IV"] as const;

export interface SeismicQuery {
  latitude: number;
  longitude: number;
  riskCategory: (typeof RISK_CATEGORIES)[number];
  siteClass: string;
  standard: Standard;
}

export function seismicUrl(baseUrl: string, q: SeismicQuery): string {
  const params = new URLSearchParams({
    latitude: String(q.latitude),
    longitude: String(q.longitude),
    riskCategory: q.riskCategory,
    siteClass: q.siteClass,
    title: "Abode",
  });
  return `${baseUrl.replace(/\/+$/, "")}/${q.standard}.json?${params}`;
}

/** The figures we report, in order, with units and what they mean. */
const PARAMETERS = {
  pga: { unit: "g", description: "peak ground acceleration (MCEG)" },
  pgam: { unit: "g", description: "site-modified peak ground acceleration" },
  ss: { unit: "g", description: "MCER spectral acceleration, 0.2 s" },
  s1: { unit: "g", description: "MCER spectral acceleration, 1.0 s" },
  fa: { unit: "", description: "short-period site coefficient" },
  fv: { unit: "", description: "long-period site coefficient" },
  sms: { unit: "g", description: "site-modified MCER spectral acceleration, 0.2 s" },
  sm1: { unit: "g", description: "site-modified MCER spectral acceleration, 1.0 s" },
  sds: { unit: "g", description: "design spectral acceleration, 0.2 s (⅔ SMS)" },
  sd1: { unit: "g", description: "design spectral acceleration, 1.0 s (⅔ SM1)" },
  tl: { unit: "s", description: "long-period transition period" },
} as const;
type ParameterName = keyof typeof PARAMETERS;

const value = z.number().finite().nullable().optional();
/** `t-sub-l` in ASCE 7-16 responses, `tl` in 7-22. */
const dataSchema = z.looseObject({
  ...Object.fromEntries(Object.keys(PARAMETERS).map((k) => [k, value])),
  "t-sub-l": value,
  // Required: without them the answer is not a design-maps answer at all.
  sds: z.number().finite().nullable(),
  sd1: z.number().finite().nullable(),
  sdc: z.string().nullable(),
}) as z.ZodType<Partial<Record<ParameterName | "t-sub-l", number | null>> & { sdc: string | null }>;

const envelopeSchema = z.object({
  request: z.looseObject({
    status: z.enum(["success", "error"]),
    referenceDocument: z.string().optional(),
    date: z.string().optional(),
  }),
  response: z.unknown(),
});

export interface SeismicParameter {
  value: number | null;
  unit: string;
  description: string;
}

export interface SeismicReport {
  standard: Standard;
  referenceDocument: string;
  riskCategory: string;
  siteClass: string;
  parameters: Record<ParameterName, SeismicParameter>;
  /** Seismic design category A–F, or null where the service could not determine it. */
  seismicDesignCategory: string | null;
  /** Parameters the standard leaves to a site-specific ground-motion analysis (null values). */
  siteSpecificAnalysisRequired: ParameterName[];
  notes: string[];
}

/** Reads a USGS design-maps envelope; an error envelope or a wrong shape is an UpstreamFailure. */
export function interpretSeismic(query: SeismicQuery, body: unknown, httpStatus: number): SeismicReport {
  const envelope = envelopeSchema.safeParse(body);
  if (!envelope.success) throw new UpstreamFailure("USGS", "malformed", `USGS answered HTTP ${httpStatus} without the design-maps envelope (${envelope.error.issues[0]?.message})`);
  if (envelope.data.request.status === "error" || httpStatus >= 400) {
    const reason = typeof envelope.data.response === "string" ? envelope.data.response : JSON.stringify(envelope.data.response);
    throw new UpstreamFailure("USGS", "rejected", `USGS refused the request: ${reason}`);
  }
  const data = dataSchema.safeParse((envelope.data.response as { data?: unknown } | null)?.data);
  if (!data.success) {
    const issue = data.error.issues[0];
    throw new UpstreamFailure("USGS", "malformed", `USGS response.data is not as documented: ${issue?.path.join(".")}: ${issue?.message}`);
  }
  const raw = data.data;
  const read = (name: ParameterName): number | null => (name === "tl" ? (raw.tl ?? raw["t-sub-l"] ?? null) : (raw[name] ?? null));
  const parameters = Object.fromEntries(
    (Object.keys(PARAMETERS) as ParameterName[]).map((name) => [name, { value: read(name), ...PARAMETERS[name] }]),
  ) as Record<ParameterName, SeismicParameter>;
  // Only what the service reported as null counts; a figure this edition does not publish is just absent.
  const siteSpecificAnalysisRequired = (Object.keys(PARAMETERS) as ParameterName[]).filter((name) => name in raw && raw[name] === null);
  const notes: string[] = [];
  if (siteSpecificAnalysisRequired.length > 0) {
    notes.push(
      `${siteSpecificAnalysisRequired.join(", ")}: no value — ${query.standard.toUpperCase()} requires a site-specific ground-motion analysis for site class ${query.siteClass} here (USGS returns null).`,
    );
  }
  if (raw.sdc === null) notes.push("seismic design category: not determined by the service; it follows from the site-specific analysis.");
  return {
    standard: query.standard,
    referenceDocument: envelope.data.request.referenceDocument ?? query.standard.toUpperCase(),
    riskCategory: query.riskCategory,
    siteClass: query.siteClass,
    parameters,
    seismicDesignCategory: raw.sdc,
    siteSpecificAnalysisRequired,
    notes,
  };
}
