import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import { appServiceWorkload } from "../workload/app-service";
import type { WorkloadSpec } from "../workload/spec";
import { grafanaWorkload } from "./grafana";
import { jaegerWorkload } from "./jaeger";
import { otelCollectorWorkload } from "./otel-collector";
import { PROMETHEUS_CONFIG_PATH, PROMETHEUS_RULES_PATH, prometheusWorkload, renderPrometheusConfig, scrapeTargetsFor } from "./prometheus";
import { promtool } from "./testdata/promtool";

const app = (name: string, port: number) =>
  appServiceWorkload({ name, component: "app", port, version: "1.0.0", otlpEndpoint: "http://otel-collector:4318", resources: { cpu: 1, memoryMiB: 256 } });

const specs: WorkloadSpec[] = [
  app("ifc", 8004),
  app("ai-lighting", 8005),
  jaegerWorkload(),
  otelCollectorWorkload(),
  grafanaWorkload({ adminPassword: "not-used-here", services: ["ifc"] }),
  { ...app("no-metrics", 9999), metrics: undefined },
];

describe("scrapeTargetsFor", () => {
  const targets = scrapeTargetsFor(specs);

  it("gives every spec with metrics one job named after it, at <name>:<containerPort of the metrics port>", () => {
    const withMetrics = specs.filter((s) => s.metrics);
    expect(targets.map((t) => t.job)).toEqual(withMetrics.map((s) => s.name));
    for (const spec of withMetrics) {
      const port = spec.ports.find((p) => p.name === spec.metrics!.port)!.containerPort;
      expect(targets.find((t) => t.job === spec.name)).toMatchObject({ address: `${spec.name}:${port}`, metricsPath: spec.metrics!.path });
    }
  });

  it("resolves the named port, not the first one", () => {
    expect(targets.find((t) => t.job === "otel-collector")!.address).toBe("otel-collector:8889");
    expect(targets.find((t) => t.job === "jaeger")!.address).toBe("jaeger:8888");
    expect(targets.find((t) => t.job === "ifc")!.address).toBe("ifc:8004");
  });

  it("skips specs without metrics", () => {
    expect(targets.map((t) => t.job)).not.toContain("no-metrics");
  });

  it("names the spec and its ports when the metrics port does not exist", () => {
    const broken = { ...app("broken", 8000), metrics: { port: "admin", path: "/metrics" } };
    expect(() => scrapeTargetsFor([broken])).toThrow('broken: metrics port "admin" is not one of its ports (http)');
  });
});

describe("renderPrometheusConfig", () => {
  const targets = scrapeTargetsFor(specs);
  const config = renderPrometheusConfig({ targets, ruleFiles: ["rules/a.yml"], scrapeIntervalSeconds: 15 });

  it("scrapes Prometheus itself, the collector and every service", () => {
    const jobs = config.scrape_configs.map((c) => c.job_name);
    expect(jobs).toEqual(["prometheus", ...targets.map((t) => t.job)]);
    expect(config.scrape_configs[0].static_configs[0].targets).toEqual(["localhost:9090"]);
    expect(config.scrape_configs.find((c) => c.job_name === "otel-collector")!.static_configs[0].targets).toEqual(["otel-collector:8889"]);
  });

  it("does not add a second prometheus job when Prometheus is among the targets", () => {
    const withSelf = scrapeTargetsFor([prometheusWorkload({ targets: [], alertedServices: [] })]);
    const jobs = renderPrometheusConfig({ targets: withSelf, ruleFiles: [], scrapeIntervalSeconds: 15 }).scrape_configs.map((c) => c.job_name);
    expect(jobs).toEqual(["prometheus"]);
  });

  it("never lets the scrape timeout exceed the interval", () => {
    expect(renderPrometheusConfig({ targets, ruleFiles: [], scrapeIntervalSeconds: 5 }).global.scrape_timeout).toBe("5s");
    expect(config.global.scrape_timeout).toBe("10s");
  });

  it("rejects duplicate jobs and bad intervals", () => {
    expect(() => renderPrometheusConfig({ targets: [...targets, targets[0]], ruleFiles: [], scrapeIntervalSeconds: 15 })).toThrow(/duplicate scrape jobs: ifc/);
    expect(() => renderPrometheusConfig({ targets, ruleFiles: [], scrapeIntervalSeconds: 0.5 })).toThrow(/scrape interval/);
  });
});

describe("prometheusWorkload", () => {
  const spec = prometheusWorkload({ targets: scrapeTargetsFor(specs), alertedServices: ["ifc", "ai-lighting"], retention: "7d", dataSizeGiB: 50 });
  const file = (p: string) => spec.configFiles.find((f) => f.path === p)!.content as string;

  it("runs as the image's nobody user with a read-only root and its data on a volume", () => {
    expect(spec.image).toEqual({ kind: "pinned", repository: "prom/prometheus", tag: "v2.55.1" });
    expect(spec.security).toMatchObject({ runAsUser: 65534, runAsGroup: 65534, readOnlyRootFilesystem: true });
    expect(spec.volumes).toEqual([{ name: "data", mountPath: "/prometheus", sizeGiB: 50 }]);
    expect(spec.args).toEqual(expect.arrayContaining(["--storage.tsdb.path=/prometheus", "--storage.tsdb.retention.time=7d", "--storage.tsdb.retention.size=40GB"]));
  });

  it("health-checks /-/healthy with the image's wget and is ready on /-/ready", () => {
    expect(spec.health.command).toEqual(["CMD", "wget", "-q", "-T", "3", "-O", "/dev/null", "http://127.0.0.1:9090/-/healthy"]);
    expect(spec.health.http).toEqual({ port: 9090, path: "/-/healthy", readinessPath: "/-/ready" });
  });

  it("loads the rules file it ships", () => {
    expect(spec.args).toContain(`--config.file=${PROMETHEUS_CONFIG_PATH}`);
    expect(parse(file(PROMETHEUS_CONFIG_PATH)).rule_files).toEqual([PROMETHEUS_RULES_PATH]);
    expect(parse(file(PROMETHEUS_RULES_PATH)).groups.map((g: { name: string }) => g.name)).toEqual(["abode-ifc", "abode-ai-lighting"]);
  });

  it("rejects a retention that is not a duration", () => {
    expect(() => prometheusWorkload({ targets: [], alertedServices: [], retention: "two weeks" })).toThrow(/retention/);
  });

  describe("with the real promtool", () => {
    let dir: string;
    beforeAll(() => {
      // The shipped files, with the rule file path made relative so promtool finds it here.
      dir = mkdtempSync(path.join(tmpdir(), "abode-prometheus-"));
      mkdirSync(path.join(dir, "rules"));
      writeFileSync(path.join(dir, "rules", "abode.rules.yml"), file(PROMETHEUS_RULES_PATH));
      writeFileSync(path.join(dir, "prometheus.yml"), stringify({ ...parse(file(PROMETHEUS_CONFIG_PATH)), rule_files: ["rules/abode.rules.yml"] }));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it("accepts the rendered prometheus.yml and the rules it references (promtool check config)", () => {
      const out = promtool(["check", "config", "prometheus.yml"], dir);
      expect(out).toMatch(/SUCCESS: prometheus\.yml is valid prometheus config file syntax/);
      expect(out).toMatch(/SUCCESS: 6 rules found/);
    });
  });
});
