import type * as pulumi from "@pulumi/pulumi";
import type { Resources, WorkloadSpec } from "../workload/spec";
import {
  ELASTICSEARCH_URL,
  ELASTIC_STACK_VERSION,
  ELASTIC_UID,
  ELK_SETUP_JOB,
  LOGSTASH_API_PORT,
  LOGSTASH_BEATS_PORT,
  LOGSTASH_WRITER_USER,
  LOG_INDEX_PREFIX,
  elasticImage,
} from "./elastic-stack";
import { heapJavaOpts } from "./jvm-heap";
import { toYaml } from "../workload/yaml";

const HOME = "/usr/share/logstash";
const SETTINGS_DIR = `${HOME}/config`;
const CA_PATH = `${SETTINGS_DIR}/certs/ca.crt`;
/** The image's default pipeline file name, so ours replaces it rather than running beside it. */
const PIPELINE_PATH = `${HOME}/pipeline/logstash.conf`;
const DATA_DIR = `${HOME}/data`;
/** Logstash, its JRuby and the plugins do not start in less. */
const MINIMUM_MEMORY_MIB = 1024;

/**
 * The environment variable the pipeline reads the writer password from (`${…}` in the
 * config). Its name must not squash to a Logstash setting (e.g. API_HTTP_HOST): the image's
 * entrypoint would try to write such variables into the read-only logstash.yml and exit.
 */
export const LOGSTASH_PASSWORD_ENV = "LOGSTASH_WRITER_PASSWORD";

/** Tags the pipeline sets; kept as constants so dashboards and tests agree with it. */
export const LOGSTASH_TAGS = {
  /** The line does not start with `{`: kept verbatim in `message`. */
  notJson: "abode_not_json",
  /** The line starts with `{` but is not valid JSON: kept verbatim in `message`. */
  invalidJson: "abode_json_invalid",
  /** `time` is present but neither ISO 8601 nor epoch milliseconds: @timestamp stays Filebeat's. */
  invalidTime: "abode_time_invalid",
} as const;

export interface LogstashPipelineArgs {
  /** @default 5000 */
  beatsPort?: number;
  /** @default "https://elasticsearch:9200" */
  elasticsearchUrl?: string;
  /** Path of the CA file inside the Logstash container. @default "/usr/share/logstash/config/certs/ca.crt" */
  caCertPath?: string;
  /** @default "logstash_writer" */
  user?: string;
  /** Environment variable holding the password. @default "LOGSTASH_WRITER_PASSWORD" */
  passwordEnv?: string;
  /** Daily indices are `<prefix>-YYYY.MM.dd`. @default "abode-logs" */
  indexPrefix?: string;
}

/**
 * The pipeline: Beats in → our JSON log lines parsed into ECS fields → Elasticsearch.
 *
 * Our services log pino JSON lines (`level`, `time`, `msg`, `trace_id`, `span_id`, `service`,
 * plus whatever a call site adds). A line is parsed into `abode.*`, then the known fields move
 * to their ECS names (`message`, `log.level`, `@timestamp`, `trace.id`, `span.id`,
 * `service.name`) and the raw line is kept in `event.original`. A line that is not JSON is
 * never dropped: it keeps its `message` and gets a tag.
 *
 * Output: daily indices `abode-logs-YYYY.MM.dd` (from the event's own @timestamp), not a data
 * stream. The setup job gives them an explicit template and a delete-after-N-days lifecycle,
 * so retention is "drop whole old indices", which a single dev node does cheaply, and the
 * writer needs only `create_index` + `create_doc` on `abode-logs-*`. Documents are sent with
 * the `create` action, so the pipeline can only append. Pure.
 */
export function renderLogstashPipeline(args: LogstashPipelineArgs = {}): string {
  const passwordEnv = args.passwordEnv ?? LOGSTASH_PASSWORD_ENV;
  if (!/^[A-Z_][A-Z0-9_]*$/.test(passwordEnv)) throw new Error(`passwordEnv must be an environment variable name, got "${passwordEnv}"`);
  const levels = { "10": "trace", "20": "debug", "30": "info", "40": "warn", "50": "error", "60": "fatal" };
  return `# Rendered by components/elk/logstash.ts. Do not edit in the container.
input {
  beats {
    id => "filebeat"
    port => ${args.beatsPort ?? LOGSTASH_BEATS_PORT}
  }
}

filter {
  # Only a line that looks like a JSON object is parsed; anything else (a stack trace, a
  # banner from a third-party image) is kept as it came, tagged.
  if [message] =~ /^\\s*\\{/ {
    json {
      id => "parse-json"
      source => "message"
      target => "[abode]"
      tag_on_failure => ["${LOGSTASH_TAGS.invalidJson}"]
    }
  } else {
    mutate {
      id => "tag-not-json"
      add_tag => ["${LOGSTASH_TAGS.notJson}"]
    }
  }

  if [abode] {
    # Keep the raw line before \`message\` becomes the human-readable part (a separate mutate:
    # within one, \`copy\` would run after \`rename\`).
    mutate {
      id => "keep-original"
      copy => { "message" => "[event][original]" }
    }
    mutate {
      id => "ecs-fields"
      rename => {
        "[abode][msg]" => "message"
        "[abode][trace_id]" => "[trace][id]"
        "[abode][span_id]" => "[span][id]"
        "[abode][service]" => "[service][name]"
      }
    }
    # pino writes a label ("info") when configured to, its numeric level (30) by default.
    if [abode][level] {
      translate {
        id => "log-level"
        source => "[abode][level]"
        target => "[log][level]"
        dictionary => {
${Object.entries(levels)
  .map(([n, name]) => `          "${n}" => "${name}"`)
  .join("\n")}
        }
        fallback => "%{[abode][level]}"
        remove_field => ["[abode][level]"]
      }
    }
    # @timestamp is when the service logged, not when Filebeat read the line.
    if [abode][time] {
      date {
        id => "log-time"
        match => ["[abode][time]", "ISO8601", "UNIX_MS"]
        target => "@timestamp"
        remove_field => ["[abode][time]"]
        tag_on_failure => ["${LOGSTASH_TAGS.invalidTime}"]
      }
    }
  }
}

output {
  elasticsearch {
    id => "elasticsearch"
    hosts => ["${args.elasticsearchUrl ?? ELASTICSEARCH_URL}"]
    ssl_enabled => true
    ssl_certificate_authorities => ["${args.caCertPath ?? CA_PATH}"]
    ssl_verification_mode => "full"
    user => "${args.user ?? LOGSTASH_WRITER_USER}"
    # Resolved by Logstash from its environment; the password is never in this file.
    password => "\${${passwordEnv}}"
    index => "${args.indexPrefix ?? LOG_INDEX_PREFIX}-%{+YYYY.MM.dd}"
    action => "create"
    data_stream => false
    # Template and lifecycle belong to the setup job, so the writer needs no admin privilege.
    manage_template => false
    ilm_enabled => false
  }
}
`;
}

