import type { ResourcePolicy } from "../core/policy";
import { describe, isKind } from "./pods";

/** Whether a TLS host entry covers a rule host (`*.example.com` covers exactly one more label). */
export function tlsCovers(tlsHost: string, host: string): boolean {
  const a = tlsHost.toLowerCase();
  const b = host.toLowerCase();
  if (a === b) return true;
  if (a.startsWith("*.")) {
    const rest = b.split(".").slice(1).join(".");
    return b.includes(".") && rest === a.slice(2) && !b.startsWith("*.");
  }
  return false;
}

export const kubernetesNetworkingIngressRequireTls: ResourcePolicy = {
  kind: "resource",
  name: "kubernetes-networking-ingress-require-tls",
  pack: "security",
  description:
    "Every Ingress terminates TLS for every host it routes: `spec.tls` is set and each `spec.rules[*].host` is listed in (or matched by a wildcard of) some `spec.tls[*].hosts`; " +
    "a rule without a host needs a TLS entry without hosts. Matches Polaris `tlsSettingsMissing`, CIS EKS Benchmark v1.7.0 5.4.5.",
  severity: "high",
  remediation:
    "Add `spec.tls: [{ hosts: [<every rule host>], secretName? }]` (for the ALB, the hosts and an ACM certificate in `alb.ingress.kubernetes.io/certificate-arn`, " +
    "listening on HTTPS 443 only - `albIngress` does this).",
  frameworks: ["polaris:tlsSettingsMissing", "cis-eks:5.4.5"],
  validateResource: (resource) => {
    if (!isKind(resource, "networking.k8s.io", "Ingress") && !isKind(resource, "extensions", "Ingress")) return [];
    const spec = resource.props?.spec ?? {};
    const tls = (spec.tls as any[] | undefined) ?? [];
    if (tls.length === 0) return [`${describe(resource)}: spec.tls is not set (the Ingress serves plain HTTP)`];
    const tlsHosts = tls.flatMap((t) => (t?.hosts as string[] | undefined) ?? []);
    const catchAll = tls.some((t) => !t?.hosts || t.hosts.length === 0);
    return ((spec.rules as any[] | undefined) ?? []).flatMap((rule, i) => {
      const host = rule?.host;
      if (!host) return catchAll ? [] : [`${describe(resource)}: spec.rules[${i}] has no host and no spec.tls entry covers host-less traffic`];
      return tlsHosts.some((t) => typeof t === "string" && tlsCovers(t, host)) ? [] : [`${describe(resource)}: spec.rules[${i}].host "${host}" is not covered by any spec.tls[*].hosts`];
    });
  },
};
