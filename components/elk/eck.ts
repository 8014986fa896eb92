import { createHash } from "node:crypto";
import { exemptionAnnotation } from "../../policies/core/exemptions";
import { loggingNetworkPolicies, type LoggingNetworkArgs } from "./eck-network";
import { renderEsClientFunctions } from "./es-script";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { IClusterRole } from "kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole";
import type { IClusterRoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding";
import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import type { IJob } from "kubernetes-models/batch/v1/Job";
import type { INamespace } from "kubernetes-models/v1/Namespace";
import type { IToleration } from "kubernetes-models/v1/Toleration";
import { parse } from "yaml";
import { POOL_LABEL, POOL_TAINTS } from "../cluster/node-pools";
import type { HostPathSpec, Resources } from "../workload/spec";
import { toYaml } from "../workload/yaml";
import {
  ELASTICSEARCH_HTTP_PORT,
  ELASTIC_STACK_VERSION,
  ELASTIC_UID,
  GRAFANA_READER_USER,
  LOGSTASH_BEATS_PORT,
  LOGSTASH_WRITER_USER,
  LOGS_READER_ROLE,
  LOG_INDEX_PREFIX,
  elasticImage,
} from "./elastic-stack";
import { FILEBEAT_ROOT_REASON, filebeatHostPaths, renderFilebeatConfig } from "./filebeat";
import { heapJavaOpts } from "./jvm-heap";
import { renderKibanaYml } from "./kibana";
import { LOGSTASH_PASSWORD_ENV, renderLogstashPipeline, renderLogstashYml } from "./logstash";
import { logsReaderRole, logstashWriterRole, renderLogLifecycleSteps } from "./setup";

/**
 * The ELK stack on Kubernetes through the ECK operator (installed from charts/ by the stack):
 * Elasticsearch, Kibana, Logstash and Filebeat as ECK custom resources, plus what ECK does not
 * manage: the S3 snapshot repository, the snapshot lifecycle policy and the log indices'
 * retention and template (one idempotent Job), the least-privileged users Logstash and Grafana
 * log in with (ECK file realm), and Filebeat's RBAC.
 *
 * Same renderers as dev: the Logstash pipeline (`renderLogstashPipeline`), logstash.yml
 * (`renderLogstashYml`), Kibana's settings (`renderKibanaYml`), Filebeat's config
 * (`renderFilebeatConfig`) and its host paths, the roles, the retention policy and the index
 * template (`setup.ts`). What differs is only what ECK owns (TLS certificates, the elastic and
 * kibana_system credentials, Elasticsearch/Kibana connection settings) and the addresses.
 *
 * Security: ECK's defaults are kept: TLS on the HTTP layer (ECK's self-signed CA, published in
 * `<es>-es-http-certs-public`), TLS on transport, authentication on. Nothing here disables them.
 * Audit logging (`xpack.security.audit.enabled`) is left off: it needs a Platinum licence, and
 * this stack runs on the free Basic licence; the EKS control-plane audit log covers who
 * changed the Kubernetes objects.
 */

export const ECK_NAMESPACE = "logging";
export const ECK_VERSION_LABEL = ELASTIC_STACK_VERSION;

/** Default resource names; ECK derives its Services and Secrets from them. */
export const ECK_NAMES = {
  elasticsearch: "elasticsearch",
  kibana: "kibana",
  logstash: "logstash",
  filebeat: "filebeat",
} as const;

/** The Secret keys and names ECK creates for an Elasticsearch called `es`. */
export const eckElasticsearch = {
  /** `https://<es>-es-http.<ns>.svc:9200`: a SAN of ECK's HTTP certificate. */
  url: (es: string, namespace = ECK_NAMESPACE) => `https://${es}-es-http.${namespace}.svc:${ELASTICSEARCH_HTTP_PORT}`,
  /** The `elastic` superuser's password, key `elastic`. */
  elasticUserSecret: (es: string) => `${es}-es-elastic-user`,
  /** The HTTP layer's CA (and certificate), no private key: key `ca.crt`. */
  httpCaSecret: (es: string) => `${es}-es-http-certs-public`,
} as const;

/** ECK names the Service of a Logstash `services` entry `<logstash>-ls-<entry>`. */
export function logstashBeatsHost(logstash: string = ECK_NAMES.logstash, namespace = ECK_NAMESPACE): string {
  return `${logstash}-ls-beats.${namespace}.svc:${LOGSTASH_BEATS_PORT}`;
}

/** Secrets this module creates (the component fills them; the renderers refer to them by name). */
export const ECK_SECRETS = {
  roles: "elasticsearch-roles",
  logstashWriter: "logstash-writer",
  grafanaReader: "grafana-reader",
  kibanaKeys: "kibana-encryption-keys",
  httpTls: "elasticsearch-http-tls",
  jaegerWriter: "jaeger-writer",
} as const;

/** An ECK (or other) custom resource: apiVersion, kind, metadata, spec. Values may be Pulumi Inputs. */
export interface CustomResourceObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string; labels: Record<string, string>; annotations?: Record<string, string> };
  spec: Record<string, any>;
}

/** A Secret whose values may be Pulumi secrets. */
export interface SecretObject {
  apiVersion: "v1";
  kind: "Secret";
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  type: string;
  stringData: Record<string, pulumi.Input<string>>;
}

/** A ServiceAccount whose annotations may be Pulumi Inputs (the IRSA role ARN). */
export interface ServiceAccountObject {
  apiVersion: "v1";
  kind: "ServiceAccount";
  metadata: { name: string; namespace: string; labels: Record<string, string>; annotations?: Record<string, pulumi.Input<string>> };
  automountServiceAccountToken: boolean;
}

/** Recommended labels of an ELK object. */
export function eckLabels(name: string, component = "logging", version: string = ELASTIC_STACK_VERSION): Record<string, string> {
  return {
    "app.kubernetes.io/name": name,
    "app.kubernetes.io/instance": name,
    "app.kubernetes.io/version": version,
    "app.kubernetes.io/component": component,
    "app.kubernetes.io/part-of": "abode",
    "app.kubernetes.io/managed-by": "pulumi",
  };
}

