import type { ResourcePolicy } from "../core/policy";
import { containerRefs, forEachPod, show } from "./pods";

export const kubernetesCorePodRequireDropAllCapabilities: ResourcePolicy = {
  kind: "resource",
  name: "kubernetes-core-pod-require-drop-all-capabilities",
  pack: "security",
  description:
    "Every container drops ALL capabilities (`securityContext.capabilities.drop` contains \"ALL\") and adds back at most NET_BIND_SERVICE; pods with `spec.os.name: windows` are exempt. " +
    "Matches Pod Security Standards restricted `capabilities_restricted`; covers kube-linter `drop-net-raw-capability` and Polaris `insecureCapabilities`.",
  severity: "medium",
  remediation:
    "Set `securityContext.capabilities: { drop: [\"ALL\"] }` on every container (init and ephemeral included). If the process binds a port below 1024, " +
    "add back only `NET_BIND_SERVICE` - or better, listen on a high port and map it in the Service.",
  frameworks: ["pss:restricted:capabilities_restricted", "kube-linter:drop-net-raw-capability", "polaris:insecureCapabilities"],
  validateResource: (resource) =>
    forEachPod(resource, (target) => {
      if (target.pod.os?.name === "windows") return [];
      return containerRefs(target).flatMap((c) => {
        const caps = c.container.securityContext?.capabilities ?? {};
        const out: string[] = [];
        const drop = (caps.drop as unknown[] | undefined) ?? [];
        if (!drop.includes("ALL")) out.push(`${c.label}: ${c.path}.securityContext.capabilities.drop is ${drop.length ? show(drop) : "not set"} (must contain "ALL")`);
        ((caps.add as unknown[] | undefined) ?? []).forEach((cap, j) => {
          if (cap !== "NET_BIND_SERVICE") out.push(`${c.label}: ${c.path}.securityContext.capabilities.add[${j}] is ${show(cap)} (only "NET_BIND_SERVICE" may be added)`);
        });
        return out;
      });
    }),
};
