import * as pulumi from "@pulumi/pulumi";
import { ollamaPullJob, ollamaWorkload } from "../components/ai/ollama";
import { paraviewWorkload } from "../components/cfd/paraview";
import { elasticsearchWorkload } from "../components/elk/elasticsearch";
import { GRAFANA_READER_USER } from "../components/elk/elastic-stack";
import { elkSetupJob } from "../components/elk/setup";
import { filebeatWorkload } from "../components/elk/filebeat";
import { kibanaWorkload } from "../components/elk/kibana";
import { logstashWorkload } from "../components/elk/logstash";
import { grafanaWorkload } from "../components/observability/grafana";
import { jaegerWorkload } from "../components/observability/jaeger";
import { otelCollectorWorkload } from "../components/observability/otel-collector";
import { prometheusWorkload, scrapeTargetsFor } from "../components/observability/prometheus";
import type { Resources, WorkloadSpec } from "../components/workload/spec";
import { aiLightingWorkload } from "../services/ai-lighting/workload";
import { aiParsingWorkload } from "../services/ai-parsing/workload";
import { cfdMesherWorkload, cfdPostprocessorWorkload, cfdSolverWorkload, type CfdCaseJobsTarget } from "../services/cfd/workload";
import { gen3dWorkload } from "../services/gen3d/workload";
import { ifcWorkload } from "../services/ifc/workload";
import { ragWorkload } from "../services/rag/workload";
import { reasoningWorkload } from "../services/reasoning/workload";
import { riskWorkload } from "../services/risk/workload";
import type { WorkloadName } from "./config/catalogue";
import { hostPorts, isEnabled, type StackConfig } from "./config/schema";
import type { GeneratedSecrets } from "./secrets";

/** Values the specs need that only exist as resources (generated passwords, certificates). */
export interface WorkloadInputs extends GeneratedSecrets {
  elasticTls: { caCertPem: pulumi.Input<string>; certPem: pulumi.Input<string>; keyPem: pulumi.Input<string> };
}

/** Version of our own service images when the stack file sets no tag. */
const DEFAULT_APP_VERSION = "0.1.0";

/** The release of one of our services: the stack file's tag, else the default. */
export function appVersion(config: StackConfig, name: WorkloadName): string {
  return config.workloads[name]?.imageTag ?? DEFAULT_APP_VERSION;
}

/** Where the app workloads run: what differs between targets, and nothing else. */
export interface AppTarget {
  /** OTLP/HTTP endpoint every service sends its traces to. */
  otlpEndpoint: string;
  /** GPU workloads get a GPU (always on the GPU pool; on Docker only when the host has one). */
  gpus: boolean;
  /** Prod: the CFD solver runs its cases as Kubernetes Jobs with results in this bucket, where the post-processor reads them. @default local runs, one shared volume */
  cfdCaseJobs?: CfdCaseJobsTarget;
}

/** Collects enabled workloads (and the jobs that come with them) with their configured resources and tag. */
function workloadList(config: StackConfig) {
  const specs: WorkloadSpec[] = [];
  const add = (name: WorkloadName, build: (resources: Resources | undefined) => WorkloadSpec, ...jobs: ((server: WorkloadSpec) => WorkloadSpec)[]) => {
    if (!isEnabled(config, name)) return;
    const settings = config.workloads[name];
    const spec = withImageTag(build(settings?.resources), settings?.imageTag);
    specs.push(spec, ...jobs.map((job) => job(spec)));
  };
  return { specs, add };
}

/**
 * The app workloads, target-neutral: the same specs run on Docker in dev and on Kubernetes in
 * prod (the parity tests compare them). Pure.
 */
export function appWorkloads(config: StackConfig, target: AppTarget): WorkloadSpec[] {
  const { specs, add } = workloadList(config);
  const app = (name: WorkloadName) => ({ otlpEndpoint: target.otlpEndpoint, version: appVersion(config, name) });
  add("cfd-solver", (resources) => cfdSolverWorkload({ ...app("cfd-solver"), resources, caseJobs: target.cfdCaseJobs }));
  add("cfd-mesher", (resources) => cfdMesherWorkload({ ...app("cfd-mesher"), resources }));
  add("cfd-postprocessor", (resources) => cfdPostprocessorWorkload({ ...app("cfd-postprocessor"), resources, caseBucket: target.cfdCaseJobs }));
  add("ai-parsing", (resources) => aiParsingWorkload({ ...app("ai-parsing"), resources, gpu: target.gpus }));
  add("ifc", (resources) => ifcWorkload({ ...app("ifc"), resources }));
  add("ai-lighting", (resources) => aiLightingWorkload({ ...app("ai-lighting"), resources }));
  add("paraview", (resources) => paraviewWorkload({ resources }));
  add("risk", (resources) => riskWorkload({ ...app("risk"), resources }));
  add("gen3d", (resources) => gen3dWorkload({ ...app("gen3d"), resources, rodinApiKey: secretSetting(config, "rodinApiKey") }));
  const models = [config.models.chat, config.models.embedding];
  add(
    "ollama",
    (resources) => ollamaWorkload({ models, gpu: target.gpus, resources }),
    (server) => ({ ...ollamaPullJob({ models }), version: server.version, image: server.image }),
  );
  // Last: they call the model server, and reasoning the services above as its tools.
  const urlOf = (name: WorkloadName) => {
    const port = specs.find((s) => s.name === name && s.kind !== "job")?.ports.find((p) => p.name === "http")?.containerPort;
    return port === undefined ? undefined : `http://${name}:${port}`;
  };
  const llm = modelEndpoint(config, urlOf("ollama"));
  const modelServer: WorkloadName[] = llm.external ? [] : ["ollama"];
  add("rag", (resources) =>
    ragWorkload({
      ...app("rag"),
      resources,
      embeddingBaseUrl: llm.baseUrl,
      embeddingModel: config.models.embedding,
      embeddingApiKey: llm.apiKey,
      externalModelEndpoint: llm.external,
      dependsOn: modelServer,
    }),
  );
  const peers = [...modelServer, ...(["ai-lighting", "risk", "rag", "ifc"] as const)].filter((name) => urlOf(name) !== undefined);
  add("reasoning", (resources) =>
    reasoningWorkload({
      ...app("reasoning"),
      resources,
      llm: { baseUrl: llm.baseUrl, apiKey: llm.apiKey, model: config.models.chat },
      externalModelEndpoint: llm.external,
      tools: { aiLightingUrl: urlOf("ai-lighting"), riskUrl: urlOf("risk"), ragUrl: urlOf("rag"), ifcUrl: urlOf("ifc") },
      dependsOn: peers,
    }),
  );
  return specs;
}

