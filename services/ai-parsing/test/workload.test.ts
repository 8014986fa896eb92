/** The workload spec: the env the service reads, CPU by default, the GPU pool and CUDA together. */
import { parseConfig } from "../src/config";
import { AI_PARSING_DEFAULT_MODEL_PATH, AI_PARSING_PORT, aiParsingWorkload } from "../workload";

const base = { version: "0.1.0", otlpEndpoint: "http://otel-collector:4318" };

test("CPU by default: general pool, no GPU, the CPU provider, threads = CPU limit, the model on its volume", () => {
  const spec = aiParsingWorkload(base);
  expect(spec.gpu).toBeUndefined();
  expect(spec.pool).toBeUndefined();
  expect(spec.ports).toEqual([{ name: "http", containerPort: AI_PARSING_PORT }]);
  expect(spec.env).toMatchObject({
    PORT: "8003",
    AI_PARSING_MODEL_PATH: AI_PARSING_DEFAULT_MODEL_PATH,
    AI_PARSING_EXECUTION_PROVIDER: "cpu",
    AI_PARSING_INTRA_OP_THREADS: "2",
  });
  expect(spec.volumes).toEqual([{ name: "models", mountPath: "/var/lib/abode/models", sizeGiB: 5 }]);
  expect(AI_PARSING_DEFAULT_MODEL_PATH.startsWith(`${spec.volumes[0]!.mountPath}/`)).toBe(true);
  expect(spec.health.http).toEqual({ port: 8003, path: "/healthz", readinessPath: "/readyz" });
});

test("gpu: one GPU and the CUDA provider, always together", () => {
  const spec = aiParsingWorkload({ ...base, gpu: true, resources: { cpu: 4, memoryMiB: 4096 } });
  expect(spec.gpu).toEqual({ count: 1 });
  expect(spec.env).toMatchObject({ AI_PARSING_EXECUTION_PROVIDER: "cuda", AI_PARSING_INTRA_OP_THREADS: "4" });
});

test("every variable the spec sets is one the service accepts, with the value it was given", () => {
  const spec = aiParsingWorkload({
    ...base,
    modelPath: "/var/lib/abode/models/floorplan.onnx",
    classNames: ["door", "window", "room", "wall"],
    detection: { confidence: 0.4, iou: 0.5, maxDetections: 100 },
    limits: { maxUploadBytes: 10 * 1024 * 1024, maxInputPixels: 20_000_000, maxInFlight: 2 },
    floorplanClasses: { wall: ["wall", "partition"] },
  });
  const config = parseConfig(spec.env as Record<string, string>);
  expect(config.model).toEqual({ location: "/var/lib/abode/models/floorplan.onnx", classNames: ["door", "window", "room", "wall"], executionProvider: "cpu", intraOpThreads: 2 });
  expect(config.detection).toEqual({ confidence: 0.4, iou: 0.5, maxDetections: 100 });
  expect(config.limits).toEqual({ maxUploadBytes: 10 * 1024 * 1024, maxInputPixels: 20_000_000, maxInFlight: 2 });
  expect(config.floorplanClasses.wall).toEqual(["wall", "partition"]);
});
