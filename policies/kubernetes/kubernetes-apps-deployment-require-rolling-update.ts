import type { ResourcePolicy } from "../core/policy";
import { percent } from "./availability";
import { describe, isKind } from "./pods";

export const kubernetesAppsDeploymentRequireRollingUpdate: ResourcePolicy = {
  kind: "resource",
  name: "kubernetes-apps-deployment-require-rolling-update",
  pack: "reliability",
  description:
    "Deployments update by RollingUpdate (unset means RollingUpdate; Recreate stops every pod first) and keep pods up during it: `rollingUpdate.maxUnavailable` is not 100% " +
    "nor a number reaching the replica count. Matches kube-linter `no-rolling-update-strategy`.",
  severity: "medium",
  remediation: "Set `spec.strategy: { type: RollingUpdate, rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } }` (or a maxUnavailable below the replica count).",
  frameworks: ["kube-linter:no-rolling-update-strategy"],
  validateResource: (resource) => {
    if (!isKind(resource, "apps", "Deployment")) return [];
    const spec = resource.props?.spec ?? {};
    const type = spec.strategy?.type ?? "RollingUpdate";
    if (type !== "RollingUpdate") return [`${describe(resource)}: spec.strategy.type is ${JSON.stringify(type)} (must be "RollingUpdate")`];
    const max = spec.strategy?.rollingUpdate?.maxUnavailable;
    if (max === undefined || max === null) return [];
    const p = percent(max);
    const replicas = spec.replicas ?? 1;
    if ((p !== undefined && p >= 100) || (p === undefined && Number(max) >= replicas))
      return [`${describe(resource)}: spec.strategy.rollingUpdate.maxUnavailable is ${JSON.stringify(max)}, which lets a rollout stop all ${replicas} replica(s)`];
    return [];
  },
};
