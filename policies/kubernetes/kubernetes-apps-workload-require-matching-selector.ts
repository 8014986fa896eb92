import type { ResourcePolicy } from "../core/policy";
import { describe, isKind, podTargets, selectorMatches } from "./pods";

export const kubernetesAppsWorkloadRequireMatchingSelector: ResourcePolicy = {
  kind: "resource",
  name: "kubernetes-apps-workload-require-matching-selector",
  pack: "reliability",
  description:
    "The selector of every Deployment, StatefulSet, DaemonSet and ReplicaSet is set, not empty, and selects its own pod template's labels (else the API rejects it, " +
    "or the controller adopts or orphans the wrong pods). Matches kube-linter `mismatching-selector`.",
  severity: "high",
  remediation: "Make `spec.selector.matchLabels` a subset of `spec.template.metadata.labels` (the `app.kubernetes.io/name` and `instance` labels).",
  frameworks: ["kube-linter:mismatching-selector"],
  validateResource: (resource) => {
    if (!isKind(resource, "apps", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet")) return [];
    const selector = resource.props?.spec?.selector;
    if (!selector) return [`${describe(resource)}: spec.selector is not set`];
    if (!Object.keys(selector.matchLabels ?? {}).length && !(selector.matchExpressions ?? []).length) return [`${describe(resource)}: spec.selector is empty`];
    const labels = podTargets(resource)[0]?.labels ?? {};
    return selectorMatches(selector, labels)
      ? []
      : [`${describe(resource)}: spec.selector ${JSON.stringify(selector)} does not select spec.template.metadata.labels ${JSON.stringify(labels)}`];
  },
};
