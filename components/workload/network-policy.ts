import type { INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import type { INetworkPolicyEgressRule } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicyEgressRule";
import type { INetworkPolicyIngressRule } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicyIngressRule";
import type { INetworkPolicyPort } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicyPort";
import type { ExternalEgress, PortSpec, WorkloadSpec } from "./spec";

export type { ExternalEgress } from "./spec";

/**
 * NetworkPolicies, pure. Every namespace starts from {@link namespaceDefaultDeny}; each
 * workload then gets one policy that opens exactly its declared paths.
 */

/** Pods of kube-prometheus-stack's Prometheus (set by prometheus-operator on the pods it creates). */
export const DEFAULT_PROMETHEUS_POD_LABELS: Readonly<Record<string, string>> = { "app.kubernetes.io/name": "prometheus" };
/** Pods of the opentelemetry-collector chart (its selector labels, `nameOverride` unset). */
export const DEFAULT_OTEL_COLLECTOR_POD_LABELS: Readonly<Record<string, string>> = { "app.kubernetes.io/name": "opentelemetry-collector" };
/** OTLP gRPC and HTTP. */
export const OTLP_PORTS = [4317, 4318] as const;
/** Label the API server sets on every namespace (Kubernetes ≥ 1.22). */
const NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

/** Denies all ingress and egress to every pod of the namespace; workload policies add what is allowed. */
export function namespaceDefaultDeny(namespace: string): INetworkPolicy {
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name: "default-deny-all", namespace, labels: { "app.kubernetes.io/part-of": "abode", "app.kubernetes.io/managed-by": "pulumi" } },
    spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
  };
}

/** The EKS API endpoint, for a workload that holds a Kubernetes API token: its network interfaces are in the VPC. */
export function kubernetesApiEgress(vpcCidr: string): ExternalEgress {
  return { cidr: vpcCidr, ports: [443], reason: "calls the Kubernetes API (the EKS endpoint's network interfaces are in the VPC)" };
}

export interface WorkloadNetworkOptions {
  /** Workloads (in the same namespace) that call this one; they may reach its ports. */
  dependents: string[];
  /**
   * The ports of each workload in `spec.dependsOn` (same namespace). Egress to a dependency is
   * allowed on these ports only; a dependency missing here is an error, never "any port".
   */
  dependencyPorts: Record<string, PortSpec[]>;
  /** A public ALB Ingress routes to this workload (target-type ip: from the VPC's addresses). */
  ingressFromAlb: boolean;
  namespace: string;
  /** Where Prometheus and the OTel collector run. */
  observabilityNamespace: string;
  /** The VPC's CIDR; required with `ingressFromAlb`. @default none */
  vpcCidr?: string;
  /** Name of the port the ALB sends traffic to. @default "http", else the first port */
  albPort?: string;
  /** Traces leave through the OTel collector. @default true */
  otlpEgress?: boolean;
  /** @default {@link DEFAULT_PROMETHEUS_POD_LABELS} */
  prometheusPodLabels?: Record<string, string>;
  /** @default {@link DEFAULT_OTEL_COLLECTOR_POD_LABELS} */
  otelCollectorPodLabels?: Record<string, string>;
  /** @default [] */
  externalEgress?: ExternalEgress[];
  /** Labels the policy carries besides its name and component (`part-of`, `managed-by`, `instance`). @default part-of abode, managed-by pulumi */
  labels?: Record<string, string>;
}

/**
 * The one NetworkPolicy of a workload. Ingress: from its dependents' pods to its ports, from
 * Prometheus (observability namespace) to its metrics port, from the ALB (the VPC CIDR) to its
 * HTTP port when public. Egress: to its dependencies' ports, to the OTel collector's OTLP
 * ports, to cluster DNS, and to any documented external destination. Nothing else.
 */
