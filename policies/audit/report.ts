/** Renders findings: a table for people, JSON for scripts, SARIF 2.1.0 for code-scanning tools. Pure. */
import * as path from "node:path";
import type { AuditPolicy } from "../core/policy";
import { countByLevel, type Finding } from "./run";

const COLUMNS = ["resource", "policy", "severity", "level", "message"] as const;
const WIDTH_CAP: Record<(typeof COLUMNS)[number], number> = { resource: 60, policy: 48, severity: 8, level: 9, message: 200 };

function cell(value: string, width: number): string {
  const text = value.replace(/\s+/g, " ");
  return text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width);
}

/** A fixed-width table, one finding per line, and a summary line. */
export function renderTable(findings: Finding[], context: string): string {
  const counts = countByLevel(findings);
  const summary = `${context}: ${findings.length} finding(s): ${counts.mandatory} mandatory, ${counts.advisory} advisory, ${counts.exempt} exempt (documented on the resource)`;
  if (findings.length === 0) return `${summary}\n`;
  const widths = Object.fromEntries(COLUMNS.map((c) => [c, Math.min(WIDTH_CAP[c], Math.max(c.length, ...findings.map((f) => String(f[c]).length)))])) as Record<(typeof COLUMNS)[number], number>;
  const line = (values: Record<(typeof COLUMNS)[number], string>) => COLUMNS.map((c) => cell(values[c], widths[c])).join("  ").trimEnd();
  const header = line({ resource: "RESOURCE", policy: "POLICY", severity: "SEVERITY", level: "LEVEL", message: "MESSAGE" });
  const rows = findings.map((f) => line({ resource: f.resource, policy: f.policy, severity: f.severity, level: f.level, message: f.message }));
  return [header, ...rows, "", summary, ""].join("\n");
}

export interface AuditMeta {
  /** `stack prod`, `manifests (level prod)`. */
  target: string;
  policies: number;
  resources: number;
}

export function renderJson(findings: Finding[], meta: AuditMeta): string {
  return `${JSON.stringify({ ...meta, counts: countByLevel(findings), findings }, null, 2)}\n`;
}

export const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
export const TOOL_NAME = "abode-audit";

/** A manifest path as a SARIF artifact URI: relative to the base when inside it, forward slashes. */
function artifactUri(finding: Finding, base: string): string {
  if (!finding.file) return finding.source;
  const relative = path.relative(base, path.resolve(finding.file));
  const uri = relative.startsWith("..") || path.isAbsolute(relative) ? `file://${path.resolve(finding.file)}` : relative;
  return uri.split(path.sep).join("/");
}

/**
 * SARIF 2.1.0: one run, tool.driver.rules from the policies (help = remediation), one result per
 * finding, `error` for mandatory and `warning` for advisory, located at the manifest file (with
 * the document index as a logical location) or at the resource's URN.
 */
export function renderSarif(findings: Finding[], policies: AuditPolicy[], options: { base?: string; version?: string } = {}): Record<string, unknown> {
  const base = options.base ?? process.cwd();
  const unique = policies.filter((p, i) => policies.findIndex((q) => q.name === p.name) === i);
  const index = new Map(unique.map((p, i) => [p.name, i]));
  return {
    version: "2.1.0",
    $schema: SARIF_SCHEMA,
    runs: [
      {
        tool: {
          driver: {
            name: TOOL_NAME,
            version: options.version ?? "0.1.0",
            informationUri: "https://www.pulumi.com/docs/iac/using-pulumi/crossguard/",
            rules: unique.map((p) => ({
              id: p.name,
              name: p.name,
              shortDescription: { text: p.description.split(/(?<=\.)\s/)[0]! },
              fullDescription: { text: p.description },
              help: { text: p.remediation },
              defaultConfiguration: { level: "warning" },
              properties: { tags: [p.pack, ...p.frameworks], severity: p.severity, pack: p.pack },
            })),
          },
        },
        results: findings.map((f) => ({
          ruleId: f.policy,
          ...(index.has(f.policy) ? { ruleIndex: index.get(f.policy) } : {}),
          level: f.level === "mandatory" ? "error" : f.level === "advisory" ? "warning" : "note",
          message: { text: `${f.resource}: ${f.message}` },
          locations: [
            {
              physicalLocation: { artifactLocation: { uri: artifactUri(f, base) } },
              logicalLocations: [{ fullyQualifiedName: f.source, name: f.resource }],
            },
          ],
          properties: { severity: f.severity, pack: f.pack, enforcementLevel: f.level },
        })),
      },
    ],
  };
}