/** The restricted container security context (non-root, read-only root, nothing added). */
function restrictedContainer(uid = ELASTIC_UID) {
  return {
    runAsNonRoot: true,
    runAsUser: uid,
    runAsGroup: uid,
    readOnlyRootFilesystem: true,
    allowPrivilegeEscalation: false,
    privileged: false,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" as const },
  };
}

function restrictedPod(uid = ELASTIC_UID) {
  return { runAsNonRoot: true, runAsUser: uid, runAsGroup: uid, fsGroup: uid, seccompProfile: { type: "RuntimeDefault" as const } };
}

function resourceRequirements(r: Resources) {
  return {
    limits: { cpu: `${Math.round(r.cpu * 1000)}m`, memory: `${r.memoryMiB}Mi` },
    requests: {
      cpu: `${Math.round((r.requests?.cpu ?? r.cpu / 2) * 1000)}m`,
      // A JVM's heap is fixed; requesting less memory than the limit only invites eviction.
      memory: `${r.requests?.memoryMiB ?? r.memoryMiB}Mi`,
    },
  };
}

/** Spread replicas over zones (hard) and nodes (soft). `selector` matches the pods ECK labels. */
function spread(selector: Record<string, string>) {
  return [
    { maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule", labelSelector: { matchLabels: selector } },
    { maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: selector } },
  ];
}

const generalPool = { [POOL_LABEL]: "general" };

// ---------------------------------------------------------------------------------------------
// Namespace

/**
 * The `logging` namespace. Pod Security `privileged` is enforced because Filebeat must mount
 * the node's log directories (hostPath, which `baseline` forbids) and run as uid 0 (see
 * FILEBEAT_ROOT_REASON); `restricted` is still audited and warned about, so every other pod's
 * deviation shows up. Pure.
 */
export function loggingNamespace(name = ECK_NAMESPACE): INamespace {
  return {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: {
      name,
      labels: {
        ...eckLabels(name),
        "pod-security.kubernetes.io/enforce": "privileged",
        "pod-security.kubernetes.io/audit": "restricted",
        "pod-security.kubernetes.io/warn": "restricted",
      },
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Users and roles (ECK file realm)

/** roles.yml for ECK's `spec.auth.roles`: the same roles the dev setup job creates. Pure. */
export function renderRolesYml(indexPrefix = LOG_INDEX_PREFIX): string {
  return toYaml(
    { [LOGSTASH_WRITER_USER]: logstashWriterRole(indexPrefix), [LOGS_READER_ROLE]: logsReaderRole(indexPrefix), [JAEGER_WRITER_USER]: jaegerWriterRole() },
    "components/elk/eck.ts",
  );
}

/** Jaeger's span storage user (prod keeps traces in Elasticsearch): its own `jaeger-*` indices only. */
export const JAEGER_WRITER_USER = "jaeger_writer";

/** Jaeger creates its index templates and daily indices, writes spans and reads them back for the UI. Pure. */
export function jaegerWriterRole(indexPrefix = "jaeger") {
  return {
    cluster: ["monitor", "manage_index_templates"],
    indices: [{ names: [`${indexPrefix}-*`], privileges: ["create_index", "write", "read", "view_index_metadata"] }],
    metadata: { managed_by: "abode" },
  };
}

export function rolesSecret(namespace = ECK_NAMESPACE): SecretObject {
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: ECK_SECRETS.roles, namespace, labels: eckLabels(ECK_SECRETS.roles) },
    type: "Opaque",
    stringData: { "roles.yml": renderRolesYml() },
  };
}

/**
 * A file-realm user as ECK reads it: a `kubernetes.io/basic-auth` Secret with `username`,
 * `password` and a comma-separated `roles` entry. The same Secret is what the workload reads
 * its password from, so the password exists in exactly one place. Pure.
 */
export function fileRealmUserSecret(args: { name: string; username: string; password: pulumi.Input<string>; roles: string[]; namespace?: string }): SecretObject {
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: args.name, namespace: args.namespace ?? ECK_NAMESPACE, labels: eckLabels(args.name) },
    type: "kubernetes.io/basic-auth",
    stringData: { username: args.username, password: args.password, roles: args.roles.join(",") },
  };
}

// ---------------------------------------------------------------------------------------------
// Elasticsearch

/** Where Elasticsearch's S3 repository looks for the web identity token (it reads nothing outside its config dir). */
export const ES_WEB_IDENTITY_TOKEN_DIR = "/usr/share/elasticsearch/config/repository-s3";
const ES_WEB_IDENTITY_TOKEN_FILE = `${ES_WEB_IDENTITY_TOKEN_DIR}/aws-web-identity-token-file`;
/** Elasticsearch will not start its JVM in less. */
const ES_MINIMUM_MEMORY_MIB = 2048;

export interface ElasticsearchClusterArgs {
  /** @default "elasticsearch" */
  name?: string;
  /** @default "logging" */
  namespace?: string;
  /** Nodes in the one node set (each master-eligible and data). @default 3 */
  count?: number;
  /** The encrypted gp3 StorageClass of the cluster. */
  storageClassName: string;
  /** Data volume per node. @default 100 */
  storageGiB?: number;
  /** Heap is half the memory. @default { cpu: 2, memoryMiB: 4096 } */
  resources?: Resources;
  /** The ServiceAccount carrying the IRSA role for S3 snapshots. @default "elasticsearch-snapshots" */
  serviceAccountName?: string;
  /** The IAM role the S3 repository assumes (the same as the ServiceAccount's annotation). */
  snapshotRoleArn: pulumi.Input<string>;
  /**
   * Secret (`tls.crt`, `tls.key`, `ca.crt`) with our own HTTP certificate, so clients in other
   * namespaces can be given the CA at deploy time. @default ECK's self-signed CA
   */
  httpCertificateSecret?: string;
}