export function workloadNetworkPolicy(spec: WorkloadSpec, options: WorkloadNetworkOptions): INetworkPolicy {
  const byName = (name: string) => ({ "app.kubernetes.io/name": name });
  const tcp = (port: number | string): INetworkPolicyPort => ({ protocol: "TCP", port });
  const portsOf = (ports: PortSpec[]): INetworkPolicyPort[] => ports.map((p) => ({ protocol: p.protocol === "udp" ? "UDP" : "TCP", port: p.containerPort }));
  const inObservability = { namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: options.observabilityNamespace } } };

  const ingress: INetworkPolicyIngressRule[] = [];
  const dependents = [...new Set(options.dependents)].sort();
  if (dependents.length && spec.ports.length) {
    ingress.push({ from: dependents.map((name) => ({ podSelector: { matchLabels: byName(name) } })), ports: portsOf(spec.ports) });
  }
  if (spec.metrics) {
    const port = spec.ports.find((p) => p.name === spec.metrics!.port)!;
    ingress.push({
      from: [{ ...inObservability, podSelector: { matchLabels: { ...(options.prometheusPodLabels ?? DEFAULT_PROMETHEUS_POD_LABELS) } } }],
      ports: [tcp(port.containerPort)],
    });
  }
  if (options.ingressFromAlb) {
    if (!options.vpcCidr) throw new Error(`workload ${spec.name}: ingressFromAlb needs the VPC CIDR (the ALB reaches pods from its addresses)`);
    const port = options.albPort ? spec.ports.find((p) => p.name === options.albPort) : (spec.ports.find((p) => p.name === "http") ?? spec.ports[0]);
    if (!port) throw new Error(`workload ${spec.name}: has no port ${options.albPort ?? "http"} for the ALB`);
    ingress.push({ from: [{ ipBlock: { cidr: options.vpcCidr } }], ports: [tcp(port.containerPort)] });
  }

  const egress: INetworkPolicyEgressRule[] = [];
  const missing = spec.dependsOn.filter((name) => !options.dependencyPorts[name]);
  if (missing.length) throw new Error(`workload ${spec.name}: no ports known for its dependencies ${missing.join(", ")}`);
  for (const name of [...new Set(spec.dependsOn)].sort()) {
    const ports = options.dependencyPorts[name]!;
    if (ports.length) egress.push({ to: [{ podSelector: { matchLabels: byName(name) } }], ports: portsOf(ports) });
  }
  if (options.otlpEgress ?? true) {
    egress.push({
      to: [{ ...inObservability, podSelector: { matchLabels: { ...(options.otelCollectorPodLabels ?? DEFAULT_OTEL_COLLECTOR_POD_LABELS) } } }],
      ports: OTLP_PORTS.map((p) => tcp(p)),
    });
  }
  egress.push({
    to: [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: "kube-system" } }, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
    ports: [
      { protocol: "UDP", port: 53 },
      { protocol: "TCP", port: 53 },
    ],
  });
  for (const external of options.externalEgress ?? []) {
    if (external.reason.trim().length < 20) throw new Error(`workload ${spec.name}: egress to ${external.cidr} needs a documented reason`);
    egress.push({
      to: [{ ipBlock: { cidr: external.cidr, ...(external.except?.length ? { except: external.except } : {}) } }],
      ports: external.ports.map((p) => tcp(p)),
    });
  }

  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: {
      name: spec.name,
      namespace: options.namespace,
      labels: {
        "app.kubernetes.io/part-of": "abode",
        "app.kubernetes.io/managed-by": "pulumi",
        ...options.labels,
        "app.kubernetes.io/name": spec.name,
        "app.kubernetes.io/component": spec.component,
        "app.kubernetes.io/version": spec.version,
      },
    },
    spec: { podSelector: { matchLabels: byName(spec.name) }, policyTypes: ["Ingress", "Egress"], ingress, egress },
  };
}

/**
 * The peers of one workload among the stack's specs: who depends on it, and the ports of what it
 * depends on. `external` gives the ports of dependencies that are not specs here (e.g. an
 * operator-managed data store in the same namespace).
 */
export function networkPeersFor(
  spec: WorkloadSpec,
  all: WorkloadSpec[],
  external: Record<string, PortSpec[]> = {},
): Pick<WorkloadNetworkOptions, "dependents" | "dependencyPorts"> {
  const byName = new Map(all.map((s) => [s.name, s]));
  const dependencyPorts: Record<string, PortSpec[]> = {};
  for (const name of spec.dependsOn) {
    const ports = byName.get(name)?.ports ?? external[name];
    if (!ports) throw new Error(`workload ${spec.name}: depends on ${name}, which is neither a workload here nor listed as external`);
    dependencyPorts[name] = ports;
  }
  return { dependents: all.filter((s) => s.dependsOn.includes(spec.name)).map((s) => s.name), dependencyPorts };
}
