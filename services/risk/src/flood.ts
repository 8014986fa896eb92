/**
 * Flood hazard zones from FEMA's National Flood Hazard Layer (layer 28, Flood Hazard Zones).
 * A point with no zone is unmapped — undetermined, not low risk — and is reported as such.
 */
import { z } from "zod";
import { UpstreamFailure } from "./upstream";

export const FLOOD_FIELDS = ["FLD_ZONE", "ZONE_SUBTY", "SFHA_TF", "STATIC_BFE", "DFIRM_ID"] as const;

/** NFHL's "no value" sentinel for numeric attributes. */
const NO_VALUE = -9999;

export function floodUrl(queryUrl: string, latitude: number, longitude: number): string {
  const params = new URLSearchParams({
    geometry: `${longitude},${latitude}`, // x,y: longitude first
    geometryType: "esriGeometryPoint",
    inSR: "4326",
    spatialRel: "esriSpatialRelIntersects",
    outFields: FLOOD_FIELDS.join(","),
    returnGeometry: "false",
    f: "json",
  });
  return `${queryUrl}?${params}`;
}

export type AnnualChance = "1%" | "0.2%" | "<0.2%" | "undetermined";

export interface FloodZone {
  zone: string;
  subtype: string | null;
  /** In a Special Flood Hazard Area (the 1 % annual chance floodplain). */
  specialFloodHazardArea: boolean;
  annualChance: AnnualChance;
  meaning: string;
  /** Static base flood elevation (feet), where FEMA publishes one. */
  baseFloodElevationFt: number | null;
  firmPanel: string | null;
}

export type FloodReport =
  | { status: "mapped"; zones: FloodZone[]; highestHazard: FloodZone; specialFloodHazardArea: boolean }
  | { status: "unmapped"; zones: []; determination: "undetermined"; message: string };

/** What a zone designation means, from FEMA's zone definitions. */
export function describeZone(zone: string, subtype: string | null): { annualChance: AnnualChance; meaning: string } {
  const z = zone.trim().toUpperCase();
  const sub = (subtype ?? "").toUpperCase();
  if (z === "VE" || z === "V") return { annualChance: "1%", meaning: "coastal high hazard area: 1 % annual chance flood with wave action" + (z === "VE" ? ", base flood elevation determined" : "") };
  if (z === "AE") return { annualChance: "1%", meaning: "1 % annual chance flood, base flood elevation determined" };
  if (z === "A") return { annualChance: "1%", meaning: "1 % annual chance flood, no base flood elevation determined" };
  if (z === "AH") return { annualChance: "1%", meaning: "1 % annual chance shallow flooding (ponding), 1–3 ft" };
  if (z === "AO") return { annualChance: "1%", meaning: "1 % annual chance shallow flooding (sheet flow on sloping terrain), 1–3 ft" };
  if (z === "AR") return { annualChance: "1%", meaning: "1 % annual chance flood, temporarily increased while a flood-control system is restored" };
  if (z === "A99") return { annualChance: "1%", meaning: "1 % annual chance flood, to be protected by a federal flood-control system under construction" };
  if (z === "X") {
    if (sub.includes("0.2 PCT")) return { annualChance: "0.2%", meaning: "moderate hazard (shaded X): 0.2 % annual chance flood" };
    if (sub.includes("LEVEE")) return { annualChance: "0.2%", meaning: "moderate hazard (shaded X): reduced flood risk due to a levee" };
    return { annualChance: "<0.2%", meaning: "minimal flood hazard (unshaded X): above the 0.2 % annual chance flood" };
  }
  if (z === "D") return { annualChance: "undetermined", meaning: "possible but undetermined flood hazard (no analysis done)" };
  return { annualChance: "undetermined", meaning: `zone ${zone} (${subtype ?? "no subtype"}): not a zone this service interprets; see FEMA's zone definitions` };
}

const HAZARD_ORDER: Record<AnnualChance, number> = { "1%": 3, "0.2%": 2, undetermined: 1, "<0.2%": 0 };

const attributesSchema = z.looseObject({
  FLD_ZONE: z.string().min(1),
  ZONE_SUBTY: z.string().nullable().optional(),
  SFHA_TF: z.enum(["T", "F"]).nullable().optional(),
  STATIC_BFE: z.number().nullable().optional(),
  DFIRM_ID: z.string().nullable().optional(),
});
const errorSchema = z.object({ error: z.object({ code: z.number(), message: z.string().default(""), details: z.array(z.string()).optional() }) });
const resultSchema = z.looseObject({ features: z.array(z.object({ attributes: attributesSchema })) });

/** Reads an ArcGIS query answer. ArcGIS reports errors in a 200 body, so the envelope decides. */
export function interpretFlood(body: unknown): FloodReport {
  const failed = errorSchema.safeParse(body);
  if (failed.success) {
    const { code, message, details } = failed.data.error;
    const text = [message, ...(details ?? [])].filter(Boolean).join("; ");
    throw new UpstreamFailure("FEMA NFHL", code >= 500 ? "unavailable" : "rejected", `FEMA NFHL error ${code}: ${text || "no message"}`);
  }
  const parsed = resultSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UpstreamFailure("FEMA NFHL", "malformed", `FEMA NFHL answer is not an ArcGIS query result (${issue?.path.join(".") || "body"}: ${issue?.message})`);
  }
  const zones = parsed.data.features.map(({ attributes: a }): FloodZone => {
    const subtype = a.ZONE_SUBTY?.trim() || null;
    const bfe = a.STATIC_BFE;
    return {
      zone: a.FLD_ZONE,
      subtype,
      specialFloodHazardArea: a.SFHA_TF === "T",
      ...describeZone(a.FLD_ZONE, subtype),
      baseFloodElevationFt: bfe === undefined || bfe === null || bfe === NO_VALUE ? null : bfe,
      firmPanel: a.DFIRM_ID?.trim() || null,
    };
  });
  if (zones.length === 0) {
    return {
      status: "unmapped",
      zones: [],
      determination: "undetermined",
      message: "No NFHL flood zone at this point: the area is unmapped or outside the NFHL. This is not a low-risk finding.",
    };
  }
  const highestHazard = zones.reduce((worst, z) => (HAZARD_ORDER[z.annualChance] > HAZARD_ORDER[worst.annualChance] ? z : worst));
  return { status: "mapped", zones, highestHazard, specialFloodHazardArea: zones.some((z) => z.specialFloodHazardArea) };
}
