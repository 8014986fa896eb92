import type * as pulumi from "@pulumi/pulumi";
import { renderEsClientFunctions } from "./es-script";
import type { ImageSource, Resources, WorkloadSpec } from "../workload/spec";
import { ELASTICSEARCH_URL, ELASTIC_UID, ELK_SETUP_JOB, GRAFANA_READER_USER, LOGSTASH_WRITER_USER, LOGS_READER_ROLE, LOG_INDEX_PREFIX } from "./elastic-stack";

const SETUP_DIR = "/opt/abode-setup";
export const SETUP_SCRIPT_PATH = `${SETUP_DIR}/setup.sh`;
const SETUP_CA_PATH = `${SETUP_DIR}/ca.crt`;

export interface ElkSetupArgs {
  /** The Elasticsearch image: the job needs only its bash and curl, and it is already pulled. */
  image: ImageSource;
  /** Password of `elastic`, the only user that exists before this job runs. */
  elasticPassword: pulumi.Input<string>;
  /** Set as the password of the built-in `kibana_system` user. */
  kibanaSystemPassword: pulumi.Input<string>;
  /** Set as the password of the `logstash_writer` user. */
  logstashWriterPassword: pulumi.Input<string>;
  /** Set as the password of the `grafana_reader` user (Grafana's Elasticsearch datasource). */
  grafanaReaderPassword: pulumi.Input<string>;
  /** The CA that signed the Elasticsearch node certificate. */
  caCertPem: pulumi.Input<string>;
  /** @default "https://elasticsearch:9200" */
  elasticsearchUrl?: string;
  /** Replicas of each log index. A single node can never assign a replica. @default 0 */
  logReplicas?: number;
  /** Log indices older than this are deleted by ILM. @default 14 */
  logRetentionDays?: number;
  /** How long the job waits for Elasticsearch before it fails. @default 300 */
  waitSeconds?: number;
  /** @default { cpu: 0.25, memoryMiB: 128 } */
  resources?: Resources;
}

/**
 * The `logstash_writer` role: append-only on the log indices. `create_doc` indexes new
 * documents (with dynamic mapping updates) but can neither overwrite, update nor delete one,
 * so a leaked Logstash credential cannot rewrite history; `create_index` lets it open the next
 * daily index. `monitor` is what Logstash's output calls on connect (`GET /`, license, version).
 */
export function logstashWriterRole(indexPrefix = LOG_INDEX_PREFIX) {
  return {
    cluster: ["monitor"],
    indices: [{ names: [`${indexPrefix}-*`], privileges: ["create_index", "create_doc"] }],
    metadata: { managed_by: "abode-elk-setup" },
  };
}

/**
 * The `logs_reader` role, for Grafana's Elasticsearch datasource: `read` to search the log
 * indices, `view_index_metadata` for their mappings (the datasource lists the fields), and on
 * the cluster only `monitor`, which the datasource needs to read the Elasticsearch version.
 * It can neither write, delete nor manage anything, and sees no other index.
 */
export function logsReaderRole(indexPrefix = LOG_INDEX_PREFIX) {
  return {
    cluster: ["monitor"],
    indices: [{ names: [`${indexPrefix}-*`], privileges: ["read", "view_index_metadata"] }],
    metadata: { managed_by: "abode-elk-setup" },
  };
}

/** Deletes a daily log index once it is `retentionDays` old (age counts from index creation). */
export function logRetentionPolicy(retentionDays: number) {
  if (!Number.isInteger(retentionDays) || retentionDays < 1) throw new Error(`log retention must be a whole number of days ≥ 1, got ${retentionDays}`);
  return {
    policy: {
      phases: {
        hot: { min_age: "0ms", actions: {} },
        delete: { min_age: `${retentionDays}d`, actions: { delete: {} } },
      },
    },
  };
}

/**
 * The index template of the daily log indices: explicit types for the fields the Logstash
 * pipeline produces (ids and levels are keywords, not analysed text), one shard, the
 * retention policy, and dynamic mapping for everything else under `abode.*`.
 */
/**
 * The bash steps (using the `es` function of `renderEsClientFunctions`) that install the log
 * indices' retention policy and index template: the same in dev's setup job and prod's. Pure.
 */
export function renderLogLifecycleSteps(options: { indexPrefix: string; retentionDays: number; replicas: number }): string {
  const policy = `${options.indexPrefix}-retention`;
  const json = (value: unknown) => JSON.stringify(value, null, 2);
  return `echo "Installing lifecycle policy ${policy}"
es PUT /_ilm/policy/${policy} >/dev/null <<'JSON'
${json(logRetentionPolicy(options.retentionDays))}
JSON

echo "Installing index template ${options.indexPrefix}"
es PUT /_index_template/${options.indexPrefix} >/dev/null <<'JSON'
${json(logIndexTemplate({ indexPrefix: options.indexPrefix, replicas: options.replicas, policyName: policy }))}
JSON
`;
}

export function logIndexTemplate(options: { indexPrefix?: string; replicas: number; policyName: string }) {
  const keyword = { type: "keyword", ignore_above: 256 };
  return {
    index_patterns: [`${options.indexPrefix ?? LOG_INDEX_PREFIX}-*`],
    priority: 200,
    template: {
      settings: { number_of_shards: 1, number_of_replicas: options.replicas, "index.lifecycle.name": options.policyName },
      mappings: {
        properties: {
          "@timestamp": { type: "date" },
          message: { type: "match_only_text" },
          tags: keyword,
          log: { properties: { level: keyword } },
          service: { properties: { name: keyword } },
          trace: { properties: { id: keyword } },
          span: { properties: { id: keyword } },
          // The raw line, kept for the record but neither indexed nor aggregatable.
          event: { properties: { original: { type: "keyword", index: false, doc_values: false } } },
        },
      },
    },
    _meta: { managed_by: "abode-elk-setup" },
  };
}

