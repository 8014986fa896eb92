/**
 * AuditPolicy → CrossGuard (`@pulumi/policy`). The same validate functions run during
 * `pulumi preview --policy-pack policies/<pack>` and in the offline audit. Only types and plain
 * objects here: the `PolicyPack` itself is built in each pack's index.ts, never in a test.
 */
import type { EnforcementLevel as CrossGuardLevel, PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { exemptionFor } from "./exemptions";
import { policyConfig, type AuditPolicy, type AuditResource, type EnforcementLevel } from "./policy";

export type CrossGuardPolicy = ResourceValidationPolicy | StackValidationPolicy;

/** A resource as a resource validation sees it. */
export function fromResourceArgs(args: { type: string; name: string; urn: string; props: Record<string, any> }): AuditResource {
  return { type: args.type, name: args.name, props: args.props, source: args.urn };
}

/** A resource as a stack validation sees it (its dependencies tie companions to owners). */
export function fromPolicyResource(resource: Pick<PolicyResource, "type" | "name" | "urn" | "props" | "dependencies" | "propertyDependencies">): AuditResource {
  const dependencies = new Set<string>([
    ...(resource.dependencies ?? []).map((d) => d.urn),
    ...Object.values(resource.propertyDependencies ?? {}).flatMap((list) => list.map((d) => d.urn)),
  ]);
  return { type: resource.type, name: resource.name, props: resource.props, source: resource.urn, dependencies: [...dependencies] };
}

/** The CrossGuard policy for one AuditPolicy, at the given default enforcement level (pack config overrides it). */
export function toCrossGuard(policy: AuditPolicy, enforcementLevel: EnforcementLevel): CrossGuardPolicy {
  const common = {
    name: policy.name,
    description: policy.description,
    enforcementLevel: enforcementLevel as CrossGuardLevel,
    severity: policy.severity,
    remediationSteps: policy.remediation,
    tags: [policy.pack, ...policy.frameworks],
    ...(policy.config ? { configSchema: { properties: policy.config as any } } : {}),
  };
  if (policy.kind === "resource") {
    return {
      ...common,
      validateResource: (args, reportViolation) => {
        const config = policyConfig(policy, args.getConfig<Record<string, unknown>>());
        const resource = fromResourceArgs(args);
        if (exemptionFor(resource, policy.name)) return; // documented on the resource; the offline audit lists it
        for (const message of policy.validateResource(resource, config)) reportViolation(message);
      },
    };
  }
  return {
    ...common,
    validateStack: (args, reportViolation) => {
      const config = policyConfig(policy, args.getConfig<Record<string, unknown>>());
      for (const { resource, message } of policy.validateStack(args.resources.map(fromPolicyResource), config)) {
        if (!exemptionFor(resource, policy.name)) reportViolation(message, resource.source);
      }
    },
  };
}

/** Every policy of a pack, each at the level `levelOf` gives it. */
export function toCrossGuardPolicies(policies: AuditPolicy[], levelOf: (policy: AuditPolicy) => EnforcementLevel): CrossGuardPolicy[] {
  return policies.map((policy) => toCrossGuard(policy, levelOf(policy)));
}
