import type { AuditResource, StackPolicy } from "../core/policy";
import { minimumReplicas, isReplicated } from "./availability";
import { PROD_SETTING, setting } from "./config";
import { describe } from "./pods";

export const MIN_PROD_REPLICAS = 2;

export const kubernetesAppsDeploymentRequireMinReplicas: StackPolicy = {
  kind: "stack",
  name: "kubernetes-apps-deployment-require-min-replicas",
  pack: "reliability",
  description:
    "In prod (config `prod: true`), every Deployment and StatefulSet runs at least 2 replicas - counting the HorizontalPodAutoscaler's minReplicas when one scales it - " +
    "so a node or zone loss, or a rollout, never takes the service down. Matches Polaris `deploymentMissingReplicas`, `multipleReplicasForDeployment`; " +
    "kube-linter `minimum-three-replicas` (which asks 3).",
  severity: "high",
  remediation: "Set `spec.replicas` to 2 or more (and the autoscaler's `minReplicas` to 2 or more); spread the replicas over zones with topologySpreadConstraints.",
  frameworks: ["polaris:deploymentMissingReplicas", "polaris:multipleReplicasForDeployment", "kube-linter:minimum-three-replicas"],
  config: PROD_SETTING,
  validateStack(resources: AuditResource[], config?: Record<string, any>) {
    if (!setting(PROD_SETTING, "prod", config)) return [];
    return resources.filter(isReplicated).flatMap((r) => {
      const { replicas, from } = minimumReplicas(r, resources);
      return replicas >= MIN_PROD_REPLICAS ? [] : [{ resource: r, message: `${describe(r)}: runs ${replicas} replica(s) at minimum (${from}); prod needs at least ${MIN_PROD_REPLICAS}` }];
    });
  },
};