export interface SetupScriptOptions {
  indexPrefix?: string;
  replicas?: number;
  retentionDays?: number;
  waitSeconds?: number;
  /** Pause between attempts while Elasticsearch is not up yet. @default 5 */
  retryIntervalSeconds?: number;
}

/**
 * The setup job's bash script. Idempotent (every call sets state), so it runs on each
 * `pulumi up`. Passwords come only from the environment and reach curl through pipes built by
 * the shell's `printf` builtin (the JSON body on stdin, the `elastic` credentials as a curl
 * config on a /dev/fd pipe): they never appear in any process's argv (`ps`) and are never
 * written to a file. The script itself holds no secret. Pure.
 */
export function renderSetupScript(options: SetupScriptOptions = {}): string {
  const prefix = options.indexPrefix ?? LOG_INDEX_PREFIX;
  const json = (value: unknown) => JSON.stringify(value, null, 2);
  return `#!/usr/bin/env bash
# Rendered by components/elk/setup.ts: users, roles, retention and template for the ELK stack.
set -euo pipefail

: "\${ELASTICSEARCH_URL:?}" "\${CA_CERT:?}"
: "\${ELASTIC_PASSWORD:?}" "\${KIBANA_SYSTEM_PASSWORD:?}" "\${LOGSTASH_WRITER_PASSWORD:?}" "\${GRAFANA_READER_PASSWORD:?}"
WAIT_SECONDS=${options.waitSeconds ?? 300}

${renderEsClientFunctions({ requestTimeoutSeconds: 30, retryIntervalSeconds: options.retryIntervalSeconds })}
echo "Setting the kibana_system password"
printf '{"password":%s}' "$(quoted "$KIBANA_SYSTEM_PASSWORD")" | es POST /_security/user/kibana_system/_password >/dev/null

echo "Creating role ${LOGSTASH_WRITER_USER}"
es PUT /_security/role/${LOGSTASH_WRITER_USER} >/dev/null <<'JSON'
${json(logstashWriterRole(prefix))}
JSON

echo "Creating user ${LOGSTASH_WRITER_USER}"
printf '{"password":%s,"roles":["${LOGSTASH_WRITER_USER}"],"full_name":"Logstash log pipeline"}' "$(quoted "$LOGSTASH_WRITER_PASSWORD")" \\
  | es PUT /_security/user/${LOGSTASH_WRITER_USER} >/dev/null

echo "Creating role ${LOGS_READER_ROLE}"
es PUT /_security/role/${LOGS_READER_ROLE} >/dev/null <<'JSON'
${json(logsReaderRole(prefix))}
JSON

echo "Creating user ${GRAFANA_READER_USER}"
printf '{"password":%s,"roles":["${LOGS_READER_ROLE}"],"full_name":"Grafana log reader"}' "$(quoted "$GRAFANA_READER_PASSWORD")" \\
  | es PUT /_security/user/${GRAFANA_READER_USER} >/dev/null

${renderLogLifecycleSteps({ indexPrefix: prefix, retentionDays: options.retentionDays ?? 14, replicas: options.replicas ?? 0 })}
echo "Elasticsearch setup complete"
`;
}

/**
 * A one-shot job, run after Elasticsearch is healthy and before Kibana and Logstash start: it
 * sets the `kibana_system` password and creates the `logstash_writer` and `logs_reader` roles,
 * their `logstash_writer` and `grafana_reader` users, the log retention policy and the log
 * index template, as `elastic`, over TLS verified with our CA.
 */
export function elkSetupJob(args: ElkSetupArgs): WorkloadSpec {
  return {
    name: ELK_SETUP_JOB,
    component: "logging",
    kind: "job",
    version: args.image.tag,
    image: args.image,
    // Replaces the image's entrypoint: this container never starts Elasticsearch.
    command: ["/bin/bash", SETUP_SCRIPT_PATH],
    ports: [],
    env: {
      ELASTICSEARCH_URL: args.elasticsearchUrl ?? ELASTICSEARCH_URL,
      CA_CERT: SETUP_CA_PATH,
      ELASTIC_PASSWORD: args.elasticPassword,
      KIBANA_SYSTEM_PASSWORD: args.kibanaSystemPassword,
      LOGSTASH_WRITER_PASSWORD: args.logstashWriterPassword,
      GRAFANA_READER_PASSWORD: args.grafanaReaderPassword,
    },
    configFiles: [
      { path: SETUP_SCRIPT_PATH, content: renderSetupScript({ replicas: args.logReplicas, retentionDays: args.logRetentionDays, waitSeconds: args.waitSeconds }) },
      { path: SETUP_CA_PATH, content: args.caCertPem },
    ],
    volumes: [],
    // A job has nothing to probe; Docker needs a command all the same.
    health: { command: ["CMD", "true"] },
    resources: args.resources ?? { cpu: 0.25, memoryMiB: 128 },
    security: {
      runAsUser: ELASTIC_UID,
      runAsGroup: ELASTIC_UID,
      readOnlyRootFilesystem: true,
      // bash writes larger here-documents to a temporary file.
      writablePaths: ["/tmp"],
    },
    dependsOn: ["elasticsearch"],
  };
}
