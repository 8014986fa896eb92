import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { sampleSpec } from "./fixtures";
import { podTemplateOf, renderKubernetes } from "./kubernetes";
import { namespaceDefaultDeny, networkPeersFor, workloadNetworkPolicy, type WorkloadNetworkOptions } from "./network-policy";
import type { WorkloadSpec } from "./spec";

const options: WorkloadNetworkOptions = {
  dependents: ["frontend", "indexer"],
  dependencyPorts: { database: [{ name: "pg", containerPort: 5432 }] },
  ingressFromAlb: false,
  namespace: "abode",
  observabilityNamespace: "observability",
};

describe("namespaceDefaultDeny", () => {
  const policy = namespaceDefaultDeny("abode");

  it("selects every pod and allows nothing in or out", () => {
    expect(() => new NetworkPolicy(policy).validate()).not.toThrow();
    expect(policy.metadata!.namespace).toBe("abode");
    expect(policy.spec).toEqual({ podSelector: {}, policyTypes: ["Ingress", "Egress"] });
  });
});

describe("workloadNetworkPolicy", () => {
  const spec = sampleSpec();
  const policy = workloadNetworkPolicy(spec, options);

  it("validates and selects the workload's own pods", () => {
    expect(() => new NetworkPolicy(policy).validate()).not.toThrow();
    const selector = policy.spec!.podSelector.matchLabels!;
    const podLabels = podTemplateOf(renderKubernetes(spec, { namespace: "abode", replicas: 2, labels: {} })).metadata!.labels!;
    expect(Object.entries(selector).every(([k, v]) => podLabels[k] === v)).toBe(true);
    expect(policy.spec!.policyTypes).toEqual(["Ingress", "Egress"]);
    expect(policy.metadata).toMatchObject({ name: "search", namespace: "abode", labels: { "app.kubernetes.io/name": "search", "app.kubernetes.io/part-of": "abode" } });
  });

  it("lets in exactly its dependents (to its ports) and Prometheus (to the metrics port)", () => {
    expect(policy.spec!.ingress).toEqual([
      {
        from: [{ podSelector: { matchLabels: { "app.kubernetes.io/name": "frontend" } } }, { podSelector: { matchLabels: { "app.kubernetes.io/name": "indexer" } } }],
        ports: [
          { protocol: "TCP", port: 8080 },
          { protocol: "TCP", port: 9000 },
        ],
      },
      {
        from: [
          {
            namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "observability" } },
            podSelector: { matchLabels: { "app.kubernetes.io/name": "prometheus" } },
          },
        ],
        ports: [{ protocol: "TCP", port: 8080 }],
      },
    ]);
  });

  it("lets out exactly its dependencies' ports, OTLP to the collector, and DNS", () => {
    expect(policy.spec!.egress).toEqual([
      { to: [{ podSelector: { matchLabels: { "app.kubernetes.io/name": "database" } } }], ports: [{ protocol: "TCP", port: 5432 }] },
      {
        to: [
          {
            namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "observability" } },
            podSelector: { matchLabels: { "app.kubernetes.io/name": "opentelemetry-collector" } },
          },
        ],
        ports: [
          { protocol: "TCP", port: 4317 },
          { protocol: "TCP", port: 4318 },
        ],
      },
      {
        to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } }, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
        ports: [
          { protocol: "UDP", port: 53 },
          { protocol: "TCP", port: 53 },
        ],
      },
    ]);
  });

  it("lets the ALB in from the VPC to the HTTP port only when public", () => {
    const pub = workloadNetworkPolicy(spec, { ...options, ingressFromAlb: true, vpcCidr: "10.40.0.0/16" });
    expect(pub.spec!.ingress!.at(-1)).toEqual({ from: [{ ipBlock: { cidr: "10.40.0.0/16" } }], ports: [{ protocol: "TCP", port: 8080 }] });
    expect(pub.spec!.ingress).toHaveLength(3);
    const admin = workloadNetworkPolicy(spec, { ...options, ingressFromAlb: true, vpcCidr: "10.40.0.0/16", albPort: "admin" });
    expect(admin.spec!.ingress!.at(-1)!.ports).toEqual([{ protocol: "TCP", port: 9000 }]);
    expect(policy.spec!.ingress!.some((r) => r.from!.some((p) => p.ipBlock))).toBe(false);
    expect(() => workloadNetworkPolicy(spec, { ...options, ingressFromAlb: true })).toThrow(/VPC CIDR/);
  });

  it("denies all ingress to a job with no ports and no metrics, and no dependents", () => {
    const job: WorkloadSpec = { ...spec, name: "setup", kind: "job", ports: [], metrics: undefined, dependsOn: [] };
    const p = workloadNetworkPolicy(job, { ...options, dependents: [] });
    expect(() => new NetworkPolicy(p).validate()).not.toThrow();
    expect(p.spec!.ingress).toEqual([]);
    expect(p.spec!.egress).toHaveLength(2); // OTLP and DNS
  });

  it("refuses a dependency whose ports are unknown, rather than opening every port", () => {
    expect(() => workloadNetworkPolicy(spec, { ...options, dependencyPorts: {} })).toThrow(/no ports known for its dependencies database/);
  });

  it("opens external egress only with a documented reason", () => {
    const external = { cidr: "0.0.0.0/0", except: ["10.0.0.0/8"], ports: [443], reason: "pulls models from registry.ollama.ai" };
    const p = workloadNetworkPolicy(spec, { ...options, externalEgress: [external] });
    expect(p.spec!.egress!.at(-1)).toEqual({ to: [{ ipBlock: { cidr: "0.0.0.0/0", except: ["10.0.0.0/8"] } }], ports: [{ protocol: "TCP", port: 443 }] });
    expect(() => workloadNetworkPolicy(spec, { ...options, externalEgress: [{ ...external, reason: "x" }] })).toThrow(/documented reason/);
  });

  it("can leave out OTLP for workloads that send no traces", () => {
    const p = workloadNetworkPolicy(spec, { ...options, otlpEgress: false });
    expect(p.spec!.egress!.flatMap((r) => r.ports!.map((port) => port.port))).toEqual([5432, 53, 53]);
  });
});

describe("networkPeersFor", () => {
  const api = sampleSpec({ name: "api", dependsOn: ["db", "search"] });
  const db = sampleSpec({ name: "db", dependsOn: [], ports: [{ name: "pg", containerPort: 5432 }] });
  const search = sampleSpec({ name: "search", dependsOn: ["db"] });
  const all = [api, db, search];

  it("finds dependents and the ports of dependencies", () => {
    expect(networkPeersFor(db, all)).toEqual({ dependents: ["api", "search"], dependencyPorts: {} });
    expect(networkPeersFor(api, all)).toEqual({ dependents: [], dependencyPorts: { db: db.ports, search: search.ports } });
  });

  it("takes ports of dependencies that are not specs from `external`, and refuses unknown ones", () => {
    const lone = sampleSpec({ name: "lone", dependsOn: ["elasticsearch"] });
    expect(() => networkPeersFor(lone, [lone])).toThrow(/depends on elasticsearch/);
    const es = [{ name: "https", containerPort: 9200 }];
    expect(networkPeersFor(lone, [lone], { elasticsearch: es }).dependencyPorts).toEqual({ elasticsearch: es });
  });
});
