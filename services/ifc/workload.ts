import { appServiceWorkload } from "../../components/workload/app-service";
import type { Resources, WorkloadSpec } from "../../components/workload/spec";

/** The IFC service (web-ifc validation, elements, geometry); code lands with issue 7. */
export function ifcWorkload(args: { version: string; otlpEndpoint: string; resources?: Resources }): WorkloadSpec {
  return appServiceWorkload({
    name: "ifc",
    component: "app",
    port: 8004,
    version: args.version,
    otlpEndpoint: args.otlpEndpoint,
    resources: args.resources ?? { cpu: 2, memoryMiB: 2048 },
  });
}
