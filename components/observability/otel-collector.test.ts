import { parse } from "yaml";
import { memoryLimiterFor, otelCollectorWorkload, renderCollectorConfig } from "./otel-collector";

type Pipeline = { receivers: string[]; processors: string[]; exporters: string[] };

describe("renderCollectorConfig", () => {
  const config = renderCollectorConfig({ memoryLimitMiB: 512 });
  const pipelines = Object.entries(config.service.pipelines) as [string, Pipeline][];

  it("has a traces and a metrics pipeline", () => {
    expect(pipelines.map(([name]) => name).sort()).toEqual(["metrics", "traces"]);
  });

  it.each(pipelines)("wires only defined components into the %s pipeline", (_, pipeline) => {
    for (const r of pipeline.receivers) expect(config.receivers).toHaveProperty([r]);
    for (const p of pipeline.processors) expect(config.processors).toHaveProperty([p]);
    for (const e of pipeline.exporters) expect(config.exporters).toHaveProperty([e]);
  });

  it.each(pipelines)("runs memory_limiter first and batch last in the %s pipeline", (_, pipeline) => {
    expect(pipeline.processors[0]).toBe("memory_limiter");
    expect(pipeline.processors.at(-1)).toBe("batch");
  });

  it("enables every extension it defines, and only those", () => {
    expect(config.service.extensions.sort()).toEqual(Object.keys(config.extensions).sort());
  });

  it("sends traces to Jaeger over OTLP/gRPC and exposes metrics for Prometheus on 8889", () => {
    expect(config.service.pipelines.traces.exporters).toEqual(["otlp/jaeger"]);
    expect(config.exporters["otlp/jaeger"].endpoint).toBe("jaeger:4317");
    expect(config.service.pipelines.metrics.exporters).toEqual(["prometheus"]);
    expect(config.exporters.prometheus.endpoint).toBe("0.0.0.0:8889");
  });

  it("listens for OTLP on 4317 (gRPC) and 4318 (HTTP), health on 13133", () => {
    expect(config.receivers.otlp.protocols.grpc.endpoint).toBe("0.0.0.0:4317");
    expect(config.receivers.otlp.protocols.http.endpoint).toBe("0.0.0.0:4318");
    expect(config.extensions.health_check.endpoint).toBe("0.0.0.0:13133");
  });

  it("verifies Jaeger's certificate when given a CA, plaintext only without one", () => {
    expect(config.exporters["otlp/jaeger"].tls).toEqual({ insecure: true });
    const tls = renderCollectorConfig({ memoryLimitMiB: 512, jaegerCaFile: "/etc/ca.pem" }).exporters["otlp/jaeger"].tls;
    expect(tls).toEqual({ ca_file: "/etc/ca.pem" });
  });
});

describe("memoryLimiterFor", () => {
  it.each([
    [512, 409, 102],
    [1024, 819, 204],
    [2048, 1638, 409],
  ])("sizes %i MiB to limit %i MiB, spike %i MiB", (memory, limit, spike) => {
    expect(memoryLimiterFor(memory)).toEqual({ limitMiB: limit, spikeLimitMiB: spike });
  });

  it("keeps the limiter under the container limit", () => {
    for (const memory of [128, 300, 777, 4096]) {
      const { limitMiB, spikeLimitMiB } = memoryLimiterFor(memory);
      expect(limitMiB).toBeLessThan(memory);
      expect(spikeLimitMiB).toBeLessThan(limitMiB);
    }
  });

  it("refuses a limit too small to work with", () => {
    expect(() => memoryLimiterFor(64)).toThrow(/at least 128 MiB/);
  });
});

describe("otelCollectorWorkload", () => {
  const spec = otelCollectorWorkload({ resources: { cpu: 2, memoryMiB: 1024 } });

  it("mounts the rendered config where --config points, sized from the spec's memory limit", () => {
    expect(spec.args).toEqual(["--config=/etc/otelcol-contrib/config.yaml"]);
    const file = spec.configFiles.find((f) => f.path === "/etc/otelcol-contrib/config.yaml")!;
    const config = parse(file.content as string);
    expect(config.processors.memory_limiter.limit_mib).toBe(819);
    expect(spec.env.GOMEMLIMIT).toBe("819MiB");
  });

  it("publishes the OTLP and metrics ports by the names the stack catalogue uses", () => {
    expect(spec.ports).toEqual([
      { name: "otlp-grpc", containerPort: 4317 },
      { name: "otlp-http", containerPort: 4318 },
      { name: "metrics", containerPort: 8889 },
    ]);
    expect(spec.metrics).toEqual({ port: "metrics", path: "/metrics" });
  });

  it("is built from the derived image, whose busybox wget probes the health_check extension", () => {
    expect(spec.image).toMatchObject({ kind: "build", dockerfile: "components/observability/images/otel-collector/Dockerfile" });
    expect(spec.health.command).toEqual(["CMD", "/usr/local/bin/busybox", "wget", "-q", "-T", "3", "-O", "/dev/null", "http://127.0.0.1:13133/"]);
    expect(spec.health.http).toEqual({ port: 13133, path: "/" });
  });
});
