import { appServiceWorkload } from "../../components/workload/app-service";
import type { Resources, WorkloadSpec } from "../../components/workload/spec";

/** The CFD mesher API (blockMesh + snappyHexMesh, checkMesh reports); code lands with issue 6. */
export function cfdMesherWorkload(args: { version: string; otlpEndpoint: string; resources?: Resources }): WorkloadSpec {
  return appServiceWorkload({
    name: "cfd-mesher",
    component: "cfd",
    port: 8001,
    version: args.version,
    otlpEndpoint: args.otlpEndpoint,
    resources: args.resources ?? { cpu: 2, memoryMiB: 2048 },
    volumes: [{ name: "cases", mountPath: "/var/lib/abode/cases", sizeGiB: 50 }],
  });
}
