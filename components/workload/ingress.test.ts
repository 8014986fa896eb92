import { Ingress } from "kubernetes-models/networking.k8s.io/v1/Ingress";
import { albIngress, type AlbIngressArgs } from "./ingress";

const args: AlbIngressArgs = {
  namespace: "abode",
  certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-1111-2222-3333-444455556666",
  hosts: [
    { host: "lighting.abode.example", service: "ai-lighting", port: 8005 },
    { host: "ifc.abode.example", service: "ifc", port: "http" },
  ],
};

describe("albIngress", () => {
  const ingress = albIngress(args);
  const annotations = ingress.metadata!.annotations!;

  it("validates against the Kubernetes schema", () => {
    expect(() => new Ingress(ingress).validate()).not.toThrow();
  });

  it("is one internet-facing ALB routing to pod IPs", () => {
    expect(ingress.spec!.ingressClassName).toBe("alb");
    expect(annotations["alb.ingress.kubernetes.io/scheme"]).toBe("internet-facing");
    expect(annotations["alb.ingress.kubernetes.io/target-type"]).toBe("ip");
    expect(ingress.metadata).toMatchObject({ name: "public", namespace: "abode", labels: { "app.kubernetes.io/part-of": "abode", "app.kubernetes.io/managed-by": "pulumi" } });
  });

  it("listens on HTTPS 443 only, with the certificate and a TLS 1.3 policy", () => {
    expect(JSON.parse(annotations["alb.ingress.kubernetes.io/listen-ports"]!)).toEqual([{ HTTPS: 443 }]);
    expect(annotations["alb.ingress.kubernetes.io/certificate-arn"]).toBe(args.certificateArn);
    expect(annotations["alb.ingress.kubernetes.io/ssl-policy"]).toBe("ELBSecurityPolicy-TLS13-1-2-2021-06");
    expect(annotations["alb.ingress.kubernetes.io/ssl-redirect"]).toBe("443");
    expect(Object.values(annotations).join(" ")).not.toMatch(/"HTTP"\s*:/);
    expect(ingress.spec!.tls).toEqual([{ hosts: ["lighting.abode.example", "ifc.abode.example"] }]);
  });

  it("routes each host to its Service port", () => {
    expect(ingress.spec!.rules).toEqual([
      { host: "lighting.abode.example", http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "ai-lighting", port: { number: 8005 } } } }] } },
      { host: "ifc.abode.example", http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "ifc", port: { name: "http" } } } }] } },
    ]);
  });

  it("joins a group and restricts clients only when asked", () => {
    expect(annotations["alb.ingress.kubernetes.io/group.name"]).toBeUndefined();
    expect(annotations["alb.ingress.kubernetes.io/inbound-cidrs"]).toBeUndefined();
    const grouped = albIngress({ ...args, groupName: "abode", inboundCidrs: ["203.0.113.0/24", "198.51.100.0/24"] }).metadata!.annotations!;
    expect(grouped["alb.ingress.kubernetes.io/group.name"]).toBe("abode");
    expect(grouped["alb.ingress.kubernetes.io/inbound-cidrs"]).toBe("203.0.113.0/24,198.51.100.0/24");
  });

  it("refuses no hosts and a host routed twice", () => {
    expect(() => albIngress({ ...args, hosts: [] })).toThrow(/at least one host/);
    expect(() => albIngress({ ...args, hosts: [args.hosts[0]!, { ...args.hosts[0]!, service: "other" }] })).toThrow(/routed twice/);
  });
});
