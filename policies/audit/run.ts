/** Runs policies over resources: pure, no I/O. */
import { policyConfig, type AuditPolicy, type AuditResource, type EnforcementLevel, type PackName, type Severity } from "../core/policy";
import { exemptionFor } from "../core/exemptions";
import type { ManifestProblem } from "./manifests";

/** A finding's weight: `exempt` findings carry a documented exemption and never fail the run. */
export type FindingLevel = Exclude<EnforcementLevel, "disabled"> | "exempt";

export interface Finding {
  policy: string;
  pack: PackName;
  severity: Severity;
  level: FindingLevel;
  /** What a reader calls it: `type name` for a stack resource, `Kind name` for a manifest. */
  resource: string;
  /** A URN or `file#index`. */
  source: string;
  /** The manifest file, when it came from one. */
  file?: string;
  message: string;
}

/** The pseudo-policy under which unreadable manifest documents are reported. */
export const MANIFEST_POLICY: AuditPolicy = {
  kind: "resource",
  name: "audit-manifest-require-kubernetes-object",
  pack: "security",
  description: "Every document given to the audit is valid YAML and a Kubernetes object (apiVersion and kind): a document the audit cannot read is one it cannot vouch for.",
  severity: "medium",
  remediation: "Fix the YAML syntax, or remove documents that are not Kubernetes objects (Helm values, kustomization files) from the paths given to the audit.",
  frameworks: ["abode:audit:parse"],
  validateResource: () => [],
};

const SEVERITY_ORDER: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3 };
const LEVEL_ORDER: Record<FindingLevel, number> = { mandatory: 0, advisory: 1, exempt: 2 };

export function displayName(resource: AuditResource): string {
  const kind = resource.type.startsWith("kubernetes:") ? resource.type.split(":").pop()! : resource.type;
  return `${kind} ${resource.name}`;
}

function fileOf(source: string): string | undefined {
  return source.startsWith("urn:") ? undefined : source.replace(/#.*$/, "");
}

export interface RunOptions {
  /** Enforcement of a policy; `disabled` skips it. */
  levelOf: (policy: AuditPolicy) => EnforcementLevel;
  /** Per-policy config overrides (pack config's other keys). */
  configOf?: (policy: AuditPolicy) => Record<string, unknown> | undefined;
}

/** Every violation of every enabled policy; a policy that throws is reported as a finding, not rethrown. */
export function runPolicies(resources: AuditResource[], policies: AuditPolicy[], options: RunOptions): Finding[] {
  const findings: Finding[] = [];
  for (const policy of policies) {
    const level = options.levelOf(policy);
    if (level === "disabled") continue;
    const config = policyConfig(policy, options.configOf?.(policy));
    const report = (resource: AuditResource, message: string) => {
      const exemption = exemptionFor(resource, policy.name);
      findings.push({
        policy: policy.name,
        pack: policy.pack,
        severity: policy.severity,
        level: exemption ? "exempt" : level,
        resource: displayName(resource),
        source: resource.source,
        file: fileOf(resource.source),
        message: exemption ? `${message} (exempt: ${exemption})` : message,
      });
    };
    if (policy.kind === "resource") {
      for (const resource of resources) {
        try {
          for (const message of policy.validateResource(resource, config)) report(resource, message);
        } catch (e) {
          report(resource, `the policy failed on this resource: ${(e as Error).message}`);
        }
      }
    } else {
      try {
        for (const { resource, message } of policy.validateStack(resources, config)) report(resource, message);
      } catch (e) {
        findings.push({ policy: policy.name, pack: policy.pack, severity: policy.severity, level, resource: "(stack)", source: "(stack)", message: `the policy failed: ${(e as Error).message}` });
      }
    }
  }
  return sortFindings(findings);
}

/** Manifest documents that could not be audited, as findings of MANIFEST_POLICY. */
export function problemFindings(problems: ManifestProblem[], level: FindingLevel): Finding[] {
  return problems.map((p) => ({
    policy: MANIFEST_POLICY.name,
    pack: MANIFEST_POLICY.pack,
    severity: MANIFEST_POLICY.severity,
    level,
    resource: p.source,
    source: p.source,
    file: p.file,
    message: p.message,
  }));
}

export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level] ||
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      a.policy.localeCompare(b.policy) ||
      a.source.localeCompare(b.source),
  );
}

export function countByLevel(findings: Finding[]): Record<FindingLevel, number> {
  const counts: Record<FindingLevel, number> = { mandatory: 0, advisory: 0, exempt: 0 };
  for (const f of findings) counts[f.level]++;
  return counts;
}

/** Policies whose framework ids start with one of the prefixes (all when none given). */
export function selectPolicies(policies: AuditPolicy[], filters: { frameworks?: string[]; packs?: string[]; names?: string[] }): AuditPolicy[] {
  return policies.filter(
    (p) =>
      (!filters.frameworks?.length || p.frameworks.some((f) => filters.frameworks!.some((prefix) => f.startsWith(prefix)))) &&
      (!filters.packs?.length || filters.packs.includes(p.pack)) &&
      (!filters.names?.length || filters.names.includes(p.name)),
  );
}
