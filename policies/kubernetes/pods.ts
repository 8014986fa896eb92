import { podSpecOf } from "../core/kubernetes";
import type { AuditResource } from "../core/policy";

/**
 * Helpers shared by the Kubernetes policies: where the pods of a resource are described (core
 * workloads and the pod templates of ECK custom resources), every container with its exact field
 * path, label selectors, and resource kinds.
 */

/** `kubernetes:apps/v1:Deployment` → { group: "apps", version: "v1", kind: "Deployment" }; core as group "core". */
export function parseType(type: string): { group: string; version: string; kind: string } | undefined {
  const m = /^kubernetes:([^:]+):([A-Za-z0-9]+)$/.exec(type);
  if (!m) return undefined;
  const gv = m[1]!;
  const slash = gv.lastIndexOf("/");
  return { group: slash >= 0 ? gv.slice(0, slash) : "core", version: slash >= 0 ? gv.slice(slash + 1) : gv, kind: m[2]! };
}

export function kindOf(resource: AuditResource): string | undefined {
  return parseType(resource.type)?.kind;
}

/** Whether the resource is a Kubernetes object of one of `kinds` in `group` (any version). */
export function isKind(resource: AuditResource, group: string, ...kinds: string[]): boolean {
  const t = parseType(resource.type);
  return !!t && t.group === group && kinds.includes(t.kind);
}

export function namespaceOf(resource: AuditResource): string {
  const ns = resource.props?.metadata?.namespace;
  return typeof ns === "string" && ns ? ns : "default";
}

/** `Deployment logging/kibana`: how a message names the object. */
export function describe(resource: AuditResource): string {
  const kind = kindOf(resource) ?? resource.type;
  const name = resource.props?.metadata?.name ?? resource.name;
  const ns = resource.props?.metadata?.namespace;
  return `${kind} ${ns ? `${ns}/` : ""}${name}`;
}

/** Where the pod template sits in each core kind that runs pods (the pod itself for a Pod). */
const CORE_TEMPLATE_PATHS: Record<string, string[]> = {
  "kubernetes:core/v1:Pod": [],
  "kubernetes:apps/v1:Deployment": ["spec", "template"],
  "kubernetes:apps/v1:StatefulSet": ["spec", "template"],
  "kubernetes:apps/v1:DaemonSet": ["spec", "template"],
  "kubernetes:apps/v1:ReplicaSet": ["spec", "template"],
  "kubernetes:batch/v1:Job": ["spec", "template"],
  "kubernetes:batch/v1:CronJob": ["spec", "jobTemplate", "spec", "template"],
  "kubernetes:core/v1:ReplicationController": ["spec", "template"],
};

/** ECK custom resources: the pod templates the operator turns into pods (image, ports and probes are the operator's). */
const ECK_TEMPLATE_PATHS: Record<string, (spec: any) => { path: string; template: any }[]> = {
  "elasticsearch.k8s.elastic.co/Elasticsearch": (spec) =>
    ((spec?.nodeSets as any[] | undefined) ?? []).map((ns, i) => ({ path: `spec.nodeSets[${i}].podTemplate`, template: ns?.podTemplate })),
  "kibana.k8s.elastic.co/Kibana": (spec) => [{ path: "spec.podTemplate", template: spec?.podTemplate }],
  "logstash.k8s.elastic.co/Logstash": (spec) => [{ path: "spec.podTemplate", template: spec?.podTemplate }],
  "apm.k8s.elastic.co/ApmServer": (spec) => [{ path: "spec.podTemplate", template: spec?.podTemplate }],
  "enterprisesearch.k8s.elastic.co/EnterpriseSearch": (spec) => [{ path: "spec.podTemplate", template: spec?.podTemplate }],
  "maps.k8s.elastic.co/ElasticMapsServer": (spec) => [{ path: "spec.podTemplate", template: spec?.podTemplate }],
  "beat.k8s.elastic.co/Beat": beatLike,
  "agent.k8s.elastic.co/Agent": beatLike,
};

function beatLike(spec: any): { path: string; template: any }[] {
  if (spec?.daemonSet) return [{ path: "spec.daemonSet.podTemplate", template: spec.daemonSet.podTemplate }];
  if (spec?.deployment) return [{ path: "spec.deployment.podTemplate", template: spec.deployment.podTemplate }];
  if (spec?.statefulSet) return [{ path: "spec.statefulSet.podTemplate", template: spec.statefulSet.podTemplate }];
  return [];
}

/** Labels ECK puts on the pods it creates (besides the template's own), so selectors on them are understood. */
function eckPodLabels(kind: string, name: string): Record<string, string> {
  switch (kind) {
    case "Elasticsearch":
      return { "common.k8s.elastic.co/type": "elasticsearch", "elasticsearch.k8s.elastic.co/cluster-name": name };
    case "Kibana":
      return { "common.k8s.elastic.co/type": "kibana", "kibana.k8s.elastic.co/name": name };
    case "Logstash":
      return { "common.k8s.elastic.co/type": "logstash", "logstash.k8s.elastic.co/name": name };
    case "Beat":
      return { "common.k8s.elastic.co/type": "beat", "beat.k8s.elastic.co/name": name };
    case "Agent":
      return { "common.k8s.elastic.co/type": "agent", "agent.k8s.elastic.co/name": name };
    case "ApmServer":
      return { "common.k8s.elastic.co/type": "apm-server", "apm.k8s.elastic.co/name": name };
    default:
      return {};
  }
}