export function elasticsearchCluster(args: ElasticsearchClusterArgs): CustomResourceObject {
  const name = args.name ?? ECK_NAMES.elasticsearch;
  const count = args.count ?? 3;
  if (!Number.isInteger(count) || count < 3 || count % 2 === 0) {
    throw new Error(`Elasticsearch needs an odd number of at least 3 master-eligible nodes to survive losing one (got ${count})`);
  }
  const resources = args.resources ?? { cpu: 2, memoryMiB: 4096 };
  const labels = eckLabels(name);
  return {
    apiVersion: "elasticsearch.k8s.elastic.co/v1",
    kind: "Elasticsearch",
    metadata: { name, namespace: args.namespace ?? ECK_NAMESPACE, labels },
    spec: {
      version: ELASTIC_STACK_VERSION,
      // TLS on HTTP always: with our certificate when given, else ECK's own CA.
      ...(args.httpCertificateSecret ? { http: { tls: { certificate: { secretName: args.httpCertificateSecret } } } } : {}),
      auth: {
        roles: [{ secretName: ECK_SECRETS.roles }],
        fileRealm: [{ secretName: ECK_SECRETS.logstashWriter }, { secretName: ECK_SECRETS.grafanaReader }, { secretName: ECK_SECRETS.jaegerWriter }],
      },
      // Deleting the Elasticsearch resource keeps its volumes; only scaling down deletes a claim.
      volumeClaimDeletePolicy: "DeleteOnScaledownOnly",
      nodeSets: [
        {
          name: "default",
          count,
          config: {
            "node.roles": ["master", "data", "ingest"],
            // mmap needs vm.max_map_count raised on the node, i.e. a privileged init container;
            // niofs costs some read performance and keeps every pod unprivileged.
            "node.store.allow_mmap": false,
          },
          podTemplate: {
            metadata: { labels },
            spec: {
              serviceAccountName: args.serviceAccountName ?? "elasticsearch-snapshots",
              // Elasticsearch never calls the Kubernetes API; the AWS token below is its own projected volume.
              automountServiceAccountToken: false,
              nodeSelector: generalPool,
              securityContext: restrictedPod(),
              topologySpreadConstraints: spread({ "elasticsearch.k8s.elastic.co/cluster-name": name }),
              containers: [
                {
                  name: "elasticsearch",
                  resources: resourceRequirements(resources),
                  env: [
                    { name: "ES_JAVA_OPTS", value: heapJavaOpts(resources.memoryMiB, ES_MINIMUM_MEMORY_MIB) },
                    // IRSA for the S3 repository, set explicitly rather than left to the EKS webhook:
                    // Elasticsearch only reads a token inside its config directory.
                    { name: "AWS_ROLE_ARN", value: args.snapshotRoleArn },
                    { name: "AWS_WEB_IDENTITY_TOKEN_FILE", value: ES_WEB_IDENTITY_TOKEN_FILE },
                    { name: "AWS_STS_REGIONAL_ENDPOINTS", value: "regional" },
                  ],
                  securityContext: restrictedContainer(),
                  volumeMounts: [{ name: "aws-iam-token", mountPath: ES_WEB_IDENTITY_TOKEN_DIR, readOnly: true }],
                },
              ],
              volumes: [
                {
                  name: "aws-iam-token",
                  projected: {
                    sources: [{ serviceAccountToken: { audience: "sts.amazonaws.com", expirationSeconds: 86400, path: "aws-web-identity-token-file" } }],
                  },
                },
              ],
            },
          },
          volumeClaimTemplates: [
            {
              // ECK mounts the claim with this exact name as the data path.
              metadata: { name: "elasticsearch-data" },
              spec: {
                accessModes: ["ReadWriteOnce"],
                storageClassName: args.storageClassName,
                resources: { requests: { storage: `${args.storageGiB ?? 100}Gi` } },
              },
            },
          ],
        },
      ],
    },
  };
}

/** The ServiceAccount whose IAM role (IRSA) may write snapshots to the bucket; it mounts no Kubernetes token. Pure. */
/** Each ECK workload runs as its own ServiceAccount (none needs the API: no token), never `default`. */
export const ECK_SERVICE_ACCOUNTS = { kibana: "kibana", logstash: "logstash", setup: "elk-setup" } as const;

/** A ServiceAccount that mounts no token. Pure. */
export function tokenlessServiceAccount(name: string, namespace = ECK_NAMESPACE): ServiceAccountObject {
  return { apiVersion: "v1", kind: "ServiceAccount", metadata: { name, namespace, labels: eckLabels(name) }, automountServiceAccountToken: false };
}

export function snapshotServiceAccount(args: { roleArn: pulumi.Input<string>; name?: string; namespace?: string }): ServiceAccountObject {
  const name = args.name ?? "elasticsearch-snapshots";
  return {
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: { name, namespace: args.namespace ?? ECK_NAMESPACE, labels: eckLabels(name), annotations: { "eks.amazonaws.com/role-arn": args.roleArn } },
    automountServiceAccountToken: false,
  };
}

// ---------------------------------------------------------------------------------------------
// Snapshots and log lifecycle (what ECK does not manage)

export interface SnapshotRetention {
  /** Snapshots older than this are deleted (subject to the counts). */
  expireAfterDays: number;
  /** Always keep at least this many, however old. */
  minCount: number;
  /** Never keep more than this many. */
  maxCount: number;
}

export interface SetupScriptOptions {
  /** Elasticsearch cron (seconds first). @default "0 30 1 * * ?" (01:30 UTC daily) */
  schedule?: string;
  /** @default { expireAfterDays: 30, minCount: 5, maxCount: 50 } */
  retention?: SnapshotRetention;
  /** Key prefix inside the bucket. @default "elasticsearch" */
  basePath?: string;
  /** Ask S3 to encrypt each object (AES256 header). @default true */
  serverSideEncryption?: boolean;
  /** Days before a daily log index is deleted. @default 14 */
  logRetentionDays?: number;
  /** Replicas of each log index: one survives the loss of a node (or zone). @default 1 */
  logReplicas?: number;
  /** @default 600 */
  waitSeconds?: number;
  /** @default 5 */
  retryIntervalSeconds?: number;
}

export const SNAPSHOT_REPOSITORY = "s3";
export const SLM_POLICY = "nightly";

