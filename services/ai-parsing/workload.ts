import { appServiceWorkload } from "../../components/workload/app-service";
import type { Resources, WorkloadSpec } from "../../components/workload/spec";

/** AI parsing (YOLOv8 on ONNX Runtime); code lands with issue 7. */
export function aiParsingWorkload(args: { version: string; otlpEndpoint: string; resources?: Resources }): WorkloadSpec {
  return appServiceWorkload({
    name: "ai-parsing",
    component: "ai",
    port: 8003,
    version: args.version,
    otlpEndpoint: args.otlpEndpoint,
    resources: args.resources ?? { cpu: 2, memoryMiB: 2048 },
    volumes: [{ name: "models", mountPath: "/var/lib/abode/models", sizeGiB: 5 }],
    gpu: { count: 1 },
  });
}
