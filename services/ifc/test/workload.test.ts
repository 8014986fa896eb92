import { ifcEnvSchema } from "../src/settings";
import { IFC_DEFAULT_RESOURCES, IFC_PORT, ifcWorkload } from "../workload";

test("the spec: port 8004, built from the shared services/Dockerfile, probes on /healthz and /readyz, default resources", () => {
  const spec = ifcWorkload({ version: "1.2.3", otlpEndpoint: "http://otel-collector:4318" });
  expect(IFC_PORT).toBe(8004);
  expect(spec).toMatchObject({
    name: "ifc",
    ports: [{ name: "http", containerPort: 8004 }],
    image: { kind: "build", context: ".", dockerfile: "services/Dockerfile", repository: "abode/ifc", tag: "1.2.3", args: { SERVICE: "ifc", PORT: "8004", DATA_DIRS: "" } },
    health: { http: { port: 8004, path: "/healthz", readinessPath: "/readyz" } },
    resources: IFC_DEFAULT_RESOURCES,
    security: { runAsUser: 10001, writablePaths: ["/tmp"] },
  });
  expect(Object.keys(spec.env).filter((k) => k.startsWith("IFC_"))).toEqual([]);
});

test("chosen limits become environment variables the service accepts", () => {
  const spec = ifcWorkload({ version: "1", otlpEndpoint: "http://c:4318", maxUploadMb: 50, workers: 2, maxQueue: 0, jobTimeoutSeconds: 30, workerRecycleMb: 256 });
  expect(spec.env).toMatchObject({ PORT: "8004", IFC_MAX_UPLOAD_MB: "50", IFC_WORKERS: "2", IFC_MAX_QUEUE: "0", IFC_JOB_TIMEOUT_S: "30", IFC_WORKER_RECYCLE_MB: "256" });
  const own = Object.fromEntries(Object.entries(spec.env).filter(([k]) => k.startsWith("IFC_")));
  expect(ifcEnvSchema.parse(own)).toEqual({ IFC_MAX_UPLOAD_MB: 50, IFC_WORKERS: 2, IFC_MAX_QUEUE: 0, IFC_JOB_TIMEOUT_S: 30, IFC_WORKER_RECYCLE_MB: 256 });
});
