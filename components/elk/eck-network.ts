import type { INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import type { INetworkPolicyEgressRule } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicyEgressRule";
import type { INetworkPolicyIngressRule } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicyIngressRule";
import { namespaceDefaultDeny } from "../workload/network-policy";
import { PRIVATE_RANGES } from "../workload/spec";
import { ECK_NAMES, ECK_NAMESPACE, eckLabels } from "./eck";
import { ELASTICSEARCH_HTTP_PORT, LOGSTASH_BEATS_PORT } from "./elastic-stack";

/** Elasticsearch's node-to-node transport port. */
const TRANSPORT_PORT = 9300;
const NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

export interface LoggingNetworkArgs {
  /** The ECK operator's namespace: it manages Elasticsearch over its HTTP API. */
  operatorNamespace: string;
  /** Namespaces whose pods query or write Elasticsearch (Grafana, Jaeger). */
  clientNamespaces: string[];
  /** The VPC's CIDR: the private EKS API endpoint Filebeat asks for pod metadata lives there. */
  vpcCidr: string;
  /** The setup Job's name (its pods' `app.kubernetes.io/name`). @default "elasticsearch-setup" */
  setupJobName?: string;
  /** @default "logging" */
  namespace?: string;
}

/**
 * The `logging` namespace's NetworkPolicies: deny everything, then allow exactly the paths the
 * ELK pods use — Filebeat → Logstash → Elasticsearch, Kibana and the setup Job → Elasticsearch,
 * node to node, the ECK operator and the client namespaces → Elasticsearch, Elasticsearch → S3
 * (snapshots, STS for IRSA; public addresses only), Filebeat → the API server, everyone → DNS.
 * Pure.
 */
export function loggingNetworkPolicies(args: LoggingNetworkArgs): INetworkPolicy[] {
  const namespace = args.namespace ?? ECK_NAMESPACE;
  const pods = (name: string) => ({ podSelector: { matchLabels: { "app.kubernetes.io/name": name } } });
  const tcp = (port: number) => ({ protocol: "TCP" as const, port });
  const inNamespace = (ns: string) => ({ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: ns } } });
  const policy = (name: string, podName: string | undefined, ingress: INetworkPolicyIngressRule[], egress: INetworkPolicyEgressRule[]): INetworkPolicy => ({
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name, namespace, labels: eckLabels(name) },
    spec: {
      podSelector: podName ? { matchLabels: { "app.kubernetes.io/name": podName } } : {},
      policyTypes: [...(ingress.length ? ["Ingress" as const] : []), ...(egress.length ? ["Egress" as const] : [])],
      ...(ingress.length ? { ingress } : {}),
      ...(egress.length ? { egress } : {}),
    },
  });
  const toElasticsearch: INetworkPolicyEgressRule = { to: [pods(ECK_NAMES.elasticsearch)], ports: [tcp(ELASTICSEARCH_HTTP_PORT)] };
  const setupJob = args.setupJobName ?? "elasticsearch-setup";

  return [
    namespaceDefaultDeny(namespace),
    policy("logging-dns", undefined, [], [
      {
        to: [{ ...inNamespace("kube-system"), podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
        ports: [
          { protocol: "UDP", port: 53 },
          { protocol: "TCP", port: 53 },
        ],
      },
    ]),
    policy(
      "elasticsearch",
      ECK_NAMES.elasticsearch,
      [
        {
          from: [pods(ECK_NAMES.kibana), pods(ECK_NAMES.logstash), pods(setupJob), inNamespace(args.operatorNamespace), ...args.clientNamespaces.map(inNamespace)],
          ports: [tcp(ELASTICSEARCH_HTTP_PORT)],
        },
        { from: [pods(ECK_NAMES.elasticsearch)], ports: [tcp(ELASTICSEARCH_HTTP_PORT), tcp(TRANSPORT_PORT)] },
      ],
      [
        { to: [pods(ECK_NAMES.elasticsearch)], ports: [tcp(ELASTICSEARCH_HTTP_PORT), tcp(TRANSPORT_PORT)] },
        { to: [{ ipBlock: { cidr: "0.0.0.0/0", except: [...PRIVATE_RANGES] } }], ports: [tcp(443)] },
      ],
    ),
    policy("kibana", ECK_NAMES.kibana, [], [toElasticsearch]),
    policy("logstash", ECK_NAMES.logstash, [{ from: [pods(ECK_NAMES.filebeat)], ports: [tcp(LOGSTASH_BEATS_PORT)] }], [toElasticsearch]),
    policy("filebeat", ECK_NAMES.filebeat, [], [
      { to: [pods(ECK_NAMES.logstash)], ports: [tcp(LOGSTASH_BEATS_PORT)] },
      { to: [{ ipBlock: { cidr: args.vpcCidr } }], ports: [tcp(443)] },
    ]),
    policy(setupJob, setupJob, [], [toElasticsearch]),
  ];
}
