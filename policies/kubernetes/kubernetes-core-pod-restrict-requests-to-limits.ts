import type { ResourcePolicy } from "../core/policy";
import { containerRefs, forEachPod, show } from "./pods";
import { parseQuantity } from "./quantity";

export const kubernetesCorePodRestrictRequestsToLimits: ResourcePolicy = {
  kind: "resource",
  name: "kubernetes-core-pod-restrict-requests-to-limits",
  pack: "cost",
  description:
    "No container requests more CPU or memory than its limit (quantities parsed: `500m`, `1.5`, `512Mi`, `2Gi`, `1e3`): the scheduler would reserve capacity the container " +
    "can never use (and the API server rejects it at deploy time). Unparseable quantities are reported too. No direct peer check in kube-linter or Polaris.",
  severity: "medium",
  remediation: "Lower `resources.requests` to at most `resources.limits` (for a JVM, request the memory limit itself).",
  frameworks: [],
  validateResource: (resource) =>
    forEachPod(resource, (target) =>
      containerRefs(target, ["initContainers", "containers"]).flatMap((c) =>
        (["cpu", "memory"] as const).flatMap((r) => {
          const req = c.container.resources?.requests?.[r];
          const lim = c.container.resources?.limits?.[r];
          if (req === undefined || req === null || lim === undefined || lim === null) return [];
          const a = parseQuantity(req);
          const b = parseQuantity(lim);
          if (a === undefined) return [`${c.label}: ${c.path}.resources.requests.${r} ${show(req)} is not a valid quantity`];
          if (b === undefined) return [`${c.label}: ${c.path}.resources.limits.${r} ${show(lim)} is not a valid quantity`];
          return a > b * (1 + 1e-12) ? [`${c.label}: ${c.path}.resources.requests.${r} ${show(req)} is above limits.${r} ${show(lim)}`] : [];
        }),
      ),
    ),
};
