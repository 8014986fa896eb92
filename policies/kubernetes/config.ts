import type { PolicyConfigSchema } from "../core/policy";

/**
 * Settings some Kubernetes policies read, declared in the core's `config` schema (pack config,
 * `--policy-pack-config`) with their defaults. Every configurable policy uses the same key for
 * the same setting, so one object can be given to all of them.
 */
export interface KubernetesPolicyConfig {
  /** The stack is production: the availability policies (replicas, PDB, topology spread) apply. @default false */
  prod?: boolean;
  /** `registry[/path-prefix]` entries images may come from; `*` matches within one segment. @default {@link DEFAULT_ALLOWED_REGISTRIES} */
  allowedRegistries?: string[];
  /** Registries whose tags cannot be re-pushed: a tag from them pins an image. @default {@link DEFAULT_IMMUTABLE_REGISTRIES} */
  immutableRegistries?: string[];
}

/** Our ECR registries (any account, any region): every repository we create has immutable tags. */
export const ECR_REGISTRY = "*.dkr.ecr.*.amazonaws.com";
export const DEFAULT_IMMUTABLE_REGISTRIES: readonly string[] = [ECR_REGISTRY];
/** The third-party images the platform runs (Docker Hub paths as `docker.io/<namespace>/<name>`), and our own ECR. */
export const DEFAULT_ALLOWED_REGISTRIES: readonly string[] = [
  "docker.io/library/busybox",
  "docker.io/ollama/ollama",
  "docker.io/kitware/paraview",
  "docker.elastic.co",
  "docker.io/grafana",
  "docker.io/prom",
  "docker.io/otel",
  "docker.io/jaegertracing",
  ECR_REGISTRY,
];

export const PROD_SETTING: PolicyConfigSchema = {
  prod: {
    type: "boolean",
    default: false,
    description: "The stack is production: availability requirements (replicas, PodDisruptionBudget, topology spread) apply. Set true in the prod stack's pack config.",
  },
};

export const ALLOWED_REGISTRIES_SETTING: PolicyConfigSchema = {
  allowedRegistries: {
    type: "array",
    items: { type: "string" },
    default: [...DEFAULT_ALLOWED_REGISTRIES],
    description: "Allowed image sources, `registry[/path-prefix]`; `*` matches within one name segment. Docker Hub is `docker.io`, official images under `library/`.",
  },
};

export const IMMUTABLE_REGISTRIES_SETTING: PolicyConfigSchema = {
  immutableRegistries: {
    type: "array",
    items: { type: "string" },
    default: [...DEFAULT_IMMUTABLE_REGISTRIES],
    description: "Registries (globs) whose tags are immutable, so a tag from them pins the image as well as a digest.",
  },
};

/** The value of a setting: the given one when set, else the schema's default (direct calls pass no config). */
export function setting<K extends keyof KubernetesPolicyConfig>(schema: PolicyConfigSchema, key: K, given?: Record<string, any>): NonNullable<KubernetesPolicyConfig[K]> {
  const value = given?.[key];
  return (value === undefined || value === null ? schema[key]!.default : value) as NonNullable<KubernetesPolicyConfig[K]>;
}
