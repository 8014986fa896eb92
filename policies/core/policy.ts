/**
 * The one shape every policy has, whatever runs it: CrossGuard during `pulumi preview`
 * (policies/core/crossguard.ts), or the offline audit over captured resources and plain YAML
 * manifests (policies/audit). A policy is plain data plus pure functions, so tests call it
 * directly (never construct a `PolicyPack` in a test: it starts a gRPC server).
 */

export type Severity = "low" | "medium" | "high" | "critical";
export type PackName = "security" | "reliability" | "cost" | "edge";
export type EnforcementLevel = "advisory" | "mandatory" | "disabled";

/**
 * A resource as policies see it. `type` is the Pulumi type token (`aws:eks/...`,
 * `kubernetes:apps/v1:Deployment`); a YAML manifest gets the same token from its apiVersion and
 * kind (`kubernetesType`), so Kubernetes policies check both alike. `props` are its inputs.
 */
export interface AuditResource {
  type: string;
  name: string;
  props: Record<string, any>;
  /** Where it came from: a URN, or `file.yaml#index` for a manifest. */
  source: string;
  /** The provider-assigned id, when known (under mocks; never during a real preview). */
  id?: string;
  /** URNs of the resources it depends on, when known: how a stack policy ties a companion resource to its owner. */
  dependencies?: string[];
}

/**
 * Settings an auditor may override per policy through pack config (`--policy-pack-config`),
 * as JSON-schema properties, each with its `default`.
 */
export type PolicyConfigSchema = Record<string, { type: "string" | "number" | "integer" | "boolean" | "array" | "object"; default: unknown; description?: string; [key: string]: unknown }>;

interface PolicyMeta {
  /** `<vendor>-<service>-<resource>-<verb>-<thing>`, and the file's name. */
  name: string;
  pack: PackName;
  /** What it checks and the peer controls it matches (PSS id, CIS EKS item, kube-linter/Polaris check). */
  description: string;
  severity: Severity;
  remediation: string;
  /** Peer control ids, for selection by auditors: `pss:baseline:privileged`, `cis-eks:5.4.2`, `kube-linter:latest-tag`. */
  frameworks: string[];
  /** Optional settings, passed (defaults filled in) as the validate function's second argument. */
  config?: PolicyConfigSchema;
}

/** Checks one resource at a time. */
export interface ResourcePolicy extends PolicyMeta {
  kind: "resource";
  /** Returns one message per violation (empty when compliant). */
  validateResource(resource: AuditResource, config?: Record<string, any>): string[];
}

/** Checks relations between resources (a workload and its NetworkPolicy, PDB, Service...). */
export interface StackPolicy extends PolicyMeta {
  kind: "stack";
  /** Returns each violation with the resource it is about. */
  validateStack(resources: AuditResource[], config?: Record<string, any>): { resource: AuditResource; message: string }[];
}

export type AuditPolicy = ResourcePolicy | StackPolicy;

/** The config a policy runs with: each setting's default, overridden by what is given. */
export function policyConfig(policy: AuditPolicy, given: Record<string, unknown> = {}): Record<string, any> {
  const defaults = Object.fromEntries(Object.entries(policy.config ?? {}).map(([key, schema]) => [key, schema.default]));
  return { ...defaults, ...Object.fromEntries(Object.entries(given).filter(([key]) => key in defaults)) };
}

/** The Pulumi type token of a Kubernetes object: `kubernetes:<group>/<version>:<Kind>`, core as `core/v1`. */
export function kubernetesType(apiVersion: string, kind: string): string {
  const groupVersion = apiVersion.includes("/") ? apiVersion : `core/${apiVersion}`;
  return `kubernetes:${groupVersion}:${kind}`;
}
