import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import * as autoscaler from "../charts/cluster-autoscaler";
import * as eckOperator from "../charts/eck-operator";
import { HelmRelease, type HelmReleaseArgs } from "../charts/helm-release";
import * as jaeger from "../charts/jaeger";
import * as kubePrometheusStack from "../charts/kube-prometheus-stack";
import * as loadBalancerController from "../charts/aws-load-balancer-controller";
import * as metricsServer from "../charts/metrics-server";
import * as nvidiaDevicePlugin from "../charts/nvidia-device-plugin";
import * as otelCollector from "../charts/opentelemetry-collector";
import { EbsCsiDriver } from "../components/cluster/addons";
import { Cluster } from "../components/cluster/cluster";
import { clusterAutoscalerPolicy, loadBalancerControllerPolicy } from "../components/cluster/controller-policies";
import { irsaRole } from "../components/cluster/irsa";
import { Network } from "../components/cluster/network";
import { ServiceRegistry, mirroredImage, pushedImage } from "../components/cluster/registry";
import { SnapshotBucket } from "../components/cluster/snapshots";
import { CaseJobs } from "../components/cfd/case-jobs";
import { CloudflareEdge, cloudflareEdgeCidrs } from "../components/edge/edge";
import { GRAFANA_READER_USER, LOG_INDEX_PREFIX, elasticImage } from "../components/elk/elastic-stack";
import { Certificates } from "../components/elk/certificates";
import { ECK_NAMES, EckLogging, JAEGER_WRITER_USER } from "../components/elk/eck";
import { ObservabilityObjects } from "../components/observability/kubernetes";
import { ALB_INBOUND_CIDRS, albIngress } from "../components/workload/ingress";
import { KubernetesWorkload } from "../components/workload/kubernetes-workload";
import { kubernetesApiEgress, namespaceDefaultDeny, networkPeersFor, type ExternalEgress } from "../components/workload/network-policy";
import type { WorkloadSpec } from "../components/workload/spec";
import type { WorkloadName } from "./config/catalogue";
import { isEnabled, type StackConfig } from "./config/schema";
import { appVersion, appWorkloads } from "./workloads";

export interface ProdStackOptions {
  /** The Pulumi stack name; names the cluster (`abode-<stack>`). */
  stack: string;
  /** The AWS region (`aws:region`); the controllers need it spelled out (IMDS is closed to pods). */
  region: string;
}

const APPS_NAMESPACE = "abode";
const OBSERVABILITY_NAMESPACE = kubePrometheusStack.NAMESPACE;
const LOGGING_NAMESPACE = "logging";
const STORAGE_CLASS = "gp3";
const GRAFANA_ADMIN_SECRET = "grafana-admin";
const ELASTICSEARCH_CLIENT_SECRET = "elasticsearch-clients";
const JAEGER_QUERY = `http://jaeger.${OBSERVABILITY_NAMESPACE}.svc:16686`;
const OTLP_ENDPOINT = `http://opentelemetry-collector.${OBSERVABILITY_NAMESPACE}.svc:4318`;

/** App workloads reachable from the internet through the ALB: our own HTTP APIs (not Ollama, not pvserver). */
export function isPublic(spec: WorkloadSpec): boolean {
  return spec.image.kind === "build" && spec.kind !== "job" && spec.ports.some((p) => p.name === "http");
}

/** The public ALB's host for a workload. */
export function publicHost(name: string, domain: string): string {
  return `${name}.${domain}`;
}

/**
 * Where a workload may go outside the cluster: what its spec declares (public APIs, a model
 * registry, S3), plus the Kubernetes API endpoint for a workload that holds an API token.
 */
export function externalEgressFor(spec: WorkloadSpec, vpcCidr: string): ExternalEgress[] {
  const own = spec.externalEgress ?? [];
  return spec.security.serviceAccountToken ? [...own, kubernetesApiEgress(vpcCidr)] : own;
}

/**
 * The prod stack: a VPC and an EKS cluster with four node pools, the pinned add-on charts,
 * ECK logging with S3 snapshots, the observability charts with our alert rules and dashboards,
 * and every app workload rendered from the same specs as dev, behind one HTTPS ALB.
 */