/** One description of pods inside a resource. */
export interface PodTarget {
  resource: AuditResource;
  /** Field path of the pod spec in the resource (`spec.template.spec`; `spec` for a Pod). */
  specPath: string;
  pod: Record<string, any>;
  /** Labels the pods carry (template labels; for ECK also the operator's). */
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Pods created by an operator from a partial template (ECK): it supplies image, ports and probes. */
  operatorManaged: boolean;
}

/** Every pod description of a resource: one for core workloads, one per node set / template for ECK. */
export function podTargets(resource: AuditResource): PodTarget[] {
  const corePath = CORE_TEMPLATE_PATHS[resource.type];
  if (corePath) {
    let template: any = resource.props;
    for (const key of corePath) template = template?.[key];
    const pod = podSpecOf(resource) ?? {};
    const metaRoot = corePath.length === 0 ? resource.props : template;
    return [
      {
        resource,
        specPath: [...corePath, "spec"].join("."),
        pod,
        labels: { ...(metaRoot?.metadata?.labels ?? {}) },
        annotations: { ...(metaRoot?.metadata?.annotations ?? {}) },
        operatorManaged: false,
      },
    ];
  }
  const t = parseType(resource.type);
  const eck = t && ECK_TEMPLATE_PATHS[`${t.group}/${t.kind}`];
  if (!t || !eck) return [];
  const name = resource.props?.metadata?.name ?? resource.name;
  return eck(resource.props?.spec).map(({ path, template }) => ({
    resource,
    specPath: `${path}.spec`,
    pod: template?.spec && typeof template.spec === "object" ? template.spec : {},
    labels: { ...(template?.metadata?.labels ?? {}), ...eckPodLabels(t.kind, String(name)) },
    annotations: { ...(template?.metadata?.annotations ?? {}) },
    operatorManaged: true,
  }));
}

export function runsPods(resource: AuditResource): boolean {
  return podTargets(resource).length > 0;
}

export type ContainerField = "containers" | "initContainers" | "ephemeralContainers";

export interface ContainerRef {
  container: Record<string, any>;
  field: ContainerField;
  index: number;
  name: string;
  /** Full field path of the container in the resource: `spec.template.spec.containers[0]`. */
  path: string;
  /** `container "app"`, `init container "setup"`, `ephemeral container "debug"`. */
  label: string;
}

const FIELD_LABEL: Record<ContainerField, string> = { containers: "container", initContainers: "init container", ephemeralContainers: "ephemeral container" };

/** Every container of a pod target (init and ephemeral ones included). */
export function containerRefs(target: PodTarget, fields: ContainerField[] = ["initContainers", "containers", "ephemeralContainers"]): ContainerRef[] {
  return fields.flatMap((field) =>
    ((target.pod[field] as Record<string, any>[] | undefined) ?? []).map((container, index) => {
      const name = String(container?.name ?? `#${index}`);
      return { container: container ?? {}, field, index, name, path: `${target.specPath}.${field}[${index}]`, label: `${FIELD_LABEL[field]} "${name}"` };
    }),
  );
}

/** A JSON-ish rendering of a bad value for messages. */
export function show(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
}

/** Runs `check` on every pod target of a resource (nothing for resources that run no pods). */
export function forEachPod(resource: AuditResource, check: (target: PodTarget) => string[]): string[] {
  return podTargets(resource).flatMap(check);
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** Whether a LabelSelector selects `labels`. An empty selector selects everything; a missing one nothing. */
export function selectorMatches(selector: LabelSelector | undefined | null, labels: Record<string, string>): boolean {
  if (!selector || typeof selector !== "object") return false;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const values = e.values ?? [];
    switch (e.operator) {
      case "In":
        if (!has || !values.includes(labels[e.key]!)) return false;
        break;
      case "NotIn":
        if (has && values.includes(labels[e.key]!)) return false;
        break;
      case "Exists":
        if (!has) return false;
        break;
      case "DoesNotExist":
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** Whether a Service-style selector (a plain map, non-empty) selects `labels`. */
export function mapSelectorMatches(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

/** Kinds whose pods run until stopped (probes and availability apply); Jobs and CronJobs run to completion. */
export function isLongRunning(target: PodTarget): boolean {
  const t = parseType(target.resource.type);
  if (!t) return false;
  if (t.kind === "Job" || t.kind === "CronJob") return false;
  if (t.kind === "Pod") return (target.pod.restartPolicy ?? "Always") === "Always";
  return true;
}

/** Splits an identifier into lower-case words, trailing digits dropped: `DB_PASSWORD2`, `apiKey`, `tls.key` → db,password / api,key / tls,key. */
export function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .split(/[^A-Za-z0-9]+/)
    .map((w) => w.toLowerCase().replace(/\d+$/, ""))
    .filter(Boolean);
}
