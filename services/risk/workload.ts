/**
 * The geospatial risk service's workload spec, consumed by the stacks (stacks/workloads.ts).
 * It calls two public APIs (USGS, FEMA): its only egress besides DNS and traces.
 */
import { appServiceWorkload } from "../../components/workload/app-service";
import { publicHttpsEgress, type Resources, type WorkloadSpec } from "../../components/workload/spec";

export const RISK_PORT = 8009;

/** Lookups are I/O-bound and cached: a quarter core and 256 MiB carry thousands of cached lookups per second. */
export const RISK_DEFAULT_RESOURCES: Resources = { cpu: 0.5, memoryMiB: 256, requests: { cpu: 0.1, memoryMiB: 128 } };

export interface RiskWorkloadArgs {
  version: string;
  otlpEndpoint: string;
  /** @default RISK_DEFAULT_RESOURCES */
  resources?: Resources;
  /** Overrides of the upstream base URLs (e.g. a regional mirror). @default the public USGS and FEMA endpoints */
  usgsBaseUrl?: string;
  femaQueryUrl?: string;
}

export function riskWorkload(args: RiskWorkloadArgs): WorkloadSpec {
  const env: Record<string, string> = {};
  if (args.usgsBaseUrl) env.USGS_BASE_URL = args.usgsBaseUrl;
  if (args.femaQueryUrl) env.FEMA_NFHL_QUERY_URL = args.femaQueryUrl;
  return appServiceWorkload({
    name: "risk",
    component: "app",
    port: RISK_PORT,
    version: args.version,
    otlpEndpoint: args.otlpEndpoint,
    resources: args.resources ?? RISK_DEFAULT_RESOURCES,
    env,
    externalEgress: [publicHttpsEgress("queries the USGS Seismic Design Maps and FEMA NFHL web services over HTTPS")],
  });
}