export function prodStack(config: StackConfig, options: ProdStackOptions) {
  const cluster = config.cluster!; // the schema requires it with target kubernetes
  const clusterName = `abode-${options.stack}`;
  const tags = { "abode.io/stack": options.stack };
  const labels = { "app.kubernetes.io/part-of": "abode", "app.kubernetes.io/managed-by": "pulumi", "app.kubernetes.io/instance": clusterName };

  // The cluster.
  const network = new Network("network", { vpcCidr: cluster.vpcCidr, availabilityZones: cluster.availabilityZones, clusterName, tags });
  const eks = new Cluster(clusterName, {
    config: cluster,
    network: { vpcId: network.vpcId, publicSubnetIds: network.publicSubnetIds, privateSubnetIds: network.privateSubnetIds },
    tags,
  });
  const provider = new k8s.Provider("cluster", { kubeconfig: eks.kubeconfig, enableServerSideApply: true });
  const inCluster = { providers: { kubernetes: provider } };
  const oidc = { oidcProviderArn: eks.oidcProviderArn, oidcProviderUrl: eks.oidcProviderUrl };
  const ebs = new EbsCsiDriver("ebs-csi", { clusterName: eks.clusterName, ...oidc, kmsKeyArn: eks.kmsKeyArn, kubernetesProvider: provider, tags });

  // Add-ons, each pinned (charts/).
  const controllerRole = (name: string, namespace: string, serviceAccount: string, permissions: ReturnType<typeof clusterAutoscalerPolicy>) =>
    irsaRole(name, { ...oidc, namespace, serviceAccount, policy: permissions.policy, unscopedSids: permissions.unscopedSids, tags });
  const chart = (name: string, args: HelmReleaseArgs, dependsOn: pulumi.Resource[] = []) => new HelmRelease(name, args, { ...inCluster, dependsOn });
  chart("nvidia-device-plugin", { chart: nvidiaDevicePlugin.CHART, namespace: nvidiaDevicePlugin.NAMESPACE, values: nvidiaDevicePlugin.values() });
  chart("cluster-autoscaler", {
    chart: autoscaler.CHART,
    namespace: autoscaler.NAMESPACE,
    values: autoscaler.values({
      clusterName,
      region: options.region,
      kubernetesVersion: cluster.kubernetesVersion,
      roleArn: controllerRole("cluster-autoscaler", autoscaler.NAMESPACE, autoscaler.SERVICE_ACCOUNT, clusterAutoscalerPolicy(clusterName)).arn,
    }),
  });
  const albController = chart("aws-load-balancer-controller", {
    chart: loadBalancerController.CHART,
    namespace: loadBalancerController.NAMESPACE,
    values: loadBalancerController.values({
      clusterName,
      region: options.region,
      vpcId: network.vpcId,
      roleArn: controllerRole(
        "aws-load-balancer-controller",
        loadBalancerController.NAMESPACE,
        loadBalancerController.SERVICE_ACCOUNT,
        loadBalancerControllerPolicy(),
      ).arn,
    }),
  });
  chart("metrics-server", { chart: metricsServer.CHART, namespace: metricsServer.NAMESPACE, values: metricsServer.values() });
  const eckRelease = chart("eck-operator", { chart: eckOperator.CHART, namespace: eckOperator.NAMESPACE, values: eckOperator.values() });

  // Every image prod runs comes from our registry (one immutable, scanned ECR repository per
  // image): ours built and pushed, third-party ones copied at their pinned tag; pods run digests.
  // The app namespace first: the CFD case Jobs' objects live in it, and the solver's spec needs their bucket.
  const apps = new k8s.core.v1.Namespace(
    "apps",
    { metadata: { name: APPS_NAMESPACE, labels: { ...labels, "pod-security.kubernetes.io/enforce": "restricted", "pod-security.kubernetes.io/enforce-version": "latest" } } },
    { provider },
  );
  new k8s.networking.v1.NetworkPolicy("apps-default-deny", namespaceDefaultDeny(APPS_NAMESPACE) as k8s.types.input.networking.v1.NetworkPolicy, { provider, dependsOn: [apps] });
  const caseJobs = isEnabled(config, "cfd-solver")
    ? new CaseJobs(
        "cfd-case-jobs",
        { namespace: APPS_NAMESPACE, version: appVersion(config, "cfd-solver"), kmsKeyArn: eks.kmsKeyArn, ...oidc, labels, tags },
        { ...inCluster, dependsOn: [apps] },
      )
    : undefined;
  const specs = appWorkloads(config, {
    otlpEndpoint: OTLP_ENDPOINT,
    gpus: true,
    cfdCaseJobs: caseJobs ? { bucket: caseJobs.bucketName, region: options.region } : undefined,
  });
  const elasticsearchImage = elasticImage("elasticsearch");
  // One repository per distinct image (the three CFD services share one), named after its first service.
  const imageKey = (spec: WorkloadSpec) => `${spec.image.repository}:${spec.image.tag}`;
  const imageOwners = new Map<string, WorkloadSpec>();
  for (const spec of specs) if (spec.kind !== "job" && !imageOwners.has(imageKey(spec))) imageOwners.set(imageKey(spec), spec);
  const registry = new ServiceRegistry("registry", { services: [...[...imageOwners.values()].map((s) => s.name), "elasticsearch"], kmsKeyArn: eks.kmsKeyArn, tags });
  const images = new Map<string, pulumi.Output<string>>();
  const imageFor = (spec: WorkloadSpec): pulumi.Output<string> => {
    // A job runs its server's image: one copy per image, not per workload.
    const key = imageKey(spec);
    if (!images.has(key)) {
      const owner = imageOwners.get(key) ?? spec;
      const repository = registry.repositoryFor(owner.name);
      images.set(
        key,
        spec.image.kind === "build"
          ? pushedImage(`${owner.name}-image`, { repository, context: spec.image.context, dockerfile: spec.image.dockerfile, tag: spec.image.tag, target: spec.image.target, args: spec.image.args }, { parent: registry })
          : mirroredImage(`${owner.name}-image`, { repository, source: spec.image }, { parent: registry }),
      );
    }
    return images.get(key)!;
  };

  // Logs: ECK in `logging`, snapshots to an encrypted, versioned bucket.
  const esTls = new Certificates("elasticsearch-http-tls", {
    dnsNames: [`${ECK_NAMES.elasticsearch}-es-http`, `${ECK_NAMES.elasticsearch}-es-http.${LOGGING_NAMESPACE}.svc`, `${ECK_NAMES.elasticsearch}-es-http.${LOGGING_NAMESPACE}.svc.cluster.local`],
    ipAddresses: [],
  });
  const snapshots = new SnapshotBucket("elasticsearch-snapshots", { kmsKeyArn: eks.kmsKeyArn, ...oidc, serviceAccount: "elasticsearch-snapshots", namespace: LOGGING_NAMESPACE, tags });
  const logging = new EckLogging(
    "logging",
    {
      storageClassName: STORAGE_CLASS,
      snapshotBucket: snapshots.bucketName,
      snapshotRoleArn: snapshots.roleArn,
      kibanaPublicBaseUrl: `https://${publicHost("kibana", config.domain)}`,
      snapshotRetention: { expireAfterDays: cluster.snapshotRetentionDays, minCount: 5, maxCount: 50 },
      elasticsearchNodes: config.workloads.elasticsearch?.replicas ?? 3,
      elasticsearchResources: config.workloads.elasticsearch?.resources,
      httpTls: { caCertPem: esTls.caCertPem, certPem: esTls.certPem, keyPem: esTls.keyPem },
      setupImage: mirroredImage("elasticsearch-image", { repository: registry.repositoryFor("elasticsearch"), source: elasticsearchImage }, { parent: registry }),
      network: { operatorNamespace: eckOperator.NAMESPACE, clientNamespaces: [OBSERVABILITY_NAMESPACE], vpcCidr: cluster.vpcCidr },
    },
    { ...inCluster, dependsOn: [eckRelease, ebs] },
  );

  // Traces, metrics, dashboards in `observability`.
  const observability = new k8s.core.v1.Namespace(
    "observability",
    { metadata: { name: OBSERVABILITY_NAMESPACE, labels: { ...labels, "pod-security.kubernetes.io/enforce": "privileged", "pod-security.kubernetes.io/warn": "restricted" } } },
    { provider },
  );
  const grafanaAdminPassword = new random.RandomPassword("grafana-admin-password", { length: 32, special: false }).result;
  const inObservability = { provider, dependsOn: [observability] };
  new k8s.core.v1.Secret(
    "grafana-admin",
    { metadata: { name: GRAFANA_ADMIN_SECRET, namespace: OBSERVABILITY_NAMESPACE, labels }, stringData: { "admin-user": "admin", "admin-password": grafanaAdminPassword } },
    inObservability,
  );
  // Grafana (read-only logs) and Jaeger (span storage) reach Elasticsearch with their own users and our CA.
  new k8s.core.v1.Secret(
    "elasticsearch-clients",
    {
      metadata: { name: ELASTICSEARCH_CLIENT_SECRET, namespace: OBSERVABILITY_NAMESPACE, labels },
      stringData: {
        "grafana-username": GRAFANA_READER_USER,
        "grafana-password": logging.grafanaReaderPassword,
        "jaeger-username": JAEGER_WRITER_USER,
        "jaeger-password": logging.jaegerWriterPassword,
        "ca.crt": esTls.caCertPem,
      },
    },
    inObservability,
  );
  const secretRef = (key: string) => ({ name: ELASTICSEARCH_CLIENT_SECRET, key });
  const prometheusStack = chart(
    "kube-prometheus-stack",
    {
      chart: kubePrometheusStack.CHART,
      namespace: OBSERVABILITY_NAMESPACE,
      createNamespace: false,
      values: kubePrometheusStack.values({
        grafanaAdmin: { secretName: GRAFANA_ADMIN_SECRET, userKey: "admin-user", passwordKey: "admin-password" },
        jaegerUrl: JAEGER_QUERY,
        elasticsearch: { url: logging.elasticsearchUrl, index: `${LOG_INDEX_PREFIX}-*`, username: secretRef("grafana-username"), password: secretRef("grafana-password"), ca: secretRef("ca.crt") },
        storageClassName: STORAGE_CLASS,
      }),
    },
    [observability, ebs],
  );
  const jaegerRelease = chart(
    "jaeger",
    {
      chart: jaeger.CHART,
      namespace: OBSERVABILITY_NAMESPACE,
      createNamespace: false,
      values: jaeger.values({ elasticsearch: { url: logging.elasticsearchUrl, username: secretRef("jaeger-username"), password: secretRef("jaeger-password"), ca: secretRef("ca.crt") } }),
    },
    [observability, logging],
  );
  chart(
    "opentelemetry-collector",
    {
      chart: otelCollector.CHART,
      namespace: OBSERVABILITY_NAMESPACE,
      createNamespace: false,
      values: otelCollector.values({ jaegerEndpoint: `jaeger.${OBSERVABILITY_NAMESPACE}.svc:4317` }),
    },
    [observability, jaegerRelease],
  );

  // The app workloads: the same specs as dev, with GPUs on the GPU pool.
  const services = specs.filter((s) => s.metrics && s.kind !== "job").map((s) => s.name);
  new ObservabilityObjects("observability-objects", { services }, { ...inCluster, dependsOn: [prometheusStack] });

  const workloads = new Map<string, KubernetesWorkload>();
  for (const spec of specs) {
    const image = imageFor(spec);
    const workload = new KubernetesWorkload(
      spec.name,
      {
        spec,
        image,
        serviceAccountRoleArn: { "cfd-solver": caseJobs?.solverRoleArn, "cfd-postprocessor": caseJobs?.postprocessorRoleArn }[spec.name],
        target: { namespace: APPS_NAMESPACE, replicas: config.workloads[spec.name as WorkloadName]?.replicas ?? 2, labels, storageClass: STORAGE_CLASS },
        network: {
          ...networkPeersFor(spec, specs),
          ingressFromAlb: isPublic(spec),
          observabilityNamespace: OBSERVABILITY_NAMESPACE,
          vpcCidr: cluster.vpcCidr,
          externalEgress: externalEgressFor(spec, cluster.vpcCidr),
        },
        dependsOn: [apps, prometheusStack, ...spec.dependsOn.map((d) => workloads.get(d)!).filter(Boolean)],
      },
      inCluster,
    );
    workloads.set(spec.name, workload);
  }

  // One HTTPS-only ALB for the public APIs and Grafana (its own login; Kibana and Jaeger stay internal).
  const publicApps = specs.filter(isPublic);
  // Behind the edge, the ALB takes connections from Cloudflare only (every Ingress of the group says so).
  const originCidrs = config.edge ? cloudflareEdgeCidrs() : undefined;
  const ingress = (name: string, namespace: string, hosts: { host: string; service: string; port: number | string }[], dependsOn: pulumi.Resource[]) => {
    const object = albIngress({ name, namespace, hosts, certificateArn: cluster.ingressCertificateArn, groupName: clusterName, labels });
    const annotations = originCidrs ? { ...object.metadata!.annotations, [ALB_INBOUND_CIDRS]: originCidrs.apply((cidrs) => cidrs.join(",")) } : object.metadata!.annotations;
    return new k8s.networking.v1.Ingress(name, { ...object, metadata: { ...object.metadata, annotations } } as k8s.types.input.networking.v1.Ingress, {
      provider,
      dependsOn: [albController, ...dependsOn],
    });
  };
  if (publicApps.length > 0) {
    ingress("apps", APPS_NAMESPACE, publicApps.map((s) => ({ host: publicHost(s.name, config.domain), service: s.name, port: "http" })), [apps]);
  }
  const grafanaIngress = ingress("grafana", OBSERVABILITY_NAMESPACE, [{ host: publicHost("grafana", config.domain), service: "kube-prometheus-stack-grafana", port: 80 }], [prometheusStack]);

  // The Cloudflare edge in front of the ALB (issue 9): every public host proxied to it, the API Worker, admin UIs behind Access.
  const edge = config.edge
    ? new CloudflareEdge("edge", {
        zoneId: config.edge.zoneId,
        accountId: config.edge.accountId,
        scriptName: `${clusterName}-api`,
        // Every Ingress of the group shares the one ALB; the provider waits until it has an address.
        originHostname: grafanaIngress.status.apply((status) => status?.loadBalancer?.ingress?.[0]?.hostname),
        apiHost: publicHost(config.edge.apiHost, config.domain),
        services: Object.fromEntries(publicApps.map((s) => [s.name, publicHost(s.name, config.domain)])),
        adminUis: Object.fromEntries(config.edge.expose.map((ui) => [ui, publicHost(ui, config.domain)])),
        access: config.edge.access,
        hsts: config.edge.hsts,
        rateLimit: config.edge.rateLimit,
        originTimeoutMs: config.edge.originTimeoutMs,
      })
    : undefined;

  return {
    kubeconfig: pulumi.secret(eks.kubeconfig),
    clusterName: eks.clusterName,
    urls: {
      ...Object.fromEntries(publicApps.map((s) => [s.name, `https://${publicHost(s.name, config.domain)}`])),
      grafana: `https://${publicHost("grafana", config.domain)}`,
    },
    /** Reached with `kubectl port-forward` (not exposed to the internet). */
    internal: {
      kibana: `https://${logging.kibanaService}`,
      jaeger: JAEGER_QUERY,
      prometheus: `http://kube-prometheus-stack-prometheus.${OBSERVABILITY_NAMESPACE}.svc:9090`,
      elasticsearch: logging.elasticsearchUrl,
    },
    grafanaAdminUser: "admin",
    grafanaAdminPassword: pulumi.secret(grafanaAdminPassword),
    elasticsearchSnapshotBucket: snapshots.bucketName,
    repositories: registry.repositoryUrls,
    ...(edge ? { edge: { apiBaseUrl: edge.apiBaseUrl, workerScript: edge.workerScriptName, adminUrls: edge.adminUrls } } : {}),
  };
}
