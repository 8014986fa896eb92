import * as pulumi from "@pulumi/pulumi";
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { HTTP_METRICS } from "./alert-rules";
import { PROMETHEUS_DATASOURCE_UID, redDashboard } from "./dashboards";
import { grafanaWorkload, renderDashboardProvider, renderGrafanaDatasources, type GrafanaWorkloadArgs } from "./grafana";
import { resolve } from "./testdata/resolve";

const PEM = "-----BEGIN CERTIFICATE-----\nMIIBtest\n-----END CERTIFICATE-----\n";
const es = { user: "grafana_reader", password: "es-secret-value", caCertPem: PEM };

describe("renderGrafanaDatasources", () => {
  const { datasources } = renderGrafanaDatasources({ elasticsearch: es });
  const byType = (type: string) => datasources.find((d) => d.type === type)!;

  it("points at Prometheus (default), Jaeger and Elasticsearch over TLS", () => {
    expect(byType("prometheus")).toMatchObject({ url: "http://prometheus:9090", uid: PROMETHEUS_DATASOURCE_UID, isDefault: true });
    expect(byType("jaeger")).toMatchObject({ url: "http://jaeger:16686" });
    expect(byType("elasticsearch")).toMatchObject({ url: "https://elasticsearch:9200", basicAuth: true, basicAuthUser: "grafana_reader" });
  });

  it("puts the Elasticsearch password and CA in secureJsonData, never in jsonData", () => {
    const elastic = byType("elasticsearch") as { jsonData: Record<string, unknown>; secureJsonData: Record<string, unknown> };
    expect(elastic.secureJsonData).toEqual({ basicAuthPassword: "es-secret-value", tlsCACert: PEM });
    expect(JSON.stringify(elastic.jsonData)).not.toContain("es-secret-value");
    expect(JSON.stringify(elastic.jsonData)).not.toContain("BEGIN CERTIFICATE");
    expect(elastic.jsonData).toMatchObject({ tlsAuthWithCACert: true, tlsSkipVerify: false, index: "abode-logs-*", timeField: "@timestamp" });
  });

  it("has no Elasticsearch datasource when the stack runs without ELK", () => {
    expect(renderGrafanaDatasources().datasources.map((d) => d.type)).toEqual(["prometheus", "jaeger"]);
  });
});

describe("redDashboard", () => {
  const dashboard = redDashboard("ifc", { p99ThresholdSeconds: 2 });
  const exprs = dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr));

  it("queries only the contract metrics, scoped to the service's job", () => {
    for (const expr of exprs) {
      expect(expr).toContain('job="ifc"');
      expect(expr.includes(HTTP_METRICS.requests) || expr.includes(HTTP_METRICS.durationBuckets)).toBe(true);
    }
    expect(dashboard.templating.list[0].query.query).toBe(`label_values(${HTTP_METRICS.requests}{job="ifc"}, route)`);
  });

  it("shows rate, 5xx ratio and p50/p95/p99 duration", () => {
    expect(exprs).toContain('sum by (route) (rate(http_requests_total{job="ifc", route=~"$route"}[$__rate_interval]))');
    expect(exprs.some((e) => e.includes('status_code=~"5.."') && e.includes(" / "))).toBe(true);
    for (const q of [0.5, 0.95, 0.99]) expect(exprs.some((e) => e.startsWith(`histogram_quantile(${q}, `))).toBe(true);
  });

  it("uses the provisioned Prometheus datasource everywhere", () => {
    const uids = dashboard.panels.flatMap((p) => [p.datasource.uid, ...p.targets.map((t) => t.datasource.uid)]);
    expect(new Set(uids)).toEqual(new Set([PROMETHEUS_DATASOURCE_UID]));
  });

  it("has unique panel ids, a stable uid within Grafana's 40 characters, and draws the p99 threshold", () => {
    const ids = dashboard.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(dashboard.uid).toBe("abode-red-ifc");
    expect(redDashboard("a-very-long-service-name-that-goes-on-and-on").uid.length).toBeLessThanOrEqual(40);
    const latency = dashboard.panels.find((p) => p.title.startsWith("Latency"))!;
    expect(latency.fieldConfig.defaults.thresholds!.steps[1].value).toBe(2);
  });
});

