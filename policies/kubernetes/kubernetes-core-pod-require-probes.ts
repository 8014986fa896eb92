import type { ResourcePolicy } from "../core/policy";
import { containerRefs, forEachPod, isLongRunning } from "./pods";

export const kubernetesCorePodRequireProbes: ResourcePolicy = {
  kind: "resource",
  name: "kubernetes-core-pod-require-probes",
  pack: "reliability",
  description:
    "Every long-running container has a liveness and a readiness probe: containers of Deployments, StatefulSets, DaemonSets, ReplicaSets and restartPolicy-Always Pods, " +
    "and native sidecars (init containers with restartPolicy Always). Jobs, CronJobs, ordinary init containers and operator-managed templates (ECK sets its own probes) are exempt. " +
    "Matches kube-linter `no-liveness-probe`, `no-readiness-probe`, Polaris `livenessProbeMissing`, `readinessProbeMissing`.",
  severity: "medium",
  remediation:
    "Add `livenessProbe` (the process serves: `/healthz`) and `readinessProbe` (dependencies are there: `/readyz`) to the container - in a workload spec, its `health.http` " +
    "or `health.tcp`.",
  frameworks: ["kube-linter:no-liveness-probe", "kube-linter:no-readiness-probe", "polaris:livenessProbeMissing", "polaris:readinessProbeMissing"],
  validateResource: (resource) =>
    forEachPod(resource, (target) => {
      if (!isLongRunning(target) || target.operatorManaged) return [];
      return containerRefs(target, ["initContainers", "containers"])
        .filter((c) => c.field === "containers" || c.container.restartPolicy === "Always")
        .flatMap((c) =>
          (["livenessProbe", "readinessProbe"] as const).filter((p) => !c.container[p]).map((p) => `${c.label}: ${c.path}.${p} is not set`),
        );
    }),
};
