import { appServiceWorkload } from "../../components/workload/app-service";
import type { Resources, WorkloadSpec } from "../../components/workload/spec";

/** The CFD post-processor (fields, probes, wind comfort, exports); code lands with issue 6. */
export function cfdPostprocessorWorkload(args: { version: string; otlpEndpoint: string; resources?: Resources }): WorkloadSpec {
  return appServiceWorkload({
    name: "cfd-postprocessor",
    component: "cfd",
    port: 8002,
    version: args.version,
    otlpEndpoint: args.otlpEndpoint,
    resources: args.resources ?? { cpu: 2, memoryMiB: 2048 },
    volumes: [{ name: "cases", mountPath: "/var/lib/abode/cases", sizeGiB: 50 }],
  });
}
