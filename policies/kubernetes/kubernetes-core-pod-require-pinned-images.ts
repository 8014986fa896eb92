import type { AuditResource, ResourcePolicy } from "../core/policy";
import { IMMUTABLE_REGISTRIES_SETTING, setting } from "./config";
import { hasValidDigest, parseImage, registryMatches } from "./images";
import { containerRefs, forEachPod, show } from "./pods";


export const kubernetesCorePodRequirePinnedImages: ResourcePolicy = {
  kind: "resource",
  name: "kubernetes-core-pod-require-pinned-images",
  pack: "security",
  description:
    "Every container image is pinned: by digest (`@sha256:...`), or by a tag from a registry with immutable tags (config `immutableRegistries`, default our ECR " +
    "`*.dkr.ecr.*.amazonaws.com`). No image without a tag, none tagged `latest`, no mutable tag elsewhere. Matches kube-linter `latest-tag`, Polaris `tagNotSpecified`.",
  severity: "high",
  remediation:
    "Reference the image by digest (`repo:tag@sha256:<digest>`; `docker buildx imagetools inspect repo:tag` prints it) or push it to our ECR, whose tags are immutable, " +
    "and deploy that tag. Never deploy `latest` or an untagged image.",
  frameworks: ["kube-linter:latest-tag", "polaris:tagNotSpecified"],
  config: IMMUTABLE_REGISTRIES_SETTING,
  validateResource(resource: AuditResource, config?: Record<string, any>) {
    const immutableRegistries = setting(IMMUTABLE_REGISTRIES_SETTING, "immutableRegistries", config);
    return forEachPod(resource, (target) =>
      containerRefs(target).flatMap((c) => {
        const image = c.container.image;
        if (image === undefined || image === null || image === "") {
          // An operator (ECK) fills in its own pinned image for the version the resource names.
          return target.operatorManaged ? [] : [`${c.label}: ${c.path}.image is not set`];
        }
        if (typeof image !== "string") return [];
        const ref = parseImage(image);
        if (hasValidDigest(ref)) return [];
        if (ref.digest !== undefined) return [`${c.label}: ${c.path}.image ${show(image)} has a malformed digest`];
        if (ref.tag === undefined) return [`${c.label}: ${c.path}.image ${show(image)} has no tag or digest (resolves to "latest")`];
        if (ref.tag === "latest") return [`${c.label}: ${c.path}.image ${show(image)} uses the "latest" tag`];
        if (immutableRegistries.some((p) => registryMatches(p, ref.registry))) return [];
        return [`${c.label}: ${c.path}.image ${show(image)} is pinned by tag only on ${ref.registry}, whose tags can be re-pushed (add a digest)`];
      }),
    );
  },
};