/** The SLM policy body. Pure. */
export function slmPolicy(options: Pick<SetupScriptOptions, "schedule" | "retention"> = {}) {
  const schedule = options.schedule ?? "0 30 1 * * ?";
  const retention = options.retention ?? { expireAfterDays: 30, minCount: 5, maxCount: 50 };
  const fields = schedule.trim().split(/\s+/);
  const problems = [
    ...(fields.length < 6 || fields.length > 7 ? [`schedule must be an Elasticsearch cron expression (6 or 7 fields, seconds first), got "${schedule}"`] : []),
    ...(Number.isInteger(retention.expireAfterDays) && retention.expireAfterDays >= 1 ? [] : [`retention.expireAfterDays must be a whole number ≥ 1, got ${retention.expireAfterDays}`]),
    ...(Number.isInteger(retention.minCount) && retention.minCount >= 1 ? [] : [`retention.minCount must be a whole number ≥ 1, got ${retention.minCount}`]),
    ...(Number.isInteger(retention.maxCount) && retention.maxCount >= retention.minCount ? [] : [`retention.maxCount must be a whole number ≥ minCount, got ${retention.maxCount}`]),
  ];
  if (problems.length) throw new Error(`Invalid snapshot policy:\n- ${problems.join("\n- ")}`);
  return {
    schedule,
    // Date math in the name gives each day's snapshot its own name; SLM appends a unique suffix.
    name: "<nightly-{now/d}>",
    repository: SNAPSHOT_REPOSITORY,
    config: { indices: ["*"], include_global_state: true },
    retention: { expire_after: `${retention.expireAfterDays}d`, min_count: retention.minCount, max_count: retention.maxCount },
  };
}

/**
 * The setup job's bash script: registers the S3 repository (bucket from $SNAPSHOT_BUCKET),
 * the nightly SLM policy, the log retention policy and the log index template. Idempotent.
 * As in the dev setup job (components/elk/setup.ts), the `elastic` password comes only from
 * the environment and reaches curl as a curl config on a /dev/fd pipe built by the `printf`
 * builtin: it is on no process's argv and in no file. The script holds no secret. Pure.
 */
export function renderEckSetupScript(options: SetupScriptOptions = {}): string {
  const policy = slmPolicy(options);
  const basePath = options.basePath ?? "elasticsearch";
  if (!/^[A-Za-z0-9][A-Za-z0-9._/-]*$/.test(basePath)) throw new Error(`basePath must be an S3 key prefix, got "${basePath}"`);
  const json = (value: unknown) => JSON.stringify(value, null, 2);
  return `#!/usr/bin/env bash
# Rendered by components/elk/eck.ts: snapshot repository, SLM policy, log retention and template.
set -euo pipefail

: "\${ELASTICSEARCH_URL:?}" "\${CA_CERT:?}" "\${ELASTIC_PASSWORD:?}" "\${SNAPSHOT_BUCKET:?}"
WAIT_SECONDS=${options.waitSeconds ?? 600}

${renderEsClientFunctions({ requestTimeoutSeconds: 60, retryIntervalSeconds: options.retryIntervalSeconds })}
# Elasticsearch verifies the repository (writes and reads a test blob) before accepting it.
echo "Registering snapshot repository ${SNAPSHOT_REPOSITORY} (bucket $SNAPSHOT_BUCKET)"
printf '{"type":"s3","settings":{"bucket":%s,"base_path":"${basePath}","server_side_encryption":${options.serverSideEncryption ?? true}}}' "$(quoted "$SNAPSHOT_BUCKET")" \\
  | es PUT /_snapshot/${SNAPSHOT_REPOSITORY} >/dev/null

echo "Installing snapshot lifecycle policy ${SLM_POLICY}"
es PUT /_slm/policy/${SLM_POLICY} >/dev/null <<'JSON'
${json(policy)}
JSON

${renderLogLifecycleSteps({ indexPrefix: LOG_INDEX_PREFIX, retentionDays: options.logRetentionDays ?? 14, replicas: options.logReplicas ?? 1 })}
echo "Elasticsearch setup complete"
`;
}

const SETUP_DIR = "/opt/abode-setup";
const SETUP_CA_DIR = "/opt/abode-setup-ca";

export interface EckSetupJobArgs extends SetupScriptOptions {
  /** The Snapshot bucket's name (may come from the bucket resource). */
  bucket: pulumi.Input<string>;
  /** @default "elasticsearch" */
  elasticsearchName?: string;
  /** @default "logging" */
  namespace?: string;
  /** @default "elasticsearch-setup" */
  name?: string;
  /** The image to run (e.g. its copy in our registry, by digest). @default the pinned Elasticsearch image */
  image?: pulumi.Input<string>;
}

/**
 * The Job (and the ConfigMap holding its script) that configures what ECK does not: it runs
 * the Elasticsearch image's bash and curl (pinned, already pulled on the nodes), logs in as
 * `elastic` with the password ECK generated (`<es>-es-elastic-user`, an env var from the
 * Secret, never an argument), and verifies TLS with ECK's HTTP CA (`<es>-es-http-certs-public`).
 * The script's checksum is a pod annotation, so a changed script replaces the Job. Pure.
 */
export function eckSetupJob(args: EckSetupJobArgs): { configMap: IConfigMap; job: IJob } {
  const es = args.elasticsearchName ?? ECK_NAMES.elasticsearch;
  const namespace = args.namespace ?? ECK_NAMESPACE;
  const name = args.name ?? "elasticsearch-setup";
  const script = renderEckSetupScript(args);
  const labels = eckLabels(name);
  const pinned = elasticImage("elasticsearch");
  const image = args.image ?? `${pinned.repository}:${pinned.tag}`;
  const configMap: IConfigMap = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: `${name}-script`, namespace, labels },
    data: { "setup.sh": script },
  };
  const job: IJob = {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name, namespace, labels },
    spec: {
      backoffLimit: 6,
      ttlSecondsAfterFinished: 86400,
      template: {
        metadata: { labels, annotations: { "abode.io/script-sha256": createHash("sha256").update(script).digest("hex") } },
        spec: {
          restartPolicy: "OnFailure",
          serviceAccountName: ECK_SERVICE_ACCOUNTS.setup,
          automountServiceAccountToken: false,
          nodeSelector: generalPool,
          securityContext: restrictedPod(),
          containers: [
            {
              name: "setup",
              image: image as string,
              command: ["/bin/bash", `${SETUP_DIR}/setup.sh`],
              env: [
                { name: "ELASTICSEARCH_URL", value: eckElasticsearch.url(es, namespace) },
                { name: "CA_CERT", value: `${SETUP_CA_DIR}/ca.crt` },
                { name: "SNAPSHOT_BUCKET", value: args.bucket as string },
                { name: "ELASTIC_PASSWORD", valueFrom: { secretKeyRef: { name: eckElasticsearch.elasticUserSecret(es), key: "elastic" } } },
              ],
              resources: { requests: { cpu: "100m", memory: "64Mi" }, limits: { cpu: "250m", memory: "128Mi" } },
              securityContext: restrictedContainer(),
              volumeMounts: [
                { name: "script", mountPath: SETUP_DIR, readOnly: true },
                { name: "ca", mountPath: SETUP_CA_DIR, readOnly: true },
                // bash writes larger here-documents to a temporary file.
                { name: "tmp", mountPath: "/tmp" },
              ],
            },
          ],
          volumes: [
            { name: "script", configMap: { name: `${name}-script`, defaultMode: 0o555 } },
            { name: "ca", secret: { secretName: eckElasticsearch.httpCaSecret(es), items: [{ key: "ca.crt", path: "ca.crt" }] } },
            { name: "tmp", emptyDir: { sizeLimit: "16Mi" } },
          ],
        },
      },
    },
  };
  return { configMap, job };
}