/** logstash.yml: the API on all interfaces (probes come from outside the loopback), no legacy monitoring. Pure. */
export function renderLogstashYml(): string {
  const settings = {
    "node.name": "logstash",
    "path.data": DATA_DIR,
    "api.enabled": true,
    // `api.http.host` is the 8.x name of the deprecated `http.host`.
    "api.http.host": "0.0.0.0",
    "api.http.port": LOGSTASH_API_PORT,
    "pipeline.ecs_compatibility": "v8",
    "config.reload.automatic": false,
    "xpack.monitoring.enabled": false,
    "log.format": "json",
  };
  return toYaml(settings, "components/elk/logstash.ts");
}

/** pipelines.yml: exactly our pipeline, whatever else the image ships in its pipeline directory. Pure. */
export function renderPipelinesYml(): string {
  return toYaml([{ "pipeline.id": "main", "path.config": PIPELINE_PATH }], "components/elk/logstash.ts");
}

export interface LogstashArgs {
  /** Password of `logstash_writer` (set by the setup job). */
  logstashWriterPassword: pulumi.Input<string>;
  /** The CA that signed the Elasticsearch node certificate. */
  caCertPem: pulumi.Input<string>;
  /** @default "https://elasticsearch:9200" */
  elasticsearchUrl?: string;
  /** The heap is half of `memoryMiB`. @default { cpu: 1, memoryMiB: 1536 } */
  resources?: Resources;
}

/** Logstash between Filebeat and Elasticsearch. */
export function logstashWorkload(args: LogstashArgs): WorkloadSpec {
  const resources = args.resources ?? { cpu: 1, memoryMiB: 1536 };
  return {
    name: "logstash",
    component: "logging",
    version: ELASTIC_STACK_VERSION,
    image: elasticImage("logstash"),
    ports: [
      { name: "beats", containerPort: LOGSTASH_BEATS_PORT },
      { name: "api", containerPort: LOGSTASH_API_PORT },
    ],
    env: {
      [LOGSTASH_PASSWORD_ENV]: args.logstashWriterPassword,
      // Appended after the image's jvm.options, so this heap wins.
      LS_JAVA_OPTS: heapJavaOpts(resources.memoryMiB, MINIMUM_MEMORY_MIB),
    },
    configFiles: [
      { path: `${SETTINGS_DIR}/logstash.yml`, content: renderLogstashYml() },
      { path: `${SETTINGS_DIR}/pipelines.yml`, content: renderPipelinesYml() },
      { path: CA_PATH, content: args.caCertPem },
      { path: PIPELINE_PATH, content: renderLogstashPipeline({ elasticsearchUrl: args.elasticsearchUrl, caCertPath: CA_PATH }) },
    ],
    volumes: [],
    health: {
      // The node API answers once Logstash is up (Filebeat retries until the beats input listens).
      http: { port: LOGSTASH_API_PORT, path: "/" },
      command: ["CMD", "curl", "--silent", "--fail", "--max-time", "4", "--output", "/dev/null", `http://127.0.0.1:${LOGSTASH_API_PORT}/`],
      intervalSeconds: 10,
      timeoutSeconds: 5,
      retries: 12,
      startPeriodSeconds: 60,
    },
    resources,
    security: {
      runAsUser: ELASTIC_UID,
      runAsGroup: ELASTIC_UID,
      readOnlyRootFilesystem: true,
      writablePaths: [
        // path.data: the node UUID, the lock file and (if enabled) the dead-letter queue.
        // The queue is in memory, so nothing here must survive a restart.
        DATA_DIR,
        // path.logs (slow log and plugin scratch) and the JVM's temporary files.
        `${HOME}/logs`,
        "/tmp",
      ],
    },
    // The setup job creates the logstash_writer user the output logs in with.
    dependsOn: ["elasticsearch", ELK_SETUP_JOB],
  };
}
