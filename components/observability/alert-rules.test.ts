import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { ALERTS, HTTP_METRICS, renderAlertRules } from "./alert-rules";
import { promtool } from "./testdata/promtool";
import { toYaml } from "../workload/yaml";

const services = ["ifc", "cfd-solver", "ai-lighting"];
const rules = renderAlertRules(services, { p99ThresholdSeconds: { "cfd-solver": 30 } });
const rule = (service: string, alert: string) => rules.groups.find((g) => g.name === `abode-${service}`)!.rules.find((r) => r.alert === alert)!;

describe("renderAlertRules", () => {
  it("gives every service its own group with the three alerts", () => {
    expect(rules.groups.map((g) => g.name)).toEqual(services.map((s) => `abode-${s}`));
    for (const group of rules.groups) expect(group.rules.map((r) => r.alert)).toEqual(["TargetDown", "High5xxRatio", "HighP99Latency"]);
  });

  it("scopes every expression to the service's job and uses the contract metric names", () => {
    for (const service of services) {
      expect(rule(service, "TargetDown").expr).toBe(`up{job="${service}"} == 0`);
      expect(rule(service, "High5xxRatio").expr).toContain(`${HTTP_METRICS.requests}{job="${service}", status_code=~"5.."}`);
      expect(rule(service, "High5xxRatio").expr).toMatch(/ > 0\.05$/);
      expect(rule(service, "HighP99Latency").expr).toContain(`histogram_quantile(0.99, sum by (job, le) (rate(${HTTP_METRICS.durationBuckets}{job="${service}"}[5m])))`);
    }
  });

  it("uses the per-service p99 threshold, else the default", () => {
    expect(rule("cfd-solver", "HighP99Latency").expr).toMatch(/ > 30$/);
    expect(rule("ifc", "HighP99Latency").expr).toMatch(/ > 1$/);
    const custom = renderAlertRules(["ifc"], { defaultP99ThresholdSeconds: 0.25 });
    expect(custom.groups[0].rules[2].expr).toMatch(/ > 0\.25$/);
  });

  it("holds each alert for its documented duration, with severity and service labels", () => {
    for (const r of rules.groups.flatMap((g) => g.rules)) {
      expect(r.for).toBe(ALERTS[r.alert].for);
      expect(r.labels.severity).toBe(ALERTS[r.alert].severity);
    }
    expect(rule("ifc", "TargetDown").for).toBe("2m");
    expect(rule("ifc", "High5xxRatio").for).toBe("5m");
    expect(rule("ifc", "HighP99Latency").for).toBe("10m");
    expect(rule("ifc", "TargetDown").labels.service).toBe("ifc");
  });

  it("links every alert to a section of docs/runbooks.md that exists", () => {
    const runbooks = readFileSync(path.join(__dirname, "../../docs/runbooks.md"), "utf8");
    // GitHub's heading anchors: lower case, spaces to dashes, punctuation dropped.
    const anchors = [...runbooks.matchAll(/^#{1,6} (.+)$/gm)].map((m) => m[1].trim().toLowerCase().replace(/[^\w\- ]/g, "").replace(/ /g, "-"));
    for (const r of rules.groups.flatMap((g) => g.rules)) {
      const [file, anchor] = r.annotations.runbook_url.split("#");
      expect(file).toBe("docs/runbooks.md");
      expect(anchors).toContain(anchor);
      expect(r.annotations.summary).not.toBe("");
      expect(r.annotations.description).not.toBe("");
    }
  });

  it("prefixes runbook links with the given base URL", () => {
    const linked = renderAlertRules(["ifc"], { runbookBaseUrl: "https://example.org/abode/blob/main/docs/runbooks.md" });
    expect(linked.groups[0].rules[0].annotations.runbook_url).toBe("https://example.org/abode/blob/main/docs/runbooks.md#targetdown");
  });

  it("lists every problem with its input at once", () => {
    expect(() => renderAlertRules(["ifc", "ifc", 'x"} or vector(1) #'], { p99ThresholdSeconds: { ifx: 2, ifc: -1 } })).toThrow(
      [
        "Invalid alert rules:",
        '- "x"} or vector(1) #" is not a valid service name',
        '- "ifc" is listed twice',
        '- p99 threshold given for "ifx", which is not alerted on',
        "- p99 threshold for ifc must be a positive number of seconds, got -1",
      ].join("\n"),
    );
  });

  describe("with the real promtool", () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(path.join(tmpdir(), "abode-rules-"));
      writeFileSync(path.join(dir, "rules.yml"), toYaml(rules));
      copyFileSync(path.join(__dirname, "testdata", "alert-rules.promtest.yml"), path.join(dir, "alert-rules.promtest.yml"));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it("loads (promtool check rules)", () => {
      expect(promtool(["check", "rules", "rules.yml"], dir)).toMatch(/SUCCESS: 9 rules found/);
    });

    it("fires each alert when it should and stays silent when it should not (promtool test rules)", () => {
      expect(promtool(["test", "rules", "alert-rules.promtest.yml"], dir)).toMatch(/SUCCESS/);
    });
  });
});
