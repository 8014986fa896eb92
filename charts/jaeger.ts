import type * as pulumi from "@pulumi/pulumi";
import { JAEGER_UID, renderJaegerConfig } from "../components/observability/jaeger";
import { IMAGES } from "../components/observability/versions";
import type { ChartRef } from "./helm-release";
import { SYSTEM_POOL, containerSecurity, podSecurity, resources } from "./common";

/**
 * Jaeger v2 from the jaegertracing chart. 4.2.0 is the release that rewrote the chart around the
 * single v2 binary (named as such in jaegertracing/helm-charts#737/#738); the keys used below
 * (`jaeger.*`, `userconfig`) are those of that chart's `jaeger-deploy.yaml`/`jaeger-service.yaml`
 * /`jaeger-user-config.yaml` templates.
 *
 * Storage: Elasticsearch (the ECK cluster), not badger. Since 4.2.0 the chart's Deployment
 * mounts only its config maps — there is no volume or PVC hook (upstream issue #737) — so badger
 * would be ephemeral. Elasticsearch is persistent, already encrypted/replicated/snapshotted by
 * the ELK stack, and lets Jaeger run two stateless replicas instead of one single-writer pod.
 */
export const CHART: ChartRef = {
  repository: "https://jaegertracing.github.io/helm-charts",
  chart: "jaeger",
  version: "4.2.0",
};

/** Dev's Jaeger version. */
export const IMAGE = { repository: "jaegertracing/jaeger", tag: IMAGES.jaeger.tag } as const;

export const NAMESPACE = "observability";

export interface SecretKeyRef {
  name: string;
  key: string;
}

export interface JaegerEsConfigArgs {
  /** Elasticsearch HTTPS URL, e.g. https://elk-es-http.logging.svc:9200 */
  url: string;
  /** @default "jaeger" */
  indexPrefix?: string;
  /** @default 1 */
  replicas?: number;
  /** @default 3 */
  shards?: number;
}

/**
 * Jaeger v2 config (the same renderer as dev) with spans in Elasticsearch over TLS with basic
 * auth. The credentials and CA arrive as environment variables (from Secrets) and are expanded
 * by the collector's `${env:…}` provider, so they never appear in the ConfigMap.
 */
export function renderJaegerEsConfig(args: JaegerEsConfigArgs) {
  if (!/^https:\/\//.test(args.url)) throw new Error(`jaeger: Elasticsearch URL "${args.url}" must be https`);
  const index = { shards: args.shards ?? 3, replicas: args.replicas ?? 1, date_layout: "2006-01-02", rollover_frequency: "day" };
  return renderJaegerConfig({
    elasticsearch: {
      server_urls: [args.url],
      auth: { basic: { username: "${env:ES_USERNAME}", password: "${env:ES_PASSWORD}" } },
      tls: { ca_pem: "${env:ES_CA_PEM}" },
      indices: { index_prefix: args.indexPrefix ?? "jaeger", spans: index, services: index },
    },
  });
}

export interface JaegerValuesArgs {
  elasticsearch: JaegerEsConfigArgs & { username: SecretKeyRef; password: SecretKeyRef; ca: SecretKeyRef };
  /** @default 2 */
  replicas?: number;
}

/** Two stateless replicas on the system pool; query UI on a ClusterIP Service; non-root, read-only fs. */
export function values(args: JaegerValuesArgs) {
  const env = (name: string, ref: SecretKeyRef) => ({ name, valueFrom: { secretKeyRef: { name: ref.name, key: ref.key } } });
  return {
    provisionDataStore: { cassandra: false, elasticsearch: false },
    jaeger: {
      replicas: args.replicas ?? 2,
      strategy: { type: "RollingUpdate" },
      image: { repository: IMAGE.repository, tag: IMAGE.tag, pullPolicy: "IfNotPresent" },
      extraEnv: [env("ES_USERNAME", args.elasticsearch.username), env("ES_PASSWORD", args.elasticsearch.password), env("ES_CA_PEM", args.elasticsearch.ca)],
      service: { type: "ClusterIP" },
      nodeSelector: SYSTEM_POOL,
      podSecurityContext: podSecurity(JAEGER_UID, JAEGER_UID, JAEGER_UID),
      securityContext: containerSecurity({ uid: JAEGER_UID }),
      resources: resources({ cpu: "250m", memory: "512Mi" }, { cpu: "1", memory: "1Gi" }),
    },
    userconfig: renderJaegerEsConfig(args.elasticsearch),
  } satisfies Record<string, pulumi.Input<unknown>>;
}
