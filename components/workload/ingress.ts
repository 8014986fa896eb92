import type { IIngress } from "kubernetes-models/networking.k8s.io/v1/Ingress";

/**
 * The one public entry: an Ingress the AWS Load Balancer Controller turns into an
 * internet-facing ALB that listens on HTTPS 443 only, with an ACM certificate and a TLS 1.3
 * security policy, routing to pod IPs (target-type ip). Pure.
 */

/** TLS 1.3 with TLS 1.2 fallback (AWS's recommended policy for ALB HTTPS listeners). */
export const ALB_SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";
export const ALB_INGRESS_CLASS = "alb";

export interface AlbHost {
  /** Public DNS name. */
  host: string;
  /** Service in the Ingress's namespace. */
  service: string;
  /** Service port, by number or name. */
  port: number | string;
}

export interface AlbIngressArgs {
  namespace: string;
  hosts: AlbHost[];
  /** ACM certificate covering every host. */
  certificateArn: string;
  /** @default "public" */
  name?: string;
  /** Labels the Ingress carries (`part-of`, `managed-by`, `instance`). @default part-of abode, managed-by pulumi */
  labels?: Record<string, string>;
  /**
   * Share the ALB with other Ingresses of this group. Anyone allowed to create Ingresses can
   * join a group and add rules, so it is off unless asked for. @default none
   */
  groupName?: string;
  /** Client CIDRs allowed to reach the ALB. @default everyone (the controller's default) */
  inboundCidrs?: string[];
}

/** The annotation that limits which client addresses the ALB accepts. */
export const ALB_INBOUND_CIDRS = "alb.ingress.kubernetes.io/inbound-cidrs";

export function albIngress(args: AlbIngressArgs): IIngress {
  if (args.hosts.length === 0) throw new Error("albIngress: at least one host is needed");
  const hosts = args.hosts.map((h) => h.host);
  const twice = hosts.filter((h, i) => hosts.indexOf(h) !== i);
  if (twice.length) throw new Error(`albIngress: host ${twice.join(", ")} is routed twice`);
  const annotations: Record<string, string> = {
    "alb.ingress.kubernetes.io/scheme": "internet-facing",
    "alb.ingress.kubernetes.io/target-type": "ip",
    // HTTPS only: no port-80 listener at all. ssl-redirect makes any HTTP listener that a
    // grouped Ingress might add redirect to 443 instead of serving plaintext.
    "alb.ingress.kubernetes.io/listen-ports": JSON.stringify([{ HTTPS: 443 }]),
    "alb.ingress.kubernetes.io/ssl-redirect": "443",
    "alb.ingress.kubernetes.io/certificate-arn": args.certificateArn,
    "alb.ingress.kubernetes.io/ssl-policy": ALB_SSL_POLICY,
    "alb.ingress.kubernetes.io/backend-protocol": "HTTP",
    // Requests with malformed header names are dropped rather than passed to the services.
    "alb.ingress.kubernetes.io/load-balancer-attributes": "routing.http.drop_invalid_header_fields.enabled=true",
    ...(args.groupName ? { "alb.ingress.kubernetes.io/group.name": args.groupName } : {}),
    ...(args.inboundCidrs?.length ? { [ALB_INBOUND_CIDRS]: args.inboundCidrs.join(",") } : {}),
  };
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "Ingress",
    metadata: {
      name: args.name ?? "public",
      namespace: args.namespace,
      labels: { "app.kubernetes.io/part-of": "abode", "app.kubernetes.io/managed-by": "pulumi", "app.kubernetes.io/component": "ingress", ...args.labels },
      annotations,
    },
    spec: {
      ingressClassName: ALB_INGRESS_CLASS,
      tls: [{ hosts }],
      rules: args.hosts.map((h) => ({
        host: h.host,
        http: {
          paths: [
            {
              path: "/",
              pathType: "Prefix",
              backend: { service: { name: h.service, port: typeof h.port === "number" ? { number: h.port } : { name: h.port } } },
            },
          ],
        },
      })),
    },
  };
}
