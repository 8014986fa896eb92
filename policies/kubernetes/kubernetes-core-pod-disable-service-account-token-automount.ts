import type { AuditResource, StackPolicy } from "../core/policy";
import { describe, isKind, namespaceOf, podTargets } from "./pods";

export const kubernetesCorePodDisableServiceAccountTokenAutomount: StackPolicy = {
  kind: "stack",
  name: "kubernetes-core-pod-disable-service-account-token-automount",
  pack: "security",
  description:
    "Pods get a Kubernetes API token only when they declare they need one: `automountServiceAccountToken` is false on the pod, or false on its ServiceAccount " +
    "(looked up in the same namespace) with the pod not overriding it. A pod that sets it to true explicitly declares the need and passes; a token mounted by default does not. " +
    "Matches CIS EKS Benchmark v1.7.0 4.1.6, Polaris `automountServiceAccountToken`.",
  severity: "medium",
  remediation:
    "Set `automountServiceAccountToken: false` on the ServiceAccount and on the pod spec. A workload that calls the Kubernetes API (e.g. a log shipper reading pod metadata) " +
    "sets `automountServiceAccountToken: true` on its pod spec and binds its ServiceAccount to a least-privilege Role.",
  frameworks: ["cis-eks:4.1.6", "polaris:automountServiceAccountToken"],
  validateStack: (resources) => {
    const accounts = new Map<string, AuditResource>();
    for (const r of resources) if (isKind(r, "core", "ServiceAccount")) accounts.set(`${namespaceOf(r)}/${r.props?.metadata?.name ?? r.name}`, r);
    const out: { resource: AuditResource; message: string }[] = [];
    for (const r of resources)
      for (const target of podTargets(r)) {
        const podValue = target.pod.automountServiceAccountToken;
        if (podValue === false || podValue === true) continue;
        const saName = target.pod.serviceAccountName || target.pod.serviceAccount || "default";
        const sa = accounts.get(`${namespaceOf(r)}/${saName}`);
        const saValue = sa?.props?.automountServiceAccountToken;
        if (saValue === false) continue;
        const why = sa
          ? `ServiceAccount ${namespaceOf(r)}/${saName} has automountServiceAccountToken ${saValue === undefined ? "unset (defaults to true)" : String(saValue)}`
          : `its ServiceAccount ${namespaceOf(r)}/${saName} is not declared here (the default is to mount)`;
        out.push({
          resource: r,
          message: `${describe(r)}: ${target.specPath}.automountServiceAccountToken is not set and ${why}, so a token is mounted without being asked for`,
        });
      }
    return out;
  },
};
