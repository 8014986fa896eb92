import { z } from "zod";
import { CATALOGUE, WORKLOAD_NAMES, catalogueEntry, type WorkloadName } from "./catalogue";
import { edgeProblems, edgeSchema } from "./edge";

/**
 * Everything a stack may set under the `abode:` namespace, as one zod schema. Parsing is pure:
 * `./load.ts` feeds it the raw Pulumi config and turns every issue into one error.
 */

const port = z.int().min(1).max(65535);

/** Small enough for a laptop's CPU: a 0.5B chat model (~400 MB) and a 137M embedding model. */
const DEFAULT_MODELS = { chat: "qwen2.5:0.5b", embedding: "nomic-embed-text" };

/** An exact, immutable-looking tag: never `latest`, never empty. */
export const imageTag = z
  .string()
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, "must be a Docker tag (letters, digits, _ . -)")
  .refine((tag) => tag !== "latest", "`latest` is not a pinned version; use an exact tag");

const resources = z.strictObject({
  /** CPU limit in cores. */
  cpu: z.number().positive().max(64),
  /** Memory limit in MiB. */
  memoryMiB: z.int().min(32).max(512 * 1024),
});

function workloadSettings(name: WorkloadName) {
  const portNames = Object.keys(CATALOGUE[name].hostPorts);
  return z.strictObject({
    enabled: z.boolean().optional(),
    /** Tag of the image: the build tag for our services, the pinned version for third-party ones. */
    imageTag: imageTag.optional(),
    /** Host ports by port name (dev). */
    ports: z.strictObject(Object.fromEntries(portNames.map((p) => [p, port.optional()]))).optional(),
    replicas: z.int().min(1).max(50).optional(),
    resources: resources.optional(),
  });
}

const workloads = z.strictObject(
  Object.fromEntries(WORKLOAD_NAMES.map((name) => [name, workloadSettings(name).optional()])) as {
    [K in WorkloadName]: z.ZodOptional<ReturnType<typeof workloadSettings>>;
  },
);

const hostname = z
  .string()
  .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, "must be a lowercase DNS name");

const cidr = z
  .string()
  .regex(/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d|[12]\d|3[0-2])$/, "must be an IPv4 CIDR block, e.g. 10.40.0.0/16")
  .refine((block) => block.split("/")[0]!.split(".").every((octet) => Number(octet) <= 255), "has an octet above 255");

const instanceType = z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, "must be an EC2 instance type, e.g. m6i.large");

function nodePool(defaults: { instanceTypes: string[]; minSize: number; maxSize: number }) {
  return z
    .strictObject({
      instanceTypes: z.array(instanceType).min(1).default(defaults.instanceTypes),
      minSize: z.int().min(0).max(100).default(defaults.minSize),
      maxSize: z.int().min(1).max(200).default(defaults.maxSize),
      /** Root volume per node (encrypted gp3). */
      diskSizeGiB: z.int().min(20).max(2000).default(100),
    })
    .default({ ...defaults, diskSizeGiB: 100 });
}

/** The prod cluster (target kubernetes): network, API access, node pools, ingress certificate. */
const cluster = z.strictObject({
  kubernetesVersion: z.string().regex(/^1\.\d{2}$/, "must be a Kubernetes minor version, e.g. 1.33").default("1.33"),
  vpcCidr: cidr.default("10.40.0.0/16"),
  availabilityZones: z.int().min(3).max(6).default(3),
  /** CIDRs allowed to reach the public API endpoint; empty keeps the endpoint private. */
  publicAccessCidrs: z.array(cidr).default([]),
  nodePools: z
    .strictObject({
      system: nodePool({ instanceTypes: ["m6i.large"], minSize: 2, maxSize: 3 }),
      general: nodePool({ instanceTypes: ["m6i.xlarge"], minSize: 3, maxSize: 12 }),
      gpu: nodePool({ instanceTypes: ["g5.xlarge"], minSize: 0, maxSize: 4 }),
      cfd: nodePool({ instanceTypes: ["c6i.8xlarge", "c6a.8xlarge"], minSize: 0, maxSize: 8 }),
    })
    .default({
      system: { instanceTypes: ["m6i.large"], minSize: 2, maxSize: 3, diskSizeGiB: 100 },
      general: { instanceTypes: ["m6i.xlarge"], minSize: 3, maxSize: 12, diskSizeGiB: 100 },
      gpu: { instanceTypes: ["g5.xlarge"], minSize: 0, maxSize: 4, diskSizeGiB: 100 },
      cfd: { instanceTypes: ["c6i.8xlarge", "c6a.8xlarge"], minSize: 0, maxSize: 8, diskSizeGiB: 100 },
    }),
  /** ACM certificate for the public ALB (HTTPS only). */
  ingressCertificateArn: z.string().regex(/^arn:aws:acm:[a-z0-9-]+:\d{12}:certificate\/[a-f0-9-]+$/, "must be an ACM certificate ARN"),
  /** Days Elasticsearch snapshots are kept in S3. */
  snapshotRetentionDays: z.int().min(1).max(3650).default(30),
});