/**
 * Every workload the dev stack runs on Docker: the app workloads, then the ELK and
 * observability stacks as containers (prod gets those from ECK and charts). Pure given its
 * inputs: it decides, the composition only registers.
 */
export function devWorkloads(config: StackConfig, inputs: WorkloadInputs): WorkloadSpec[] {
  const { specs, add } = workloadList(config);
  specs.push(...appWorkloads(config, { otlpEndpoint: "http://otel-collector:4318", gpus: config.dockerGpus }));
  const tls = inputs.elasticTls;

  // Logs.
  add(
    "elasticsearch",
    (resources) => elasticsearchWorkload({ elasticPassword: inputs.elasticPassword, tls, resources }),
    (server) =>
      elkSetupJob({
        image: server.image,
        elasticPassword: inputs.elasticPassword,
        kibanaSystemPassword: inputs.kibanaSystemPassword,
        logstashWriterPassword: inputs.logstashWriterPassword,
        grafanaReaderPassword: inputs.grafanaReaderPassword,
        caCertPem: tls.caCertPem,
      }),
  );
  add("kibana", (resources) =>
    kibanaWorkload({
      kibanaSystemPassword: inputs.kibanaSystemPassword,
      encryptionKey: inputs.kibanaEncryptionKey,
      caCertPem: tls.caCertPem,
      publicBaseUrl: `http://${config.bindAddress}:${hostPorts(config, "kibana").http}`,
      resources,
    }),
  );
  add("logstash", (resources) => logstashWorkload({ logstashWriterPassword: inputs.logstashWriterPassword, caCertPem: tls.caCertPem, resources }));
  add("filebeat", (resources) => filebeatWorkload({ resources }));

  // Traces, metrics, dashboards.
  add("jaeger", (resources) => jaegerWorkload({ resources }));
  add("otel-collector", (resources) => otelCollectorWorkload({ resources }));
  const alerted = () => specs.filter((s) => s.component !== "observability" && s.component !== "logging" && s.metrics).map((s) => s.name);
  add("grafana", (resources) =>
    grafanaWorkload({
      adminPassword: inputs.grafanaAdminPassword,
      services: alerted(),
      elasticsearch: isEnabled(config, "elasticsearch")
        ? { user: GRAFANA_READER_USER, password: inputs.grafanaReaderPassword, caCertPem: tls.caCertPem }
        : undefined,
      resources,
    }),
  );
  // Last, so that it scrapes everything declared above.
  add("prometheus", (resources) => prometheusWorkload({ targets: scrapeTargetsFor(specs), alertedServices: alerted(), resources }));
  return specs;
}

/** A key from `abode:secrets` (set with `--secret`), kept secret through the renderers. */
function secretSetting(config: StackConfig, name: string): pulumi.Output<string> | undefined {
  const value = config.secrets[name];
  return value === undefined ? undefined : pulumi.secret(value);
}

/**
 * The OpenAI-compatible endpoint reasoning and RAG use: `models.endpoint` with `secrets.llmApiKey`,
 * else the stack's Ollama (the config schema refuses a stack with neither).
 */
function modelEndpoint(config: StackConfig, ollamaUrl: string | undefined): { baseUrl: string; apiKey?: pulumi.Output<string>; external: boolean } {
  if (config.models.endpoint) return { baseUrl: config.models.endpoint, apiKey: secretSetting(config, "llmApiKey"), external: true };
  return { baseUrl: `${ollamaUrl}/v1`, external: false };
}

/** A tag set in the stack file replaces the spec's own (and its digest, which belonged to the old tag). */
function withImageTag(spec: WorkloadSpec, tag: string | undefined): WorkloadSpec {
  if (!tag) return spec;
  const image = spec.image.kind === "pinned" ? { ...spec.image, tag, digest: undefined } : { ...spec.image, tag };
  return { ...spec, version: tag, image };
}
