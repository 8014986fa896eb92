import { kubernetesType, policyConfig, type AuditPolicy, type AuditResource } from "../core/policy";

/** Test helpers (no test cases here): objects as AuditResources, and running a policy the way the audit does. */

export function asResource(object: Record<string, any>, source = "test"): AuditResource {
  const name = object?.metadata?.name ?? "unnamed";
  return { type: kubernetesType(String(object.apiVersion), String(object.kind)), name, props: object, source: `${source}#${name}` };
}

export interface Finding {
  policy: string;
  resource: AuditResource;
  message: string;
}

/** Runs policies over resources (config defaults filled in, `given` overriding them), as the audit does. */
export function runPolicies(policies: AuditPolicy[], resources: AuditResource[], given: Record<string, unknown> = {}): Finding[] {
  return policies.flatMap((policy) => {
    const config = policyConfig(policy, given);
    if (policy.kind === "resource") return resources.flatMap((resource) => policy.validateResource(resource, config).map((message) => ({ policy: policy.name, resource, message })));
    return policy.validateStack(resources, config).map(({ resource, message }) => ({ policy: policy.name, resource, message }));
  });
}
