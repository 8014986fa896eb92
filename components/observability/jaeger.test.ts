import { parse } from "yaml";
import { JAEGER_DATA_PATH, badgerStorage, jaegerWorkload, renderJaegerConfig } from "./jaeger";

describe("renderJaegerConfig", () => {
  const config = renderJaegerConfig(badgerStorage());

  it("wires only defined components into the traces pipeline", () => {
    const pipeline = config.service.pipelines.traces;
    for (const r of pipeline.receivers) expect(config.receivers).toHaveProperty([r]);
    for (const p of pipeline.processors) expect(config.processors).toHaveProperty([p]);
    for (const e of pipeline.exporters) expect(config.exporters).toHaveProperty([e]);
    expect(config.service.extensions.sort()).toEqual(Object.keys(config.extensions).sort());
  });

  it("writes and queries the same persistent badger store, on the data volume", () => {
    const stores = Object.keys(config.extensions.jaeger_storage.backends);
    expect(stores).toHaveLength(1);
    expect(config.exporters.jaeger_storage_exporter.trace_storage).toBe(stores[0]);
    expect(config.extensions.jaeger_query.storage.traces).toBe(stores[0]);
    const badger = Object.values(config.extensions.jaeger_storage.backends)[0].badger;
    expect(badger.ephemeral).toBe(false);
    expect(badger.directories.keys.startsWith(`${JAEGER_DATA_PATH}/`)).toBe(true);
    expect(badger.directories.values.startsWith(`${JAEGER_DATA_PATH}/`)).toBe(true);
    expect(badger.ttl.spans).toBe("168h");
  });

  it("takes the retention in whole hours", () => {
    expect(Object.values(renderJaegerConfig(badgerStorage({ retentionHours: 24 })).extensions.jaeger_storage.backends)[0]!.badger.ttl.spans).toBe("24h");
    expect(() => badgerStorage({ retentionHours: 0 })).toThrow(/retention/);
  });
});

describe("jaegerWorkload", () => {
  const spec = jaegerWorkload();

  it("has the UI on 16686 (the only port the stack publishes), OTLP and metrics on the network", () => {
    expect(Object.fromEntries(spec.ports.map((p) => [p.name, p.containerPort]))).toEqual({ "otlp-grpc": 4317, "otlp-http": 4318, ui: 16686, metrics: 8888 });
    expect(spec.metrics).toEqual({ port: "metrics", path: "/metrics" });
    const config = parse(spec.configFiles[0].content as string);
    expect(config.service.telemetry.metrics.readers).toEqual([{ pull: { exporter: { prometheus: { host: "0.0.0.0", port: 8888 } } } }]);
  });

  it("keeps badger on a volume mounted where the config points", () => {
    expect(spec.volumes).toEqual([{ name: "data", mountPath: JAEGER_DATA_PATH, sizeGiB: 10 }]);
    expect(spec.args).toEqual(["--config", spec.configFiles[0].path]);
  });

  it("probes healthcheckv2 with the derived image's busybox", () => {
    expect(spec.image).toMatchObject({ kind: "build", dockerfile: "components/observability/images/jaeger/Dockerfile" });
    expect(spec.health.command.slice(0, 3)).toEqual(["CMD", "/usr/local/bin/busybox", "wget"]);
    expect(spec.health.command.at(-1)).toBe("http://127.0.0.1:13133/status");
  });
});
