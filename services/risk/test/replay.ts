/**
 * A local stand-in for USGS and FEMA that replays documented responses over real HTTP and
 * records every request it gets. Each test scripts the answers per path.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { Writable } from "node:stream";
import { createService } from "@abode/service-kit";
import { registerRiskRoutes } from "../src/app";
import type { RiskSettings } from "../src/settings";

export type Reply = { status?: number; json?: unknown; body?: string; delayMs?: number };
type Script = (url: URL, n: number) => Reply;

export interface Replay {
  url: string;
  requests: URL[];
  /** Scripts the answers for requests whose path starts with `prefix`. */
  on(prefix: string, script: Script | Reply): void;
  hits(prefix: string): number;
  close(): Promise<void>;
}

export async function startReplay(): Promise<Replay> {
  const scripts = new Map<string, Script>();
  const requests: URL[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://replay");
    requests.push(url);
    const prefix = [...scripts.keys()].find((p) => url.pathname.startsWith(p));
    const n = requests.filter((r) => prefix && r.pathname.startsWith(prefix)).length;
    const reply = prefix ? scripts.get(prefix)!(url, n) : { status: 404, body: "no script" };
    const send = () => {
      if (res.destroyed) return;
      const body = reply.json !== undefined ? JSON.stringify(reply.json) : (reply.body ?? "");
      res.writeHead(reply.status ?? 200, { "content-type": reply.json !== undefined ? "application/json" : "text/plain" }).end(body);
    };
    if (reply.delayMs) setTimeout(send, reply.delayMs).unref();
    else send();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    on: (prefix, script) => void scripts.set(prefix, typeof script === "function" ? script : () => script),
    hits: (prefix) => requests.filter((r) => r.pathname.startsWith(prefix)).length,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export function testSettings(replay: Replay, overrides: Partial<RiskSettings> = {}): RiskSettings {
  return {
    usgsBaseUrl: `${replay.url}/ws/designmaps`,
    femaQueryUrl: `${replay.url}/arcgis/rest/services/public/NFHL/MapServer/28/query`,
    timeoutMs: 2_000,
    retries: 2,
    breakerThreshold: 5,
    breakerCooldownMs: 30_000,
    cacheTtlMs: 60_000,
    cacheMaxEntries: 100,
    retryBaseDelayMs: 5,
    ...overrides,
  };
}

/** The real risk service on a loopback port, logs discarded. */
export async function startRisk(settings: RiskSettings) {
  const service = createService({ name: "risk", version: "test", logDestination: new Writable({ write: (_c, _e, done) => done() }) });
  registerRiskRoutes(service, settings);
  const { url } = await service.listen({ host: "127.0.0.1", port: 0 });
  const get = async (path: string) => {
    const res = await fetch(`${url}${path}`);
    return { status: res.status, body: (await res.json()) as any };
  };
  return { url, get, close: () => service.close() };
}

/** The published ASCE 7-16 example (DOMAIN.md): 34, −118, risk category III, site class C. */
export function usgs716Example(): unknown {
  return {
    request: {
      date: "2026-11-01T10:00:00.000Z",
      referenceDocument: "ASCE7-16",
      status: "success",
      url: "https://earthquake.usgs.gov/ws/designmaps/asce7-16.json?latitude=34&longitude=-118&riskCategory=III&siteClass=C&title=Example",
      parameters: { latitude: 34, longitude: -118, riskCategory: "III", siteClass: "C", title: "Example" },
    },
    response: {
      data: {
        pga: 0.819108, fpga: 1.2, pgam: 0.98293, ss: 1.88774, fa: 1.2, sms: 2.26529, sds: 1.51019,
        s1: 0.66871, fv: 1.4, sm1: 0.9362, sd1: 0.62413, sdc: "D", "t-sub-l": 8,
        sdSpectrum: [[0, 0.604], [0.1, 1.51]], smSpectrum: [[0, 0.906], [0.1, 2.265]],
      },
      metadata: { griddedValue: true, modelVersion: "v4.0.x" },
    },
  };
}

/** Site class D with a high s1: USGS leaves the site-dependent values to a site-specific study. */
export function usgsSiteSpecific(): unknown {
  return {
    request: { date: "2026-11-01T10:00:00.000Z", referenceDocument: "ASCE7-16", status: "success", url: "x", parameters: {} },
    response: {
      data: { pga: 0.9, fpga: 1.1, pgam: 0.99, ss: 2.1, fa: 1.0, sms: 2.1, sds: 1.4, s1: 0.8, fv: null, sm1: null, sd1: null, sdc: null, "t-sub-l": 8 },
      metadata: {},
    },
  };
}

export function usgsError(message: string): unknown {
  return { request: { date: "2026-11-01T10:00:00.000Z", referenceDocument: "ASCE7-16", status: "error", url: "x", parameters: {} }, response: message };
}

export const femaFeature = (attributes: Record<string, unknown>) => ({ attributes });
export const femaAnswer = (...features: unknown[]) => ({
  displayFieldName: "",
  fieldAliases: {},
  fields: [],
  features,
});
