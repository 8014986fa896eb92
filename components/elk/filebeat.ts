import type { HostPathSpec, Resources, WorkloadSpec } from "../workload/spec";
import { WORKLOAD_LOG_LABEL } from "../workload/docker";
import { ELASTIC_STACK_VERSION, LOGSTASH_BEATS_PORT, LOGSTASH_HOST, elasticImage } from "./elastic-stack";
import { Scalar } from "yaml";
import { toYaml } from "../workload/yaml";

/** Outside the image's home, which holds the binary: only this file needs a config mount. */
const CONFIG_PATH = "/etc/filebeat/filebeat.yml";
const DATA_DIR = "/usr/share/filebeat/data";
export const FILEBEAT_HTTP_PORT = 5066;

/** Where container logs are: Docker's json-file logs in dev, the kubelet's log tree on a node. */
export type FilebeatTarget = "docker" | "kubernetes";

/**
 * Why Filebeat runs as uid 0, the one exception to the non-root rule in the ELK stack.
 * Container log files are root-owned and not world-readable (`/var/lib/docker/containers/<id>`
 * is 0710 root, the logs 0640 root; the same holds under /var/log/pods). A non-root user could
 * only read them with CAP_DAC_READ_SEARCH, and neither Docker nor Kubernetes hands an added
 * capability to a non-root process (no ambient capabilities). As uid 0 it reads them as their
 * owner, so it gets NO capability at all: every capability is dropped, no-new-privileges is
 * set, the root filesystem is read-only, and the log directories are mounted read-only. It
 * reaches no Docker socket: the workload name comes from a label Docker writes into each line.
 */
export const FILEBEAT_ROOT_REASON =
  "reads root-owned, not world-readable container log files (0640, under 0710 /var/lib/docker/containers/<id>) as their owner; runs with every capability dropped, no Docker socket, a read-only root filesystem and read-only log mounts";

/**
 * Where the Docker json-file driver puts the container labels named in the `labels` log
 * option, once the ndjson parser has decoded the envelope under DOCKER_ENVELOPE: the Docker
 * renderer sets that option to WORKLOAD_LOG_LABEL on every container it starts.
 */
const DOCKER_ENVELOPE = "docker";
export const DOCKER_WORKLOAD_FIELD = `${DOCKER_ENVELOPE}.attrs.${WORKLOAD_LOG_LABEL}`;

/**
 * Docker's `time` (RFC 3339 with nanoseconds, always UTC `Z`); Go layouts for the timestamp
 * processor, which checks the `test` values when it loads.
 */
const DOCKER_TIME_LAYOUTS = ["2006-01-02T15:04:05.999999999Z07:00"];
const DOCKER_TIME_TESTS = ["2024-05-01T12:34:56.123456789Z", "2024-05-01T12:34:56Z"];

/**
 * A string written in single quotes: a YAML 1.1 reader (Beats' config loader) would otherwise
 * take an unquoted `2024-05-01T12:34:56Z` for a timestamp, not a string, and a regex is easier
 * to read quoted.
 */
function singleQuoted(value: string): Scalar<string> {
  const scalar = new Scalar(value);
  scalar.type = Scalar.QUOTE_SINGLE;
  return scalar;
}

export interface FilebeatConfigArgs {
  /** @default "docker" */
  target?: FilebeatTarget;
  /** @default "logstash:5000" */
  logstashHost?: string;
  /**
   * Kubernetes: only pods labelled `app.kubernetes.io/part-of` with this value are shipped.
   * (Docker ships only lines carrying the `abode_workload` label instead.) @default "abode"
   */
  partOf?: string;
}

/**
 * The dev input: Docker's json-file logs, one `<id>-json.log` per container, each line an
 * envelope `{"log":"…\n","stream":"stdout","attrs":{"abode_workload":"grafana"},"time":"…"}`.
 * Everything Filebeat needs is in the line itself, so it needs no Docker socket (which, even
 * read-only, is root on the host). Pure.
 */
export function dockerLogInput() {
  return {
    type: "filestream",
    id: "docker-containers",
    paths: ["/var/lib/docker/containers/*/*-json.log"],
    parsers: [
      {
        // The envelope goes under `docker.*` rather than the root, where its `log` string
        // would clobber Filebeat's `log.offset`/`log.file.path` (and the `log.level` Logstash
        // sets); with a target, overwrite_keys and expand_keys do not apply. `message` becomes
        // the line the container wrote. A line that does not decode carries no label, so the
        // first processor drops it (the decoding error is in Filebeat's own log).
        ndjson: { target: DOCKER_ENVELOPE, message_key: "log", add_error_key: true },
      },
    ],
    processors: [
      // First, so nothing else runs for them: lines of containers the platform did not start
      // (a developer's own) carry no workload label and never leave the laptop.
      { drop_event: { when: { not: { has_fields: [DOCKER_WORKLOAD_FIELD] } } } },
      // The event time is when Docker received the line, not when Filebeat read it (Logstash
      // refines it from the service's own `time` when the line is JSON).
      {
        timestamp: {
          field: `${DOCKER_ENVELOPE}.time`,
          layouts: DOCKER_TIME_LAYOUTS.map(singleQuoted),
          test: DOCKER_TIME_TESTS.map(singleQuoted),
          ignore_missing: true,
        },
      },
      {
        rename: {
          fields: [
            { from: DOCKER_WORKLOAD_FIELD, to: "service.name" },
            // `stream` at the root, as the container parser names it on Kubernetes.
            { from: `${DOCKER_ENVELOPE}.stream`, to: "stream" },
          ],
          ignore_missing: true,
          fail_on_error: false,
        },
      },
      // The rest of the envelope (`log` repeats `message`, `time` is now @timestamp).
      { drop_fields: { fields: [DOCKER_ENVELOPE], ignore_missing: true } },
      // Docker keeps each line's newline in `log`; cut it, as the container parser did, so `message` is the line.
      { replace: { fields: [{ field: "message", pattern: singleQuoted("\\r?\\n$"), replacement: "" }], ignore_missing: true, fail_on_error: false } },
    ],
  };
}