export const stackConfigSchema = z
  .strictObject({
    target: z.enum(["docker", "kubernetes"]),
    /** Address published ports bind to in dev. Loopback unless you mean to expose them. */
    bindAddress: z.ipv4().default("127.0.0.1"),
    domain: hostname.default("abode.localhost"),
    /** The Docker host has NVIDIA GPUs (with the container toolkit); GPU workloads get them. */
    dockerGpus: z.boolean().default(false),
    logLevel: z.enum(["fatal", "error", "warn", "info", "debug", "trace"]).default("info"),
    workloads: workloads.default({}),
    models: z
      .strictObject({
        /** Chat model for the reasoning service; pulled into Ollama at `pulumi up` when Ollama serves it. */
        chat: z.string().min(1).default(DEFAULT_MODELS.chat),
        /** Embedding model for RAG. */
        embedding: z.string().min(1).default(DEFAULT_MODELS.embedding),
        /**
         * An external OpenAI-compatible endpoint (e.g. https://api.openai.com/v1) for both; its key
         * is `secrets.llmApiKey`. @default the stack's own Ollama
         */
        endpoint: z.url({ protocol: /^https?$/ }).optional(),
      })
      .default(DEFAULT_MODELS),
    /** The prod cluster; required with target kubernetes. */
    cluster: cluster.optional(),
    /** The Cloudflare edge in front of the prod cluster (./edge.ts); none unless given. */
    edge: edgeSchema.optional(),
    /** API keys and the like; only ever from `pulumi config set --secret` (checked by the loader). */
    secrets: z.record(z.string().regex(/^[a-zA-Z][a-zA-Z0-9]*$/, "must be a camelCase name"), z.string().min(1)).default({}),
  })
  ;

export type StackConfig = z.output<typeof stackConfigSchema>;
export type WorkloadSettings = NonNullable<StackConfig["workloads"][WorkloadName]>;

export interface ConfigProblem {
  path: (string | number)[];
  message: string;
}

/**
 * Rules that span fields. They read the raw input leniently (ignoring values of the wrong
 * type, which the schema reports) so that they run even when other keys are broken, and the
 * user sees every problem at once.
 */
export function crossFieldProblems(raw: unknown): ConfigProblem[] {
  const input = asRecord(raw);
  const workloads = asRecord(input.workloads);
  const view = {
    workloads: Object.fromEntries(
      WORKLOAD_NAMES.map((name) => {
        const w = asRecord(workloads[name]);
        const ports = Object.entries(asRecord(w.ports)).filter(([, v]) => Number.isInteger(v));
        return [name, { enabled: typeof w.enabled === "boolean" ? w.enabled : undefined, ports: Object.fromEntries(ports) }];
      }),
    ) as Pick<StackConfig, "workloads">["workloads"],
  };
  const problems: ConfigProblem[] = [];
  if (input.target === "docker") {
    for (const name of WORKLOAD_NAMES) {
      const replicas = asRecord(workloads[name]).replicas;
      if (typeof replicas === "number" && replicas > 1) {
        problems.push({
          path: ["workloads", name, "replicas"],
          message: `the docker target runs one container per workload (got ${replicas})`,
        });
      }
    }
  }
  problems.push(...clusterProblems(input));
  problems.push(...modelProblems(input, view));
  problems.push(...edgeProblems(input));
  for (const name of WORKLOAD_NAMES) {
    if (!isEnabled(view, name)) continue;
    for (const required of catalogueEntry(name).requires ?? []) {
      if (!isEnabled(view, required as WorkloadName)) {
        problems.push({ path: ["workloads", required, "enabled"], message: `${name} needs ${required}; enable it or disable ${name}` });
      }
    }
  }
  return [...problems, ...hostPortClashes(view)];
}

