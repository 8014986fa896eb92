import { SERVICE_NAME } from "./settings";

/** Where the Worker serves: `/api/<service>/<rest>` on the API host. */
export const API_PREFIX = "/api/";

export type Route =
  | { kind: "origin"; service: string; /** The path on the service (`/seismic`). */ path: string; upstream: URL }
  | { kind: "unknown-service"; service: string }
  | { kind: "not-api" };

/**
 * Maps `/api/<service>/<rest>?<query>` to `<origin of service>/<rest>?<query>`: the first path
 * segment picks the service (only those in `origins`), the rest and the query go on unchanged.
 * The URL is already normalised by the runtime (dot segments resolved, `%2e%2e` included), so a
 * path cannot climb out of its service. Pure.
 */
export function routeRequest(url: URL, origins: Map<string, URL>): Route {
  if (!url.pathname.startsWith(API_PREFIX)) return { kind: "not-api" };
  const afterPrefix = url.pathname.slice(API_PREFIX.length);
  const slash = afterPrefix.indexOf("/");
  const service = slash === -1 ? afterPrefix : afterPrefix.slice(0, slash);
  const path = slash === -1 ? "/" : afterPrefix.slice(slash);
  const origin = SERVICE_NAME.test(service) ? origins.get(service) : undefined;
  if (!origin) return { kind: "unknown-service", service };
  const upstream = new URL(origin.href);
  upstream.pathname = `${origin.pathname.replace(/\/$/, "")}${path}`;
  upstream.search = url.search;
  return { kind: "origin", service, path, upstream };
}
