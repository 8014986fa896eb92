import { appServiceWorkload } from "../../components/workload/app-service";
import type { Resources, WorkloadSpec } from "../../components/workload/spec";

/** The CFD solver API (OpenFOAM simpleFoam runs); code lands with issue 6. */
export function cfdSolverWorkload(args: { version: string; otlpEndpoint: string; resources?: Resources }): WorkloadSpec {
  return appServiceWorkload({
    name: "cfd-solver",
    component: "cfd",
    port: 8000,
    version: args.version,
    otlpEndpoint: args.otlpEndpoint,
    resources: args.resources ?? { cpu: 2, memoryMiB: 2048 },
    volumes: [{ name: "cases", mountPath: "/var/lib/abode/cases", sizeGiB: 50 }],
  });
}