/** Reasoning and RAG need an OpenAI-compatible endpoint: the stack's Ollama or an external one. */
function modelProblems(input: Record<string, unknown>, view: Pick<StackConfig, "workloads">): ConfigProblem[] {
  const users = (["reasoning", "rag"] as const).filter((name) => isEnabled(view, name));
  if (users.length === 0 || isEnabled(view, "ollama") || asRecord(input.models).endpoint !== undefined) return [];
  return [{ path: ["models", "endpoint"], message: `${users.join(" and ")} need a model endpoint: enable ollama or set models.endpoint` }];
}

/** Pools whose instances must come from a family: GPU nodes are NVIDIA g5/g6, CFD nodes compute-optimized. */
const POOL_FAMILIES: Record<string, { pattern: RegExp; what: string }> = {
  gpu: { pattern: /^g[56][a-z]*\./, what: "an NVIDIA g5/g6 type" },
  cfd: { pattern: /^c[5-8][a-z]*\./, what: "a compute-optimized (c5–c8) type" },
};

function clusterProblems(input: Record<string, unknown>): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (input.target === "kubernetes" && input.cluster === undefined) {
    problems.push({ path: ["cluster"], message: "required with target kubernetes" });
  }
  const cluster = asRecord(input.cluster);
  for (const [i, block] of (Array.isArray(cluster.publicAccessCidrs) ? cluster.publicAccessCidrs : []).entries()) {
    if (typeof block === "string" && block.endsWith("/0")) {
      problems.push({ path: ["cluster", "publicAccessCidrs", i], message: "opens the API endpoint to the whole internet; list your own CIDRs" });
    }
  }
  const pools = asRecord(cluster.nodePools);
  for (const [pool, family] of Object.entries(POOL_FAMILIES)) {
    const settings = asRecord(pools[pool]);
    for (const [i, type] of (Array.isArray(settings.instanceTypes) ? settings.instanceTypes : []).entries()) {
      if (typeof type === "string" && !family.pattern.test(type)) {
        problems.push({ path: ["cluster", "nodePools", pool, "instanceTypes", i], message: `${type} is not ${family.what}` });
      }
    }
    // These pools scale from zero and back: an idle GPU or CFD node is the most expensive kind.
    if (typeof settings.minSize === "number" && settings.minSize !== 0) {
      problems.push({ path: ["cluster", "nodePools", pool, "minSize"], message: "must be 0 so the pool scales to zero when idle" });
    }
  }
  for (const [pool, raw] of Object.entries(pools)) {
    const settings = asRecord(raw);
    if (typeof settings.minSize === "number" && typeof settings.maxSize === "number" && settings.maxSize < settings.minSize) {
      problems.push({ path: ["cluster", "nodePools", pool, "maxSize"], message: `is below minSize (${settings.minSize})` });
    }
  }
  return problems;
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** Whether a workload runs on this stack: as configured, else on. */
export function isEnabled(config: Pick<StackConfig, "workloads">, name: WorkloadName): boolean {
  return config.workloads[name]?.enabled ?? true;
}

/** The host ports a workload publishes: the seed map, overridden by config. */
export function hostPorts(config: Pick<StackConfig, "workloads">, name: WorkloadName): Record<string, number> {
  return { ...CATALOGUE[name].hostPorts, ...(config.workloads[name]?.ports as Record<string, number> | undefined) };
}

/** Two enabled workloads publishing the same host port: each clash reported at the later one. */
function hostPortClashes(config: Pick<StackConfig, "workloads">) {
  const owners = new Map<number, string>();
  const clashes: ConfigProblem[] = [];
  for (const name of WORKLOAD_NAMES) {
    if (!isEnabled(config, name)) continue;
    for (const [portName, hostPort] of Object.entries(hostPorts(config, name))) {
      const owner = owners.get(hostPort);
      if (owner) {
        clashes.push({
          path: ["workloads", name, "ports", portName],
          message: `host port ${hostPort} is already published by ${owner}`,
        });
      } else {
        owners.set(hostPort, `${name}.${portName}`);
      }
    }
  }
  return clashes;
}
