import { evaluateStack, unsecret, type Captured, type Evaluation } from "./mocks";
import { PUBLIC_APIS, hostsOf } from "./apps";
import { readStackFile } from "./stack-file";
import { KUBERNETES_RUNNER_ENV } from "../services/cfd/src/kubernetes/settings";

/** Captured inputs with Pulumi's secret wrappers removed, deeply: what the API server would get. */
function plain(value: unknown): any {
  const v = unsecret(value);
  if (Array.isArray(v)) return v.map(plain);
  if (typeof v === "object" && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

/** The kubernetes-models class for a built-in kind, or undefined for custom resources. */
function modelFor(apiVersion: string, kind: string): (new (data: unknown) => { validate(): void }) | undefined {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  const path = group === "" ? `kubernetes-models/${version}/${kind}` : `kubernetes-models/${group}/${version}/${kind}`;
  try {
    return require(path)[kind];
  } catch {
    return undefined;
  }
}

const POD_OWNERS = ["kubernetes:apps/v1:Deployment", "kubernetes:apps/v1:StatefulSet", "kubernetes:batch/v1:Job"];

/** Every long-running app workload in the `abode` namespace. */
const APP_SERVICES = [...PUBLIC_APIS, "ollama", "paraview"].sort();
/** Workloads whose state lives on one pod's ReadWriteOnce volume: one replica each. */
const SINGLE_REPLICA = ["cfd-mesher", "cfd-postprocessor", "cfd-solver", "gen3d", "rag"];
/** Workloads that get a GPU (and only run on the GPU pool). */
const GPU_WORKLOADS = ["ai-parsing", "ollama"];
/** What prod's CFD services have over dev's: cases run as Jobs and meet in S3, not on one shared volume. */
const PROD_ONLY_ENV: Record<string, string[]> = {
  "cfd-solver": Object.values(KUBERNETES_RUNNER_ENV),
  "cfd-postprocessor": ["POST_CASE_SOURCE", KUBERNETES_RUNNER_ENV.bucket, KUBERNETES_RUNNER_ENV.region],
};

describe("the prod stack, evaluated from Pulumi.prod.yaml", () => {
  let prod: Evaluation;
  let dev: Evaluation;
  const ofType = (type: string) => prod.resources.filter((r) => r.type === type);
  const one = (type: string, name?: string): Captured => {
    const found = ofType(type).filter((r) => name === undefined || r.name === name);
    if (found.length !== 1) throw new Error(`expected one ${type} ${name ?? ""}, found ${found.map((f) => f.name).join(", ") || "none"}`);
    return found[0]!;
  };
  const k8sObjects = () => prod.resources.filter((r) => r.type.startsWith("kubernetes:") && !r.type.startsWith("kubernetes:helm.sh") && r.inputs.kind);
  const podOwners = () => prod.resources.filter((r) => POD_OWNERS.includes(r.type));
  const podSpec = (owner: Captured) => plain(owner.inputs).spec.template.spec;

  beforeAll(async () => {
    prod = await evaluateStack(readStackFile("prod"), "prod");
    if (prod.error) throw prod.error;
    dev = await evaluateStack(readStackFile("dev"), "dev");
    if (dev.error) throw dev.error;
  });

  describe("the cluster", () => {
    it("spreads a VPC over 3 AZs: private subnets for nodes, public ones for load balancers, a NAT per AZ", () => {
      const subnets = ofType("aws:ec2/subnet:Subnet").map((s) => s.inputs);
      expect(subnets.filter((s) => s.tags["kubernetes.io/role/internal-elb"] === "1")).toHaveLength(3);
      expect(subnets.filter((s) => s.tags["kubernetes.io/role/elb"] === "1")).toHaveLength(3);
      expect(new Set(subnets.map((s) => s.availabilityZone)).size).toBe(3);
      for (const s of subnets) expect(s.mapPublicIpOnLaunch).toBeFalsy();
      expect(ofType("aws:ec2/natGateway:NatGateway")).toHaveLength(3);
    });

    it("builds EKS with @pulumi/eks: private endpoint, KMS envelope encryption with rotation, audit logs, IRSA, protected", () => {
      const eks = one("eks:index:Cluster");
      expect(eks.inputs).toMatchObject({ endpointPrivateAccess: true, endpointPublicAccess: false, createOidcProvider: true, version: "1.33" });
      expect(eks.inputs.enabledClusterLogTypes).toContain("audit");
      expect(eks.inputs.encryptionConfigKeyArn).toMatch(/^arn:aws:kms:/);
      expect(eks.inputs.vpcCniOptions).toMatchObject({ enableNetworkPolicy: true });
      expect(eks.protect && eks.retainOnDelete).toBe(true);
      const key = one("aws:kms/key:Key");
      expect(key.inputs.enableKeyRotation).toBe(true);
      expect(key.protect && key.retainOnDelete).toBe(true);
    });

    it("has the four typed pools: GPU on NVIDIA AL2023 and tainted, CFD on spot and tainted, both from zero", () => {
      const groups = Object.fromEntries(ofType("eks:index:ManagedNodeGroup").map((g) => [g.inputs.labels["abode.io/pool"], g.inputs]));
      expect(Object.keys(groups).sort()).toEqual(["cfd", "general", "gpu", "system"]);
      expect(groups.gpu).toMatchObject({ amiType: "AL2023_x86_64_NVIDIA", taints: [{ key: "nvidia.com/gpu", value: "true", effect: "NO_SCHEDULE" }], scalingConfig: { minSize: 0, maxSize: 4 } });
      expect(groups.cfd).toMatchObject({ capacityType: "SPOT", taints: [{ key: "workload", value: "cfd", effect: "NO_SCHEDULE" }], scalingConfig: { minSize: 0, maxSize: 8 } });
      expect(groups.system.capacityType).toBe("ON_DEMAND");
      expect(groups.general.taints ?? []).toEqual([]);
    });

    it("requires IMDSv2 and encrypted root volumes on every node, without public IPs", () => {
      const templates = ofType("aws:ec2/launchTemplate:LaunchTemplate").map((t) => t.inputs);
      expect(templates).toHaveLength(4);
      for (const t of templates) {
        expect(t.metadataOptions).toMatchObject({ httpTokens: "required" });
        expect(t.blockDeviceMappings[0].ebs).toMatchObject({ encrypted: "true", volumeType: "gp3" });
        for (const ni of t.networkInterfaces ?? []) expect(ni.associatePublicIpAddress).not.toBe("true");
      }
    });

    it("scopes each controller's IAM role to its own service account", () => {
      const trust = (name: string) => JSON.parse(one("aws:iam/role:Role", name).inputs.assumeRolePolicy).Statement[0].Condition.StringEquals;
      expect(Object.values(trust("cluster-autoscaler"))).toContain("system:serviceaccount:kube-system:cluster-autoscaler");
      expect(Object.values(trust("aws-load-balancer-controller"))).toContain("system:serviceaccount:kube-system:aws-load-balancer-controller");
    });
  });

  describe("add-ons", () => {
    it("installs every chart pinned to an exact version", () => {
      const releases = ofType("kubernetes:helm.sh/v3:Release").map((r) => r.inputs);
      expect(releases.map((r) => r.chart).sort()).toEqual(
        ["aws-load-balancer-controller", "cluster-autoscaler", "eck-operator", "jaeger", "kube-prometheus-stack", "metrics-server", "nvidia-device-plugin", "opentelemetry-collector"].sort(),
      );
      for (const r of releases) {
        expect(r.version).toMatch(/^\d+\.\d+\.\d+$/);
        expect(r.repositoryOpts.repo).toMatch(/^https:\/\//);
      }
    });

    it("gives EBS CSI an IRSA role and makes encrypted gp3 the default storage class", () => {
      expect(one("aws:eks/addon:Addon").inputs).toMatchObject({ addonName: "aws-ebs-csi-driver" });
      const sc = one("kubernetes:storage.k8s.io/v1:StorageClass").inputs;
      expect(sc).toMatchObject({ provisioner: "ebs.csi.aws.com", parameters: { type: "gp3", encrypted: "true" } });
      expect(sc.metadata.annotations["storageclass.kubernetes.io/is-default-class"]).toBe("true");
    });

    it("has no literal password in any chart's values", () => {
      const values = JSON.stringify(ofType("kubernetes:helm.sh/v3:Release").map((r) => plain(r.inputs.values)));
      expect(values).not.toMatch(/generated-/);
      expect(values).not.toMatch(/"(admin)?[Pp]assword"\s*:\s*"[^"$]/);
    });
  });

  describe("workloads", () => {
    it("declares Kubernetes objects that all validate against the schema", () => {
      const checked: string[] = [];
      for (const r of k8sObjects()) {
        const Model = modelFor(r.inputs.apiVersion, r.inputs.kind);
        if (!Model) continue; // custom resources (ECK, ServiceMonitor, PrometheusRule)
        expect(() => new Model(plain(r.inputs)).validate()).not.toThrow();
        checked.push(r.inputs.kind);
      }
      expect(new Set(checked)).toEqual(
        new Set(["Namespace", "Secret", "NetworkPolicy", "StorageClass", "ServiceAccount", "ConfigMap", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "Service", "Deployment", "StatefulSet", "Job", "PodDisruptionBudget", "HorizontalPodAutoscaler", "Ingress"]),
      );
    });

    it("has every selector match the pod template it is meant for", () => {
      const templates = podOwners().map((o) => ({ ns: o.inputs.metadata.namespace, labels: plain(o.inputs).spec.template.metadata.labels }));
      const selects = (ns: string, selector: Record<string, string>) =>
        templates.some((t) => t.ns === ns && Object.entries(selector).every(([k, v]) => t.labels[k] === v));
      for (const owner of podOwners().filter((o) => o.type !== "kubernetes:batch/v1:Job")) {
        const spec = plain(owner.inputs).spec;
        expect(spec.template.metadata.labels).toMatchObject(spec.selector.matchLabels);
      }
      for (const svc of ofType("kubernetes:core/v1:Service")) expect(selects(svc.inputs.metadata.namespace, svc.inputs.spec.selector)).toBe(true);
      for (const pdb of ofType("kubernetes:policy/v1:PodDisruptionBudget")) expect(selects(pdb.inputs.metadata.namespace, pdb.inputs.spec.selector.matchLabels)).toBe(true);
      for (const hpa of ofType("kubernetes:autoscaling/v2:HorizontalPodAutoscaler")) {
        const target = hpa.inputs.spec.scaleTargetRef;
        expect(podOwners().some((o) => o.inputs.kind === target.kind && o.inputs.metadata.name === target.name)).toBe(true);
        expect(hpa.inputs.spec.minReplicas).toBeGreaterThanOrEqual(2);
      }
    });

    it("runs every app pod restricted, with probes and limits, at least 2 replicas spread over zones (one, documented, where a volume pins the state)", () => {
      const services = podOwners().filter((o) => o.type !== "kubernetes:batch/v1:Job");
      expect(services.map((s) => s.inputs.metadata.name).sort()).toEqual(APP_SERVICES);
      for (const owner of services) {
        const pod = podSpec(owner);
        const name = owner.inputs.metadata.name;
        // Workloads whose state lives on one pod's volume run one replica, saying why (a documented policy exemption).
        const exemption = owner.inputs.metadata.annotations?.["policy.abode.io/exempt-kubernetes-apps-deployment-require-min-replicas"];
        const replicas = plain(owner.inputs).spec.replicas;
        if (SINGLE_REPLICA.includes(name)) expect(replicas).toBe(1);
        else expect(replicas).toBeGreaterThanOrEqual(2);
        expect(exemption !== undefined).toBe(SINGLE_REPLICA.includes(name));
        expect(ofType("kubernetes:autoscaling/v2:HorizontalPodAutoscaler").some((h) => h.inputs.metadata.name === name)).toBe(!SINGLE_REPLICA.includes(name));
        // Only the CFD solver talks to the Kubernetes API (it runs cases as Jobs, with a Role of its own).
        expect(pod.automountServiceAccountToken).toBe(owner.inputs.metadata.name === "cfd-solver");
        expect(pod.topologySpreadConstraints.map((t: any) => t.topologyKey)).toContain("topology.kubernetes.io/zone");
        for (const c of pod.containers) {
          expect(c.securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, seccompProfile: { type: "RuntimeDefault" } });
          expect(c.livenessProbe).toBeDefined();
          expect(c.readinessProbe).toBeDefined();
          expect(c.resources.limits).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
        }
        expect(plain(owner.inputs).spec.template.metadata.annotations["checksum/config"]).toMatch(/^[a-f0-9]{64}$/);
      }
    });

    it("places GPU work only on the GPU pool and nothing else there; only Filebeat tolerates every pool", () => {
      for (const owner of podOwners()) {
        const pod = podSpec(owner);
        const tolerated = (pod.tolerations ?? []).map((t: any) => t.key);
        const gpuLimit = pod.containers.some((c: any) => c.resources?.limits?.["nvidia.com/gpu"]);
        const isGpu = GPU_WORKLOADS.includes(owner.inputs.metadata.name);
        expect({ name: owner.inputs.metadata.name, gpu: gpuLimit, tolerates: tolerated.includes("nvidia.com/gpu"), cfd: tolerated.includes("workload") }).toEqual({
          name: owner.inputs.metadata.name,
          gpu: isGpu,
          tolerates: isGpu,
          cfd: false,
        });
        if (isGpu) expect(pod.nodeSelector).toEqual({ "abode.io/pool": "gpu" });
      }
      const filebeat = plain(one("kubernetes:beat.k8s.elastic.co/v1beta1:Beat").inputs);
      const keys = filebeat.spec.daemonSet.podTemplate.spec.tolerations.map((t: any) => t.key);
      expect(keys).toEqual(expect.arrayContaining(["nvidia.com/gpu", "workload"]));
    });

    it("denies all traffic in the apps namespace by default and gives each workload its own policy", () => {
      const policies = ofType("kubernetes:networking.k8s.io/v1:NetworkPolicy").map((p) => p.inputs);
      const deny = policies.find((p) => p.spec.podSelector && Object.keys(p.spec.podSelector).length === 0);
      expect(deny).toMatchObject({ metadata: { namespace: "abode" }, spec: { policyTypes: ["Ingress", "Egress"] } });
      for (const owner of podOwners().filter((o) => o.inputs.metadata.namespace === "abode")) {
        expect(policies.some((p) => p.spec.podSelector.matchLabels?.["app.kubernetes.io/name"] === owner.inputs.metadata.name)).toBe(true);
      }
    });

    it("enters through one HTTPS-only ALB with the configured certificate", () => {
      const ingresses = ofType("kubernetes:networking.k8s.io/v1:Ingress").map((i) => i.inputs);
      const groups = new Set(ingresses.map((i) => i.metadata.annotations["alb.ingress.kubernetes.io/group.name"]));
      expect(groups.size).toBe(1);
      for (const i of ingresses) {
        expect(i.spec.ingressClassName).toBe("alb");
        expect(i.metadata.annotations["alb.ingress.kubernetes.io/listen-ports"]).toBe('[{"HTTPS":443}]');
        expect(i.metadata.annotations["alb.ingress.kubernetes.io/certificate-arn"]).toMatch(/^arn:aws:acm:/);
        expect(i.spec.tls[0].hosts).toEqual(i.spec.rules.map((r: any) => r.host));
      }
      expect(ingresses.flatMap((i) => i.spec.rules.map((r: any) => r.host)).sort()).toEqual(hostsOf([...PUBLIC_APIS, "grafana"], "abode.example.com"));
    });

    it("runs only images from our scanned, immutable, protected ECR repositories, by digest", () => {
      const repos = ofType("aws:ecr/repository:Repository");
      // One per distinct image: the three CFD services share the solver's.
      const images = [...APP_SERVICES.filter((n) => n !== "cfd-mesher" && n !== "cfd-postprocessor"), "elasticsearch"];
      expect(repos.map((r) => r.inputs.name).sort()).toEqual(images.map((n) => `abode/${n}`).sort());
      for (const repo of repos) {
        expect(repo.inputs).toMatchObject({ imageTagMutability: "IMMUTABLE", imageScanningConfiguration: { scanOnPush: true } });
        expect(repo.protect && repo.retainOnDelete).toBe(true);
      }
      const builds = Object.fromEntries(ofType("docker:index/image:Image").map((i) => [i.name, i.inputs]));
      expect(builds["ai-lighting-image"]).toMatchObject({ skipPush: false, build: { dockerfile: "services/Dockerfile", args: { SERVICE: "ai-lighting", PORT: "8005" } } });
      // Third-party images are copied at their pinned tag, never rebuilt from anything else.
      expect(builds["ollama-image"]).toMatchObject({ build: { dockerfile: "components/cluster/mirror/Dockerfile", args: { SOURCE: "ollama/ollama:0.12.10" } } });
      expect(builds["elasticsearch-image"].build.args.SOURCE).toBe("docker.elastic.co/elasticsearch/elasticsearch:8.19.19");
      for (const owner of podOwners()) {
        for (const c of podSpec(owner).containers) expect(c.image).toMatch(/^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com\/abode\/[a-z0-9-]+@sha256:[a-f0-9]{64}$/);
      }
    });
  });

  describe("logs, traces and metrics", () => {
    it("runs Elasticsearch on 3 protected nodes with encrypted gp3 volumes and our TLS certificate", () => {
      const es = one("kubernetes:elasticsearch.k8s.elastic.co/v1:Elasticsearch");
      const spec = plain(es.inputs).spec;
      expect(spec.nodeSets[0].count).toBe(3);
      expect(spec.nodeSets[0].volumeClaimTemplates[0].spec.storageClassName).toBe("gp3");
      expect(spec.http.tls.certificate.secretName).toBe("elasticsearch-http-tls");
      expect(es.protect && es.retainOnDelete).toBe(true);
    });

    it("snapshots to an encrypted, versioned, private bucket, protected", () => {
      const bucket = one("aws:s3/bucket:Bucket", "elasticsearch-snapshots-bucket");
      expect(bucket.protect && bucket.retainOnDelete).toBe(true);
      const ofBucket = (type: string) => ofType(type).find((r) => r.name.startsWith("elasticsearch-snapshots"))!;
      expect(ofBucket("aws:s3/bucketVersioning:BucketVersioning").inputs.versioningConfiguration.status).toBe("Enabled");
      expect(ofBucket("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").inputs.rules[0].applyServerSideEncryptionByDefault.sseAlgorithm).toBe("aws:kms");
      expect(ofBucket("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs).toMatchObject({ blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
    });

    it("alerts with the same rules as dev, as a PrometheusRule", () => {
      const rule = plain(one("kubernetes:monitoring.coreos.com/v1:PrometheusRule").inputs);
      const alerts = rule.spec.groups.flatMap((g: any) => g.rules.map((r: any) => `${r.labels.service}:${r.alert}`)).sort();
      expect(alerts).toEqual(PUBLIC_APIS.flatMap((n) => [`${n}:High5xxRatio`, `${n}:HighP99Latency`, `${n}:TargetDown`]).sort());
    });

    it("feeds the collector chart the dev collector pipeline, to the in-cluster Jaeger", () => {
      const otel = one("kubernetes:helm.sh/v3:Release", "opentelemetry-collector").inputs;
      expect(JSON.stringify(otel.values.config.exporters)).toContain("jaeger.observability.svc:4317");
      expect(otel.values.config.service.pipelines.traces.processors).toEqual(["memory_limiter", "batch"]);
    });
  });

  it("outputs the kubeconfig as a secret, the public URLs and the dashboards' addresses", () => {
    expect(prod.outputs.urls).toEqual(Object.fromEntries([...PUBLIC_APIS, "grafana"].map((n) => [n, `https://${n}.abode.example.com`])));
    expect(prod.outputs.internal.kibana).toMatch(/^https:\/\/.*logging\.svc:5601$/);
    expect(prod.outputs.kubeconfig).toBeDefined();
  });

  it("runs CFD cases as Jobs: the solver alone holds an API token, bound to its Role; both CFD services reach the bucket through IRSA", () => {
    const account = (name: string) => plain(ofType("kubernetes:core/v1:ServiceAccount").find((r) => r.inputs.metadata.name === name && r.inputs.metadata.namespace === "abode")!.inputs);
    for (const name of ["cfd-solver", "cfd-postprocessor"]) {
      expect(account(name).metadata.annotations["eks.amazonaws.com/role-arn"]).toMatch(/^arn:aws:iam::\d{12}:role\//);
    }
    expect(account("cfd-solver").automountServiceAccountToken).toBe(true);
    expect(account("cfd-postprocessor").automountServiceAccountToken).toBe(false);
    const binding = plain(one("kubernetes:rbac.authorization.k8s.io/v1:RoleBinding").inputs);
    expect(binding).toMatchObject({ roleRef: { kind: "Role", name: "cfd-solver-case-jobs" }, subjects: [{ kind: "ServiceAccount", name: "cfd-solver", namespace: "abode" }] });
    // Out: the API endpoint inside the VPC (it holds the token) and S3/STS outside it, both on 443.
    const policy = plain(ofType("kubernetes:networking.k8s.io/v1:NetworkPolicy").find((r) => r.inputs.metadata.name === "cfd-solver")!.inputs);
    const blocks = policy.spec.egress.flatMap((e: any) => (e.to ?? []).filter((t: any) => t.ipBlock).map((t: any) => [t.ipBlock.cidr, e.ports.map((p: any) => p.port)]));
    expect(blocks).toEqual([
      ["0.0.0.0/0", [443]],
      ["10.40.0.0/16", [443]],
    ]);
    const solver = podOwners().find((o) => o.inputs.metadata.name === "cfd-solver")!;
    const env = Object.fromEntries(podSpec(solver).containers[0].env.map((e: any) => [e.name, e.value]));
    expect(env).toMatchObject({ CFD_RUNNER: "kubernetes", CFD_JOB_POOL_SELECTOR: "abode.io/pool=cfd", CFD_S3_REGION: "eu-west-1" });
  });

  it("runs every app workload of dev with the same image, ports and environment keys", () => {
    const devContainers = dev.resources.filter((r) => r.type === "docker:index/container:Container");
    for (const owner of podOwners().filter((o) => o.inputs.metadata.namespace === "abode")) {
      const name = owner.inputs.metadata.name;
      const container = podSpec(owner).containers[0];
      const twin = devContainers.find((c) => c.inputs.name === `abode-dev-${name}`)!;
      expect(twin).toBeDefined();
      const devEnvKeys = (unsecret(twin.inputs.envs) as string[]).map((e) => e.split("=")[0]).sort();
      const prodOnly = PROD_ONLY_ENV[name] ?? [];
      expect((container.env ?? []).map((e: any) => e.name).filter((k: string) => !prodOnly.includes(k)).sort()).toEqual(devEnvKeys);
      expect((container.ports ?? []).map((p: any) => p.containerPort).sort()).toEqual((twin.inputs.ports ?? []).map((p: any) => p.internal).sort());
      // The same image: dev pulls the pinned tag (or builds the Dockerfile), prod runs our registry's copy of it.
      const devPulled = dev.resources.find((r) => r.type === "docker:index/remoteImage:RemoteImage" && twin.inputs.image === `sha256:${r.name}`);
      const source = name.startsWith("cfd-") ? "cfd" : name;
      const devBuilt = dev.resources.find((r) => r.type === "docker:index/image:Image" && r.inputs.imageName.startsWith(`abode/${source}:`));
      const imageOwner = name === "ollama-pull" ? "ollama" : name.startsWith("cfd-") ? "cfd-solver" : name;
      const prodBuild = prod.resources.find((r) => r.type === "docker:index/image:Image" && r.name === `${imageOwner}-image`)!;
      if (devPulled) expect(prodBuild.inputs.build.args.SOURCE).toBe(devPulled.inputs.name);
      // The same recipe and arguments (only the stage may differ: AI parsing's CUDA stage on the GPU pool).
      else {
        expect(prodBuild.inputs.build.dockerfile).toBe(devBuilt!.inputs.build.dockerfile);
        expect(prodBuild.inputs.build.args).toEqual(devBuilt!.inputs.build.args);
      }
      expect(container.image).toMatch(new RegExp(`/abode/${imageOwner}@sha256:`));
    }
  });
});