/** filebeat.yml: container logs in, other containers' logs dropped, workload named, Logstash out. Pure. */
export function renderFilebeatConfig(args: FilebeatConfigArgs = {}): string {
  const target = args.target ?? "docker";
  const partOf = args.partOf ?? "abode";
  const input =
    target === "docker"
      ? dockerLogInput()
      : {
          type: "filestream",
          id: "kubernetes-containers",
          // Symlinks named <pod>_<namespace>_<container>-<id>.log into /var/log/pods.
          paths: ["/var/log/containers/*.log"],
          "prospector.scanner.symlinks": true,
          parsers: [{ container: { stream: "all", format: "auto" } }],
          processors: [
            // NODE_NAME comes from the downward API (spec.nodeName) on the Beat's pod.
            { add_kubernetes_metadata: { host: "${NODE_NAME}", matchers: [{ logs_path: { logs_path: "/var/log/containers/" } }] } },
            onlyPartOf("kubernetes.labels", partOf),
          ],
        };
  const settings = {
    "filebeat.inputs": [input],
    "output.logstash": { hosts: [args.logstashHost ?? `${LOGSTASH_HOST}:${LOGSTASH_BEATS_PORT}`] },
    // The stats endpoint is the health probe; on all interfaces because a Kubernetes probe
    // comes from the node, not from the loopback. It serves counters, no log content.
    "http.enabled": true,
    "http.host": "0.0.0.0",
    "http.port": FILEBEAT_HTTP_PORT,
  };
  return toYaml(settings, "components/elk/filebeat.ts");
}

/** The host paths Filebeat reads, each with why; all are mounted read-only. Pure. */
export function filebeatHostPaths(target: FilebeatTarget): HostPathSpec[] {
  const same = (path: string, reason: string): HostPathSpec => ({ dockerHostPath: path, nodeHostPath: path, mountPath: path, reason });
  if (target === "docker") {
    return [
      same("/var/lib/docker/containers", "Docker's json-file logs of every container; read-only, and only lines labelled with an Abode workload are shipped"),
    ];
  }
  return [
    same("/var/log/containers", "the kubelet's per-container log symlinks Filebeat tails"),
    same("/var/log/pods", "the log files the /var/log/containers symlinks point to"),
  ];
}

export interface FilebeatArgs extends FilebeatConfigArgs {
  /** @default { cpu: 0.5, memoryMiB: 256 } */
  resources?: Resources;
  /** Size of the registry volume (read offsets) in prod. @default 1 */
  dataSizeGiB?: number;
}

/** Filebeat, shipping every Abode container's logs to Logstash. */
export function filebeatWorkload(args: FilebeatArgs = {}): WorkloadSpec {
  const target = args.target ?? "docker";
  return {
    name: "filebeat",
    component: "logging",
    version: ELASTIC_STACK_VERSION,
    image: elasticImage("filebeat"),
    // The image's entrypoint runs `filebeat` with these flags; -e logs to stderr.
    args: ["-environment", "container", "-e", "--strict.perms=true", "-c", CONFIG_PATH],
    ports: [],
    env: {},
    configFiles: [{ path: CONFIG_PATH, content: renderFilebeatConfig({ ...args, target }) }],
    // The registry: how far each file has been read, so a restart neither loses nor resends lines.
    volumes: [{ name: "data", mountPath: DATA_DIR, sizeGiB: args.dataSizeGiB ?? 1 }],
    hostPaths: filebeatHostPaths(target),
    health: {
      http: { port: FILEBEAT_HTTP_PORT, path: "/" },
      command: ["CMD", "curl", "--silent", "--fail", "--max-time", "4", "--output", "/dev/null", `http://127.0.0.1:${FILEBEAT_HTTP_PORT}/`],
    },
    resources: args.resources ?? { cpu: 0.5, memoryMiB: 256 },
    security: {
      // See FILEBEAT_ROOT_REASON: root without any capability, to read root-owned logs as their owner.
      runAsUser: 0,
      runAsGroup: 0,
      rootReason: FILEBEAT_ROOT_REASON,
      readOnlyRootFilesystem: true,
      addCapabilities: [],
    },
    dependsOn: ["logstash"],
  };
}

/** Drops every event whose container is not labelled as part of `partOf` (label dots become `_`). */
function onlyPartOf(labelsField: string, partOf: string) {
  return { drop_event: { when: { not: { equals: { [`${labelsField}.app_kubernetes_io/part-of`]: partOf } } } } };
}
