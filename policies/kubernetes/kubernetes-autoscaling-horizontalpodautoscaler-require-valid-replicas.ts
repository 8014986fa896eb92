import type { ResourcePolicy } from "../core/policy";
import { describe, isKind } from "./pods";

export const kubernetesAutoscalingHorizontalpodautoscalerRequireValidReplicas: ResourcePolicy = {
  kind: "resource",
  name: "kubernetes-autoscaling-horizontalpodautoscaler-require-valid-replicas",
  pack: "reliability",
  description:
    "Every HorizontalPodAutoscaler has minReplicas ≤ maxReplicas and minReplicas ≥ 2 (unset minReplicas means 1), so scaling down never leaves a single replica. " +
    "Matches kube-linter `hpa-minimum-three-replicas` (which asks 3).",
  severity: "medium",
  remediation: "Set `spec.minReplicas` to 2 or more and `spec.maxReplicas` at least that.",
  frameworks: ["kube-linter:hpa-minimum-three-replicas"],
  validateResource: (resource) => {
    if (!isKind(resource, "autoscaling", "HorizontalPodAutoscaler")) return [];
    const spec = resource.props?.spec ?? {};
    const min = spec.minReplicas === undefined || spec.minReplicas === null ? 1 : Number(spec.minReplicas);
    const max = Number(spec.maxReplicas);
    const out: string[] = [];
    if (min < 2) out.push(`${describe(resource)}: spec.minReplicas is ${spec.minReplicas ?? "not set (defaults to 1)"} (must be at least 2)`);
    if (Number.isFinite(max) && min > max) out.push(`${describe(resource)}: spec.minReplicas ${min} is above spec.maxReplicas ${max}`);
    if (!Number.isFinite(max)) out.push(`${describe(resource)}: spec.maxReplicas is not set`);
    return out;
  },
};