// ---------------------------------------------------------------------------------------------
// Kibana

export interface KibanaArgs {
  /** The URL users open Kibana at (no trailing slash). */
  publicBaseUrl: string;
  /** @default "kibana" */
  name?: string;
  /** @default "elasticsearch" */
  elasticsearchName?: string;
  /** @default "logging" */
  namespace?: string;
  /** @default 2 */
  count?: number;
  /** @default { cpu: 1, memoryMiB: 2048 } */
  resources?: Resources;
}

/** Settings ECK owns for Kibana (connection to Elasticsearch, listener, name) or that come from the keystore. */
const KIBANA_ECK_MANAGED = /^(server\.(name|host|port)|elasticsearch\.|xpack\.(security|encryptedSavedObjects|reporting)\.encryptionKey$)/;

/** Dev's kibana.yml (components/elk/kibana.ts) without what ECK or the keystore provides. Pure. */
export function kibanaConfig(publicBaseUrl: string): Record<string, unknown> {
  const dev = parse(renderKibanaYml({ publicBaseUrl })) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(dev).filter(([key]) => !KIBANA_ECK_MANAGED.test(key)));
}

/** Keys of the keystore Secret: one per purpose, each 32+ random characters. */
export const KIBANA_KEYSTORE_KEYS = ["xpack.security.encryptionKey", "xpack.encryptedSavedObjects.encryptionKey", "xpack.reporting.encryptionKey"] as const;

export function kibanaKeysSecret(keys: Record<(typeof KIBANA_KEYSTORE_KEYS)[number], pulumi.Input<string>>, namespace = ECK_NAMESPACE): SecretObject {
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: ECK_SECRETS.kibanaKeys, namespace, labels: eckLabels(ECK_SECRETS.kibanaKeys) },
    type: "Opaque",
    stringData: { ...keys },
  };
}

