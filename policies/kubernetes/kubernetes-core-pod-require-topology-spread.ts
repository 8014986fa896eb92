import type { AuditResource, ResourcePolicy } from "../core/policy";
import { isReplicated } from "./availability";
import { PROD_SETTING, setting } from "./config";
import { podTargets, selectorMatches } from "./pods";


export const kubernetesCorePodRequireTopologySpread: ResourcePolicy = {
  kind: "resource",
  name: "kubernetes-core-pod-require-topology-spread",
  pack: "reliability",
  description:
    "In prod (config `prod: true`), every Deployment and StatefulSet spreads its pods with a `topologySpreadConstraints` entry whose labelSelector selects its own pods " +
    "(zones, and hosts), so one zone or node loss cannot take every replica. Matches Polaris `topologySpreadConstraint`.",
  severity: "medium",
  remediation:
    "Add `topologySpreadConstraints` to the pod template: `{ maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule, labelSelector: { matchLabels: <selector> } }` " +
    "and the same with `kubernetes.io/hostname` / ScheduleAnyway.",
  frameworks: ["polaris:topologySpreadConstraint"],
  config: PROD_SETTING,
  validateResource(resource: AuditResource, config?: Record<string, any>) {
    if (!setting(PROD_SETTING, "prod", config) || !isReplicated(resource)) return [];
    return podTargets(resource).flatMap((target) => {
      const constraints = (target.pod.topologySpreadConstraints as any[] | undefined) ?? [];
      if (constraints.length === 0) return [`${target.specPath}.topologySpreadConstraints is not set`];
      return constraints.some((c) => selectorMatches(c?.labelSelector, target.labels))
        ? []
        : [`${target.specPath}.topologySpreadConstraints: no constraint's labelSelector selects the workload's own pods (labels ${JSON.stringify(target.labels)})`];
    });
  },
};
