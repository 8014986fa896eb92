import type { ResourcePolicy } from "../core/policy";
import { describe, isKind } from "./pods";

export const kubernetesCoreServiceDisallowNodePort: ResourcePolicy = {
  kind: "resource",
  name: "kubernetes-core-service-disallow-node-port",
  pack: "security",
  description:
    "No Service of type NodePort: it opens the port on every node's address, around the load balancer, its TLS and its security groups. " +
    "Matches kube-linter `exposed-services` (its NodePort part).",
  severity: "medium",
  remediation: "Use a ClusterIP Service behind the ALB Ingress (target-type ip) for public traffic, or a ClusterIP Service for in-cluster callers.",
  frameworks: ["kube-linter:exposed-services"],
  validateResource: (resource) =>
    isKind(resource, "core", "Service") && resource.props?.spec?.type === "NodePort" ? [`${describe(resource)}: spec.type is "NodePort" (use ClusterIP behind an Ingress)`] : [],
};