export function kibana(args: KibanaArgs): CustomResourceObject {
  const name = args.name ?? ECK_NAMES.kibana;
  const resources = args.resources ?? { cpu: 1, memoryMiB: 2048 };
  const labels = eckLabels(name);
  return {
    apiVersion: "kibana.k8s.elastic.co/v1",
    kind: "Kibana",
    metadata: { name, namespace: args.namespace ?? ECK_NAMESPACE, labels },
    spec: {
      version: ELASTIC_STACK_VERSION,
      count: args.count ?? 2,
      // ECK logs Kibana in with a service-account token of its own; no password here.
      elasticsearchRef: { name: args.elasticsearchName ?? ECK_NAMES.elasticsearch },
      // Encryption keys go to Kibana's keystore, from a Secret: none is in this spec.
      secureSettings: [{ secretName: ECK_SECRETS.kibanaKeys }],
      config: kibanaConfig(args.publicBaseUrl),
      podTemplate: {
        metadata: { labels },
        spec: {
          serviceAccountName: ECK_SERVICE_ACCOUNTS.kibana,
          automountServiceAccountToken: false,
          nodeSelector: generalPool,
          securityContext: restrictedPod(),
          topologySpreadConstraints: spread({ "kibana.k8s.elastic.co/name": name }),
          containers: [
            {
              name: "kibana",
              resources: resourceRequirements(resources),
              env: [{ name: "NODE_OPTIONS", value: `--max-old-space-size=${Math.floor(resources.memoryMiB / 2)}` }],
              securityContext: restrictedContainer(),
            },
          ],
        },
      },
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Logstash

/** Where the Logstash pods find Elasticsearch's HTTP CA (from `<es>-es-http-certs-public`). */
export const LOGSTASH_ES_CA_DIR = "/mnt/elasticsearch-ca";
const LOGSTASH_MINIMUM_MEMORY_MIB = 1024;

export interface LogstashArgs {
  storageClassName: string;
  /** @default "logstash" */
  name?: string;
  /** @default "elasticsearch" */
  elasticsearchName?: string;
  /** @default "logging" */
  namespace?: string;
  /** @default 2 */
  count?: number;
  /** @default { cpu: 1, memoryMiB: 2048 } */
  resources?: Resources;
}

/**
 * The arguments the prod Logstash passes to the dev pipeline renderer: the ECK Service of
 * Elasticsearch, ECK's CA mounted from its public Secret, and the same least-privileged
 * `logstash_writer` user (a file-realm user here, a native one in dev) with the password in
 * the same environment variable. Pure.
 */
export function logstashPipelineArgs(elasticsearchName: string = ECK_NAMES.elasticsearch, namespace = ECK_NAMESPACE) {
  return {
    beatsPort: LOGSTASH_BEATS_PORT,
    elasticsearchUrl: eckElasticsearch.url(elasticsearchName, namespace),
    caCertPath: `${LOGSTASH_ES_CA_DIR}/ca.crt`,
    user: LOGSTASH_WRITER_USER,
    passwordEnv: LOGSTASH_PASSWORD_ENV,
    indexPrefix: LOG_INDEX_PREFIX,
  };
}

/** Dev's logstash.yml without what ECK sets per pod (`node.name`, the API listener). Pure. */
export function logstashConfig(): Record<string, unknown> {
  const dev = parse(renderLogstashYml()) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(dev).filter(([key]) => key !== "node.name" && !key.startsWith("api.")));
}

/**
 * The Logstash resource. No `elasticsearchRefs`: an association would make ECK create a second
 * Elasticsearch user (`manage` + `write` on logs-*, metrics-*, ...) that this pipeline never
 * uses; the pipeline logs in as the append-only `logstash_writer`, and the only other thing the
 * association would give, the CA, is mounted from ECK's public CA Secret.
 */
export function logstash(args: LogstashArgs): CustomResourceObject {
  const name = args.name ?? ECK_NAMES.logstash;
  const es = args.elasticsearchName ?? ECK_NAMES.elasticsearch;
  const namespace = args.namespace ?? ECK_NAMESPACE;
  const resources = args.resources ?? { cpu: 1, memoryMiB: 2048 };
  const labels = eckLabels(name);
  return {
    apiVersion: "logstash.k8s.elastic.co/v1alpha1",
    kind: "Logstash",
    metadata: { name, namespace, labels },
    spec: {
      version: ELASTIC_STACK_VERSION,
      count: args.count ?? 2,
      config: logstashConfig(),
      pipelines: [{ "pipeline.id": "main", "config.string": renderLogstashPipeline(logstashPipelineArgs(es, namespace)) }],
      // ECK creates the Service `<name>-ls-beats` for Filebeat.
      services: [
        {
          name: "beats",
          service: { spec: { type: "ClusterIP", ports: [{ name: "beats", port: LOGSTASH_BEATS_PORT, targetPort: LOGSTASH_BEATS_PORT, protocol: "TCP" }] } },
        },
      ],
      volumeClaimTemplates: [
        {
          metadata: { name: "logstash-data" },
          spec: { accessModes: ["ReadWriteOnce"], storageClassName: args.storageClassName, resources: { requests: { storage: "2Gi" } } },
        },
      ],
      podTemplate: {
        metadata: { labels },
        spec: {
          serviceAccountName: ECK_SERVICE_ACCOUNTS.logstash,
          automountServiceAccountToken: false,
          nodeSelector: generalPool,
          securityContext: restrictedPod(),
          topologySpreadConstraints: spread({ "logstash.k8s.elastic.co/name": name }),
          containers: [
            {
              name: "logstash",
              resources: resourceRequirements(resources),
              env: [
                { name: LOGSTASH_PASSWORD_ENV, valueFrom: { secretKeyRef: { name: ECK_SECRETS.logstashWriter, key: "password" } } },
                { name: "LS_JAVA_OPTS", value: heapJavaOpts(resources.memoryMiB, LOGSTASH_MINIMUM_MEMORY_MIB) },
              ],
              securityContext: restrictedContainer(),
              volumeMounts: [
                { name: "elasticsearch-ca", mountPath: LOGSTASH_ES_CA_DIR, readOnly: true },
                // JRuby and plugins' scratch files (data and logs are ECK's volumes).
                { name: "tmp", mountPath: "/tmp" },
              ],
            },
          ],
          volumes: [
            { name: "elasticsearch-ca", secret: { secretName: eckElasticsearch.httpCaSecret(es), items: [{ key: "ca.crt", path: "ca.crt" }] } },
            { name: "tmp", emptyDir: { sizeLimit: "256Mi" } },
          ],
        },
      },
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Filebeat

export interface FilebeatArgs {
  /** @default "filebeat" */
  name?: string;
  /** @default "logstash" */
  logstashName?: string;
  /** @default "logging" */
  namespace?: string;
  /** @default { cpu: 0.5, memoryMiB: 256 } */
  resources?: Resources;
}

/**
 * Tolerations for every tainted node pool (GPU, CFD), derived from POOL_TAINTS so a new
 * tainted pool is covered without a change here. Pure.
 */
export function everyPoolTolerations(): IToleration[] {
  return Object.values(POOL_TAINTS)
    .filter((t): t is NonNullable<typeof t> => t !== undefined)
    .map((t) => ({ key: t.key, operator: "Equal", value: t.value, effect: t.effect }));
}

/** Filebeat's config as an object for the Beat's `config`: dev's renderer, target kubernetes. Pure. */
export function filebeatConfig(logstashName: string = ECK_NAMES.logstash, namespace = ECK_NAMESPACE): Record<string, unknown> {
  return parse(renderFilebeatConfig({ target: "kubernetes", logstashHost: logstashBeatsHost(logstashName, namespace) })) as Record<string, unknown>;
}

/**
 * Filebeat's documented exceptions to the pod security policies (policies/core/exemptions.ts):
 * reading every container's log files on a node takes read-only hostPath mounts and uid 0.
 * Pure.
 */
export function filebeatExemptions(hostPaths: HostPathSpec[]): Record<string, string> {
  const mounts = `read-only hostPath mounts of ${hostPaths.map((h) => h.nodeHostPath).join(" and ")}: ${hostPaths.map((h) => h.reason).join("; ")}`;
  return {
    [exemptionAnnotation("kubernetes-core-pod-disallow-host-path-volumes")]: mounts,
    [exemptionAnnotation("kubernetes-core-pod-restrict-volume-types")]: mounts,
    [exemptionAnnotation("kubernetes-core-pod-disallow-root-user")]: FILEBEAT_ROOT_REASON,
    [exemptionAnnotation("kubernetes-core-pod-require-run-as-non-root")]: FILEBEAT_ROOT_REASON,
  };
}

export function filebeat(args: FilebeatArgs = {}): CustomResourceObject {
  const name = args.name ?? ECK_NAMES.filebeat;
  const resources = args.resources ?? { cpu: 0.5, memoryMiB: 256 };
  const labels = eckLabels(name);
  const hostPaths = filebeatHostPaths("kubernetes");
  const volumeName = (path: string) => path.replace(/^\//, "").replace(/[^a-z0-9]+/g, "-");
  return {
    apiVersion: "beat.k8s.elastic.co/v1beta1",
    kind: "Beat",
    metadata: { name, namespace: args.namespace ?? ECK_NAMESPACE, labels, annotations: filebeatExemptions(hostPaths) },
    spec: {
      type: "filebeat",
      version: ELASTIC_STACK_VERSION,
      // No elasticsearchRef: Filebeat ships to Logstash only (`output.logstash` in the config).
      config: filebeatConfig(args.logstashName, args.namespace),
      daemonSet: {
        podTemplate: {
          metadata: { labels },
          spec: {
            serviceAccountName: name,
            // add_kubernetes_metadata reads pods, namespaces and nodes from the API (see filebeatClusterRole).
            automountServiceAccountToken: true,
            // Logs are shipped from EVERY node, so Filebeat tolerates every pool's taint. It is the
            // only workload allowed to: it requests no GPU and runs nothing of its own there.
            tolerations: everyPoolTolerations(),
            securityContext: { runAsUser: 0, runAsGroup: 0, seccompProfile: { type: "RuntimeDefault" } },
            containers: [
              {
                name: "filebeat",
                env: [{ name: "NODE_NAME", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } }],
                resources: resourceRequirements(resources),
                // uid 0 without any capability (FILEBEAT_ROOT_REASON in filebeat.ts).
                securityContext: {
                  runAsUser: 0,
                  runAsGroup: 0,
                  runAsNonRoot: false,
                  readOnlyRootFilesystem: true,
                  allowPrivilegeEscalation: false,
                  privileged: false,
                  capabilities: { drop: ["ALL"] },
                  seccompProfile: { type: "RuntimeDefault" },
                },
                volumeMounts: hostPaths.map((h) => ({ name: volumeName(h.nodeHostPath), mountPath: h.mountPath, readOnly: true })),
              },
            ],
            volumes: hostPaths.map((h) => ({ name: volumeName(h.nodeHostPath), hostPath: { path: h.nodeHostPath, type: "Directory" } })),
          },
        },
      },
    },
  };
}

/** Filebeat's ServiceAccount, ClusterRole (read pods, namespaces, nodes) and binding. Pure. */
export function filebeatRbac(name: string = ECK_NAMES.filebeat, namespace = ECK_NAMESPACE): {
  serviceAccount: ServiceAccountObject;
  clusterRole: IClusterRole;
  clusterRoleBinding: IClusterRoleBinding;
} {
  const labels = eckLabels(name);
  const roleName = `abode-${name}`;
  return {
    serviceAccount: { apiVersion: "v1", kind: "ServiceAccount", metadata: { name, namespace, labels }, automountServiceAccountToken: true },
    clusterRole: {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: { name: roleName, labels },
      rules: [{ apiGroups: [""], resources: ["pods", "namespaces", "nodes"], verbs: ["get", "list", "watch"] }],
    },
    clusterRoleBinding: {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name: roleName, labels },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: roleName },
      subjects: [{ kind: "ServiceAccount", name, namespace }],
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The component

export interface EckLoggingArgs {
  /** The encrypted gp3 StorageClass for Elasticsearch and Logstash volumes. */
  storageClassName: string;
  /** The snapshot bucket (encrypted, versioned, public access blocked: created by the stack). */
  snapshotBucket: pulumi.Input<string>;
  /** The IAM role (IRSA) allowed to read and write that bucket. */
  snapshotRoleArn: pulumi.Input<string>;
  /** The URL users open Kibana at, without a trailing slash. */
  kibanaPublicBaseUrl: string;
  /** @default "0 30 1 * * ?" */
  snapshotSchedule?: string;
  /** @default { expireAfterDays: 30, minCount: 5, maxCount: 50 } */
  snapshotRetention?: SnapshotRetention;
  /** @default 14 */
  logRetentionDays?: number;
  /** @default 3 */
  elasticsearchNodes?: number;
  /** @default 100 */
  elasticsearchStorageGiB?: number;
  /** @default { cpu: 2, memoryMiB: 4096 } */
  elasticsearchResources?: Resources;
  /** Create the `logging` namespace (privileged enforcement, restricted audit). @default true */
  createNamespace?: boolean;
  /**
   * Elasticsearch's HTTP certificate and its CA (e.g. from `Certificates`), so the CA is known
   * at deploy time and can be handed to Grafana and Jaeger in their namespace.
   */
  httpTls: { caCertPem: pulumi.Input<string>; certPem: pulumi.Input<string>; keyPem: pulumi.Input<string> };
  /** The setup Job's image (e.g. our registry's copy, by digest). @default the pinned Elasticsearch image */
  setupImage?: pulumi.Input<string>;
  /** Who may talk to the ELK pods besides each other (`loggingNetworkPolicies`); the namespace denies the rest. */
  network: Omit<LoggingNetworkArgs, "namespace" | "setupJobName">;
}

/**
 * Elasticsearch, Kibana, Logstash and Filebeat through ECK in `logging`, plus the setup Job.
 * Needs the ECK operator (its CRDs) installed first: pass it in `opts.dependsOn`.
 */
export class EckLogging extends pulumi.ComponentResource {
  /** In-cluster Elasticsearch URL (ECK's CA: `elasticsearchCaSecret`). */
  public readonly elasticsearchUrl: string;
  public readonly elasticsearchCaSecret: string;
  /** The basic-auth Secret of `grafana_reader`, for Grafana's Elasticsearch datasource. */
  public readonly grafanaReaderSecret: string;
  /** `grafana_reader`'s password, for copies of the credential in the observability namespace. */
  public readonly grafanaReaderPassword: pulumi.Output<string>;
  /** `jaeger_writer`'s password, likewise (Jaeger stores spans in Elasticsearch in prod). */
  public readonly jaegerWriterPassword: pulumi.Output<string>;
  /** In-cluster Kibana Service (`<kibana>-kb-http`, HTTPS with ECK's Kibana CA). */
  public readonly kibanaService: string;
  public readonly logstashBeatsHost: string;

  constructor(name: string, args: EckLoggingArgs, opts?: pulumi.ComponentResourceOptions) {
    super("abode:elk:Eck", name, {}, opts);
    const namespace = ECK_NAMESPACE;
    const child = { parent: this };
    const nsDeps: pulumi.Resource[] = [];
    if (args.createNamespace ?? true) {
      nsDeps.push(new k8s.core.v1.Namespace(`${name}-namespace`, loggingNamespace(namespace) as k8s.types.input.core.v1.Namespace, child));
    }
    const inNs = { parent: this, dependsOn: nsDeps };
    const password = (id: string, length: number) =>
      new random.RandomPassword(`${name}-${id}`, { length, special: false }, child).result;

    for (const policy of loggingNetworkPolicies({ ...args.network, namespace })) {
      new k8s.networking.v1.NetworkPolicy(`${name}-netpol-${policy.metadata!.name}`, policy as k8s.types.input.networking.v1.NetworkPolicy, inNs);
    }
    const secret = (id: string, obj: SecretObject) => new k8s.core.v1.Secret(`${name}-${id}`, obj, inNs);
    const grafanaReaderPassword = password("grafana-reader-password", 32);
    const jaegerWriterPassword = password("jaeger-writer-password", 32);
    const secrets = [
      secret("http-tls", {
        apiVersion: "v1",
        kind: "Secret",
        metadata: { name: ECK_SECRETS.httpTls, namespace, labels: eckLabels(ECK_NAMES.elasticsearch) },
        type: "kubernetes.io/tls",
        stringData: { "tls.crt": args.httpTls.certPem, "tls.key": args.httpTls.keyPem, "ca.crt": args.httpTls.caCertPem },
      }),
      secret("roles", rolesSecret(namespace)),
      secret(
        "logstash-writer",
        fileRealmUserSecret({ name: ECK_SECRETS.logstashWriter, username: LOGSTASH_WRITER_USER, password: password("logstash-writer-password", 32), roles: [LOGSTASH_WRITER_USER], namespace }),
      ),
      secret(
        "grafana-reader",
        fileRealmUserSecret({ name: ECK_SECRETS.grafanaReader, username: GRAFANA_READER_USER, password: grafanaReaderPassword, roles: [LOGS_READER_ROLE], namespace }),
      ),
      secret(
        "jaeger-writer",
        fileRealmUserSecret({ name: ECK_SECRETS.jaegerWriter, username: JAEGER_WRITER_USER, password: jaegerWriterPassword, roles: [JAEGER_WRITER_USER], namespace }),
      ),
      secret(
        "kibana-keys",
        kibanaKeysSecret(
          {
            "xpack.security.encryptionKey": password("kibana-security-key", 48),
            "xpack.encryptedSavedObjects.encryptionKey": password("kibana-saved-objects-key", 48),
            "xpack.reporting.encryptionKey": password("kibana-reporting-key", 48),
          },
          namespace,
        ),
      ),
    ];

    new k8s.core.v1.ServiceAccount(`${name}-snapshots-sa`, snapshotServiceAccount({ roleArn: args.snapshotRoleArn, namespace }), inNs);
    for (const account of Object.values(ECK_SERVICE_ACCOUNTS)) {
      new k8s.core.v1.ServiceAccount(`${name}-${account}-sa`, tokenlessServiceAccount(account, namespace), inNs);
    }
    const es = new k8s.apiextensions.CustomResource(
      `${name}-elasticsearch`,
      elasticsearchCluster({
        storageClassName: args.storageClassName,
        snapshotRoleArn: args.snapshotRoleArn,
        count: args.elasticsearchNodes,
        storageGiB: args.elasticsearchStorageGiB,
        resources: args.elasticsearchResources,
        namespace,
        httpCertificateSecret: ECK_SECRETS.httpTls,
      }),
      // The data store: never deleted by a `pulumi destroy` or a replacement.
      { parent: this, dependsOn: [...nsDeps, ...secrets], protect: true, retainOnDelete: true },
    );
    const afterEs = { parent: this, dependsOn: [es, ...secrets] };
    new k8s.apiextensions.CustomResource(`${name}-kibana`, kibana({ publicBaseUrl: args.kibanaPublicBaseUrl, namespace }), afterEs);
    const ls = new k8s.apiextensions.CustomResource(`${name}-logstash`, logstash({ storageClassName: args.storageClassName, namespace }), afterEs);

    const rbac = filebeatRbac(ECK_NAMES.filebeat, namespace);
    const sa = new k8s.core.v1.ServiceAccount(`${name}-filebeat-sa`, rbac.serviceAccount, inNs);
    const role = new k8s.rbac.v1.ClusterRole(`${name}-filebeat-role`, rbac.clusterRole as k8s.types.input.rbac.v1.ClusterRole, child);
    const binding = new k8s.rbac.v1.ClusterRoleBinding(`${name}-filebeat-binding`, rbac.clusterRoleBinding as k8s.types.input.rbac.v1.ClusterRoleBinding, {
      parent: this,
      dependsOn: [sa, role],
    });
    new k8s.apiextensions.CustomResource(`${name}-filebeat`, filebeat({ namespace }), { parent: this, dependsOn: [ls, binding] });

    const setup = eckSetupJob({
      image: args.setupImage,
      bucket: args.snapshotBucket,
      namespace,
      schedule: args.snapshotSchedule,
      retention: args.snapshotRetention,
      logRetentionDays: args.logRetentionDays,
    });
    const script = new k8s.core.v1.ConfigMap(`${name}-setup-script`, setup.configMap as k8s.types.input.core.v1.ConfigMap, inNs);
    new k8s.batch.v1.Job(`${name}-setup`, setup.job as k8s.types.input.batch.v1.Job, { parent: this, dependsOn: [es, script] });

    this.elasticsearchUrl = eckElasticsearch.url(ECK_NAMES.elasticsearch, namespace);
    this.elasticsearchCaSecret = eckElasticsearch.httpCaSecret(ECK_NAMES.elasticsearch);
    this.grafanaReaderSecret = ECK_SECRETS.grafanaReader;
    this.grafanaReaderPassword = grafanaReaderPassword;
    this.jaegerWriterPassword = jaegerWriterPassword;
    this.kibanaService = `${ECK_NAMES.kibana}-kb-http.${namespace}.svc:5601`;
    this.logstashBeatsHost = logstashBeatsHost(ECK_NAMES.logstash, namespace);
    this.registerOutputs({
      elasticsearchUrl: this.elasticsearchUrl,
      elasticsearchCaSecret: this.elasticsearchCaSecret,
      grafanaReaderSecret: this.grafanaReaderSecret,
      kibanaService: this.kibanaService,
      logstashBeatsHost: this.logstashBeatsHost,
    });
  }
}
