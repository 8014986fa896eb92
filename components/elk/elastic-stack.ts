import type { ImageSource } from "../workload/spec";

/**
 * The Elastic Stack release every ELK workload runs. Elastic ships Elasticsearch, Kibana,
 * Logstash and Filebeat together under one version number and supports them only in step,
 * so there is exactly one constant. 8.19.x is the maintained 8.x line; 8.17.0 (the seed's
 * version) carries fixed critical Kibana advisories (e.g. CVE-2025-25012), so it is not used.
 */
export const ELASTIC_STACK_VERSION = "8.19.19";

export type ElasticProduct = "elasticsearch" | "kibana" | "logstash" | "filebeat";

const REPOSITORIES: Record<ElasticProduct, string> = {
  elasticsearch: "docker.elastic.co/elasticsearch/elasticsearch",
  kibana: "docker.elastic.co/kibana/kibana",
  logstash: "docker.elastic.co/logstash/logstash",
  filebeat: "docker.elastic.co/beats/filebeat",
};

/** The official image of one product, pinned to the stack version. */
export function elasticImage(product: ElasticProduct): Extract<ImageSource, { kind: "pinned" }> {
  return { kind: "pinned", repository: REPOSITORIES[product], tag: ELASTIC_STACK_VERSION };
}

/**
 * The unprivileged user every official Elastic image is built around (`elasticsearch`,
 * `kibana`, `logstash`; the image files are owned by it), so we run as it rather than root.
 */
export const ELASTIC_UID = 1000;

/** Hostname clients use for Elasticsearch; it is a SAN of the node certificate. */
export const ELASTICSEARCH_HOST = "elasticsearch";
export const ELASTICSEARCH_HTTP_PORT = 9200;
export const ELASTICSEARCH_TRANSPORT_PORT = 9300;
export const ELASTICSEARCH_URL = `https://${ELASTICSEARCH_HOST}:${ELASTICSEARCH_HTTP_PORT}`;

/** Where Filebeat ships to (seed port map: Logstash beats on 5000, its API on 9600). */
export const LOGSTASH_HOST = "logstash";
export const LOGSTASH_BEATS_PORT = 5000;
export const LOGSTASH_API_PORT = 9600;

/** The one-shot job that creates users, roles, retention and template (see setup.ts). */
export const ELK_SETUP_JOB = "elk-setup";

/** The least-privileged user Logstash writes with, created by the setup job. */
export const LOGSTASH_WRITER_USER = "logstash_writer";
/** The read-only user Grafana queries the log indices with, created by the setup job. */
export const GRAFANA_READER_USER = "grafana_reader";
/** The role of GRAFANA_READER_USER: search and mappings of the log indices, nothing else. */
export const LOGS_READER_ROLE = "logs_reader";
/** Daily log indices are `abode-logs-YYYY.MM.dd`; the setup job templates `abode-logs-*`. */
export const LOG_INDEX_PREFIX = "abode-logs";
