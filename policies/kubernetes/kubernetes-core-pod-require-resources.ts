import type { ResourcePolicy } from "../core/policy";
import { containerRefs, forEachPod } from "./pods";

export const kubernetesCorePodRequireResources: ResourcePolicy = {
  kind: "resource",
  name: "kubernetes-core-pod-require-resources",
  pack: "reliability",
  description:
    "Every container and init container sets CPU and memory requests (what the scheduler reserves) and limits (what it may use). " +
    "Matches kube-linter `unset-cpu-requirements`, `unset-memory-requirements`, Polaris `cpuRequestsMissing`, `cpuLimitsMissing`, `memoryRequestsMissing`, `memoryLimitsMissing`.",
  severity: "medium",
  remediation: "Set `resources.requests` and `resources.limits` for both `cpu` and `memory` (in a workload spec, `resources.cpu`, `memoryMiB` and optional `requests`).",
  frameworks: [
    "kube-linter:unset-cpu-requirements",
    "kube-linter:unset-memory-requirements",
    "polaris:cpuRequestsMissing",
    "polaris:cpuLimitsMissing",
    "polaris:memoryRequestsMissing",
    "polaris:memoryLimitsMissing",
  ],
  validateResource: (resource) =>
    forEachPod(resource, (target) =>
      containerRefs(target, ["initContainers", "containers"]).flatMap((c) =>
        (["requests", "limits"] as const).flatMap((kind) =>
          (["cpu", "memory"] as const)
            .filter((r) => c.container.resources?.[kind]?.[r] === undefined || c.container.resources[kind][r] === null || c.container.resources[kind][r] === "")
            .map((r) => `${c.label}: ${c.path}.resources.${kind}.${r} is not set`),
        ),
      ),
    ),
};
