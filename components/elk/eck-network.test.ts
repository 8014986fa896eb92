import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { loggingNetworkPolicies } from "./eck-network";

const policies = loggingNetworkPolicies({ operatorNamespace: "elastic-system", clientNamespaces: ["observability"], vpcCidr: "10.40.0.0/16" });
const byName = (name: string) => policies.find((p) => p.metadata!.name === name)!;

describe("loggingNetworkPolicies", () => {
  it("validates against the Kubernetes schema", () => {
    for (const p of policies) expect(() => new NetworkPolicy(p).validate()).not.toThrow();
  });

  it("denies everything in the namespace first, then lets every pod resolve names", () => {
    expect(byName("default-deny-all").spec).toEqual({ podSelector: {}, policyTypes: ["Ingress", "Egress"] });
    expect(byName("logging-dns").spec!.egress![0]!.ports).toEqual([
      { protocol: "UDP", port: 53 },
      { protocol: "TCP", port: 53 },
    ]);
  });

  it("lets into Elasticsearch's HTTP port only Kibana, Logstash, the setup Job, the operator and the client namespaces", () => {
    const http = byName("elasticsearch").spec!.ingress![0]!;
    expect(http.ports).toEqual([{ protocol: "TCP", port: 9200 }]);
    expect(http.from).toEqual([
      { podSelector: { matchLabels: { "app.kubernetes.io/name": "kibana" } } },
      { podSelector: { matchLabels: { "app.kubernetes.io/name": "logstash" } } },
      { podSelector: { matchLabels: { "app.kubernetes.io/name": "elasticsearch-setup" } } },
      { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "elastic-system" } } },
      { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "observability" } } },
    ]);
  });

  it("lets Elasticsearch out only to its peers and to public HTTPS (S3, STS), never to private ranges", () => {
    const [peers, https] = byName("elasticsearch").spec!.egress!;
    expect(peers!.ports).toEqual([{ protocol: "TCP", port: 9200 }, { protocol: "TCP", port: 9300 }]);
    expect(https).toEqual({ to: [{ ipBlock: { cidr: "0.0.0.0/0", except: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"] } }], ports: [{ protocol: "TCP", port: 443 }] });
  });

  it("chains Filebeat → Logstash → Elasticsearch, and Filebeat to the private API endpoint only", () => {
    expect(byName("logstash").spec!.ingress).toEqual([{ from: [{ podSelector: { matchLabels: { "app.kubernetes.io/name": "filebeat" } } }], ports: [{ protocol: "TCP", port: 5000 }] }]);
    expect(byName("logstash").spec!.egress![0]!.to).toEqual([{ podSelector: { matchLabels: { "app.kubernetes.io/name": "elasticsearch" } } }]);
    expect(byName("filebeat").spec!.egress).toContainEqual({ to: [{ ipBlock: { cidr: "10.40.0.0/16" } }], ports: [{ protocol: "TCP", port: 443 }] });
    expect(byName("filebeat").spec!.ingress).toBeUndefined();
  });
});
