import type { AuditResource, ResourcePolicy } from "../core/policy";
import { ALLOWED_REGISTRIES_SETTING, setting } from "./config";
import { imageAllowedBy, parseImage } from "./images";
import { containerRefs, forEachPod, show } from "./pods";


export const kubernetesCorePodRestrictImageRegistries: ResourcePolicy = {
  kind: "resource",
  name: "kubernetes-core-pod-restrict-image-registries",
  pack: "security",
  description:
    "Container images come only from approved registries and repositories (config `allowedRegistries`; default: Docker Hub's library/busybox, ollama/ollama, kitware/paraview, " +
    "grafana/*, prom/*, otel/*, jaegertracing/*, docker.elastic.co, and our ECR `*.dkr.ecr.*.amazonaws.com`). Matches CIS EKS Benchmark v1.7.0 5.1.4.",
  severity: "high",
  remediation:
    "Mirror the image into our ECR (scanned on push, immutable tags) and reference it there, or - after review - add its registry/repository to the pack's " +
    "`allowedRegistries` setting.",
  frameworks: ["cis-eks:5.1.4"],
  config: ALLOWED_REGISTRIES_SETTING,
  validateResource(resource: AuditResource, config?: Record<string, any>) {
    const allowedRegistries = setting(ALLOWED_REGISTRIES_SETTING, "allowedRegistries", config);
    return forEachPod(resource, (target) =>
      containerRefs(target).flatMap((c) => {
        const image = c.container.image;
        if (typeof image !== "string" || image === "") return [];
        const ref = parseImage(image);
        if (allowedRegistries.some((entry) => imageAllowedBy(entry, ref))) return [];
        return [`${c.label}: ${c.path}.image ${show(image)} comes from ${ref.registry}/${ref.path}, which is not an allowed registry`];
      }),
    );
  },
};