describe("grafanaWorkload", () => {
  const password = pulumi.secret("generated-by-random");
  const spec = grafanaWorkload({ adminPassword: password, services: ["ifc", "ai-lighting"], elasticsearch: es });
  const file = (p: string) => spec.configFiles.find((f) => f.path === p)!;

  it("refuses to start without an admin password: there is no default", () => {
    expect(() => grafanaWorkload({ services: [] } as unknown as GrafanaWorkloadArgs)).toThrow(/adminPassword is required/);
    expect(() => grafanaWorkload({ adminPassword: "", services: [] })).toThrow(/adminPassword is required/);
  });

  it("reads the admin password from a secret file, never from a literal or plain env", async () => {
    expect(spec.env.GF_SECURITY_ADMIN_USER).toBe("admin");
    expect(spec.env).not.toHaveProperty("GF_SECURITY_ADMIN_PASSWORD");
    const passwordFile = file(spec.env.GF_SECURITY_ADMIN_PASSWORD__FILE as string);
    expect(passwordFile.secret).toBe(true);
    expect(await resolve(passwordFile.content)).toBe("generated-by-random");
    expect(await pulumi.isSecret(pulumi.output(passwordFile.content))).toBe(true);
  });

  it("turns anonymous access and sign-up off", () => {
    expect(spec.env).toMatchObject({ GF_AUTH_ANONYMOUS_ENABLED: "false", GF_USERS_ALLOW_SIGN_UP: "false" });
  });

  it("ships the datasources as a secret file holding the Elasticsearch credentials", async () => {
    const datasources = file("/etc/grafana/provisioning/datasources/abode.yaml");
    expect(datasources.secret).toBe(true);
    expect(await pulumi.isSecret(pulumi.output(datasources.content))).toBe(true);
    const parsed = parse(await resolve(datasources.content));
    const elastic = parsed.datasources.find((d: { type: string }) => d.type === "elasticsearch");
    expect(elastic.secureJsonData).toEqual({ basicAuthPassword: "es-secret-value", tlsCACert: PEM });
  });

  it("keeps the datasources file plain when there is no secret in it", () => {
    const plain = grafanaWorkload({ adminPassword: password, services: [] });
    expect(plain.configFiles.find((f) => f.path.endsWith("datasources/abode.yaml"))!.secret).toBeFalsy();
  });

  it("provisions one RED dashboard per service from the directory the provider reads", () => {
    const providerPath = renderDashboardProvider().providers[0].options.path;
    expect(parse(file("/etc/grafana/provisioning/dashboards/abode.yaml").content as string).providers[0].options.path).toBe(providerPath);
    const dashboards = spec.configFiles.filter((f) => f.path.startsWith(`${providerPath}/`));
    expect(dashboards.map((f) => JSON.parse(f.content as string).uid)).toEqual(["abode-red-ifc", "abode-red-ai-lighting"]);
  });

  it("listens on 3000 (the host port is the stack's), keeps state on a volume, probes /api/health", () => {
    expect(spec.ports).toEqual([{ name: "http", containerPort: 3000 }]);
    expect(spec.volumes).toEqual([{ name: "data", mountPath: "/var/lib/grafana", sizeGiB: 5 }]);
    expect(spec.health.command).toEqual(["CMD", "wget", "-q", "-T", "3", "-O", "/dev/null", "http://127.0.0.1:3000/api/health"]);
    expect(spec.health.http).toEqual({ port: 3000, path: "/api/health" });
  });
});

describe("the observability sources", () => {
  it("contain no password literal (file paths aside)", () => {
    const sources = readdirSync(__dirname).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"));
    for (const source of sources) {
      const text = readFileSync(path.join(__dirname, source), "utf8");
      expect({ source, hits: text.match(/password\w*\s*[:=]\s*["'`](?!\/)[^"'`]+["'`]/gi) ?? [] }).toEqual({ source, hits: [] });
    }
  });
});
