import type { ResourcePolicy } from "../core/policy";
import { containerRefs, forEachPod, show } from "./pods";

const ANNOTATION_PREFIX = "container.apparmor.security.beta.kubernetes.io/";
const ALLOWED_TYPES = ["RuntimeDefault", "Localhost"];

export const kubernetesCorePodRestrictApparmorProfile: ResourcePolicy = {
  kind: "resource",
  name: "kubernetes-core-pod-restrict-apparmor-profile",
  pack: "security",
  description:
    "No pod or container disables AppArmor: `appArmorProfile.type` (pod and container securityContext) is RuntimeDefault or Localhost when set, and the beta annotations " +
    "`container.apparmor.security.beta.kubernetes.io/<container>` are `runtime/default` or `localhost/<profile>`. Matches Pod Security Standards baseline `appArmorProfile`.",
  severity: "high",
  remediation:
    "Remove `appArmorProfile: { type: Unconfined }` and `unconfined` AppArmor annotations; leave AppArmor unset (the runtime default applies) or set `type: RuntimeDefault`.",
  frameworks: ["pss:baseline:appArmorProfile"],
  validateResource: (resource) =>
    forEachPod(resource, (target) => {
      const out: string[] = [];
      const metaPath = target.specPath === "spec" ? "metadata" : `${target.specPath.replace(/\.spec$/, "")}.metadata`;
      for (const [key, value] of Object.entries(target.annotations)) {
        if (!key.startsWith(ANNOTATION_PREFIX)) continue;
        if (value !== "runtime/default" && !(typeof value === "string" && value.startsWith("localhost/")))
          out.push(`${metaPath}.annotations["${key}"] is ${show(value)} (must be "runtime/default" or "localhost/<profile>")`);
      }
      const podType = target.pod.securityContext?.appArmorProfile?.type;
      if (podType !== undefined && !ALLOWED_TYPES.includes(podType)) out.push(`${target.specPath}.securityContext.appArmorProfile.type is ${show(podType)} (must be RuntimeDefault or Localhost)`);
      for (const c of containerRefs(target)) {
        const t = c.container.securityContext?.appArmorProfile?.type;
        if (t !== undefined && !ALLOWED_TYPES.includes(t)) out.push(`${c.label}: ${c.path}.securityContext.appArmorProfile.type is ${show(t)} (must be RuntimeDefault or Localhost)`);
      }
      return out;
    }),
};
