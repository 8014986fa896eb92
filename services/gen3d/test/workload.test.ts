import * as pulumi from "@pulumi/pulumi";
import { parseEnv, serviceEnvSchema } from "@abode/service-kit";
import { specProblems } from "../../../components/workload/validate";
import { gen3dEnvSchema } from "../src/config";
import { GEN3D_DATA_DIR, GEN3D_DEFAULT_RESOURCES, GEN3D_PORT, gen3dWorkload } from "../workload";

const base = { version: "1.2.3", otlpEndpoint: "http://otel-collector:4318" };
const fullEnv = serviceEnvSchema({ port: GEN3D_PORT, serviceName: "gen3d" }).extend(gen3dEnvSchema.shape);

test("the spec: port 8008, built from the shared services/Dockerfile, the task map on a small volume by default, valid", () => {
  const spec = gen3dWorkload(base);
  expect(spec).toMatchObject({
    name: "gen3d",
    ports: [{ name: "http", containerPort: 8008 }],
    image: { kind: "build", context: ".", dockerfile: "services/Dockerfile", repository: "abode/gen3d", tag: "1.2.3", args: { SERVICE: "gen3d", PORT: "8008", DATA_DIRS: GEN3D_DATA_DIR } },
    health: { http: { port: 8008, path: "/healthz", readinessPath: "/readyz" } },
    resources: GEN3D_DEFAULT_RESOURCES,
    volumes: [{ name: "data", mountPath: GEN3D_DATA_DIR, sizeGiB: 1 }],
    security: { runAsUser: 10001, writablePaths: ["/tmp"] },
  });
  expect(spec.env.GEN3D_DATA_DIR).toBe(GEN3D_DATA_DIR);
  // No key given: the variable is absent, so the service runs not-ready instead of failing.
  expect(spec.env.RODIN_API_KEY).toBeUndefined();
  expect(specProblems(spec)).toEqual([]);
});

test("the key stays a Pulumi secret; without persistence there is no volume and no data dir; the env is accepted", () => {
  const rodinApiKey = pulumi.secret("rodin-key");
  const spec = gen3dWorkload({ ...base, rodinApiKey, rodinBaseUrl: "https://api.hyper3d.com/api/v2", persistTasks: false });
  expect(spec.env.RODIN_API_KEY).toBe(rodinApiKey);
  expect(spec.volumes).toEqual([]);
  expect(spec.env.GEN3D_DATA_DIR).toBeUndefined();
  const plain = Object.fromEntries(Object.entries(spec.env).filter(([, v]) => typeof v === "string")) as Record<string, string>;
  const parsed = parseEnv(fullEnv, { ...plain, RODIN_API_KEY: "rodin-key" });
  expect(parsed.ok && parsed.env).toMatchObject({ PORT: 8008, RODIN_BASE_URL: "https://api.hyper3d.com/api/v2", RODIN_API_KEY: "rodin-key" });
});
