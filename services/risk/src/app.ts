/** Routes of the risk service: query validation, the lookups, and upstream failures as clear HTTP errors. */
import { HttpProblem, type Service } from "@abode/service-kit";
import { z } from "zod";
import type { FastifyReply } from "fastify";
import { createLookups, type Answer, type Lookups } from "./lookups";
import { RISK_CATEGORIES, SITE_CLASSES, STANDARDS, type SeismicQuery } from "./seismic";
import type { RiskSettings } from "./settings";
import { UpstreamFailure } from "./upstream";

const location = {
  lat: z.coerce.number().min(-90).max(90),
  lon: z.coerce.number().min(-180).max(180),
};

/** Site classes depend on the edition, so the check names `siteClass` with the valid ones. */
function withSiteClassCheck<T extends z.ZodType<{ standard: keyof typeof SITE_CLASSES; siteClass: string }>>(schema: T) {
  return schema.superRefine((q, ctx) => {
    const valid = SITE_CLASSES[q.standard];
    if (!valid.includes(q.siteClass)) ctx.addIssue({ code: "custom", path: ["siteClass"], message: `${q.standard} site classes are ${valid.join(", ")}` });
  });
}

const SeismicParams = withSiteClassCheck(
  z.strictObject({ ...location, riskCategory: z.enum(RISK_CATEGORIES), siteClass: z.string(), standard: z.enum(STANDARDS).default("asce7-22") }),
);
const FloodParams = z.strictObject(location);
/** The combined lookup defaults to what a concept design knows: an ordinary building on unknown soil. */
const RiskParams = withSiteClassCheck(
  z.strictObject({
    ...location,
    riskCategory: z.enum(RISK_CATEGORIES).default("II"),
    siteClass: z.string().default("Default"),
    standard: z.enum(STANDARDS).default("asce7-22"),
  }),
);

const seismicQuery = (q: { lat: number; lon: number; riskCategory: SeismicQuery["riskCategory"]; siteClass: string; standard: SeismicQuery["standard"] }): SeismicQuery => ({
  latitude: q.lat,
  longitude: q.lon,
  riskCategory: q.riskCategory,
  siteClass: q.siteClass,
  standard: q.standard,
});

/** An upstream failure as the client sees it: never a made-up number, always which upstream and why. */
export function problemFor(failure: UpstreamFailure, cooldownMs: number): HttpProblem {
  if (failure.kind === "circuit_open") {
    return new HttpProblem(503, "upstream_unavailable", failure.message, { upstream: failure.upstream, retryAfterSeconds: Math.ceil(cooldownMs / 1000) });
  }
  if (failure.kind === "rejected") return new HttpProblem(422, "upstream_rejected", failure.message, { upstream: failure.upstream });
  return new HttpProblem(502, "upstream_failed", failure.message, { upstream: failure.upstream, cause: failure.kind });
}

/** Sends JSON already serialized (cached answers are serialized once). */
function sendJson(reply: FastifyReply, json: string): string {
  reply.type("application/json; charset=utf-8");
  return json;
}

export function registerRiskRoutes(service: Service, settings: RiskSettings, lookups: Lookups = createLookups(settings)): void {
  const answer = async (reply: FastifyReply, work: Promise<Answer<object>>): Promise<string> => {
    try {
      return sendJson(reply, (await work).json);
    } catch (error) {
      throw error instanceof UpstreamFailure ? problemFor(error, settings.breakerCooldownMs) : error;
    }
  };

  service.route({ method: "GET", url: "/seismic", query: SeismicParams, handler: ({ query, reply }) => answer(reply, lookups.seismic(seismicQuery(query))) });

  service.route({ method: "GET", url: "/flood", query: FloodParams, handler: ({ query, reply }) => answer(reply, lookups.flood(query.lat, query.lon)) });

  service.route({
    method: "GET",
    url: "/risk",
    query: RiskParams,
    handler: async ({ query, reply }) => {
      const [seismic, flood] = await Promise.allSettled([lookups.seismic(seismicQuery(query)), lookups.flood(query.lat, query.lon)]);
      const location = { latitude: query.lat, longitude: query.lon };
      if (seismic.status === "fulfilled" && flood.status === "fulfilled") {
        return sendJson(reply, `{"location":${JSON.stringify(location)},"seismic":${seismic.value.json},"flood":${flood.value.json}}`);
      }
      // Half an answer is still reported (it is real data), but the request is not a success.
      const failures = [seismic, flood].flatMap((r) => (r.status === "rejected" ? [r.reason as unknown] : []));
      const unexpected = failures.find((f) => !(f instanceof UpstreamFailure));
      if (unexpected) throw unexpected;
      const upstream = failures as UpstreamFailure[];
      const allOpen = upstream.every((f) => f.kind === "circuit_open");
      throw new HttpProblem(allOpen ? 503 : 502, allOpen ? "upstream_unavailable" : "upstream_failed", upstream.map((f) => f.message).join("; "), {
        failed: upstream.map((f) => ({ upstream: f.upstream, cause: f.kind, message: f.message })),
        partial: {
          location,
          ...(seismic.status === "fulfilled" ? { seismic: seismic.value.sourced } : {}),
          ...(flood.status === "fulfilled" ? { flood: flood.value.sourced } : {}),
        },
      });
    },
  });

  for (const upstream of lookups.upstreams) {
    service.addReadinessCheck({ name: upstream.name, check: () => upstream.unavailableReason() });
  }
}
