import type { AuditPolicy } from "../core/policy";
import { KUBERNETES_POLICIES } from "./index";
import { asResource, runPolicies } from "./testing";

/**
 * Every policy against a compliant baseline (a prod-ready namespace: Deployment, Job, their
 * ServiceAccount, Service, HPA, PDB, NetworkPolicy, ConfigMap, Ingress, RBAC), then the baseline
 * mutated one field per case, as in pulumi/compliance-policies.
 */
const ECR = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";
const DIGEST = `sha256:${"a".repeat(64)}`;
const LABELS = { "app.kubernetes.io/name": "api", "app.kubernetes.io/instance": "api" };

function secureContainer(name: string, extra: Record<string, any> = {}) {
  return {
    name,
    image: `${ECR}/abode/${name}:1.0.0`,
    resources: { requests: { cpu: "250m", memory: "256Mi" }, limits: { cpu: "1", memory: "0.5Gi" } },
    securityContext: {
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"] },
    },
    ...extra,
  };
}

function podSpec(): Record<string, any> {
  return {
    serviceAccountName: "api",
    automountServiceAccountToken: false,
    securityContext: { runAsNonRoot: true, runAsUser: 1000, fsGroup: 1000, seccompProfile: { type: "RuntimeDefault" } },
    topologySpreadConstraints: [{ maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule", labelSelector: { matchLabels: { ...LABELS } } }],
    initContainers: [secureContainer("migrate", { image: `docker.io/library/busybox:1.36@${DIGEST}` })],
    containers: [
      secureContainer("api", {
        ports: [
          { name: "http", containerPort: 8080 },
          { name: "metrics", containerPort: 9090 },
        ],
        env: [
          { name: "LOG_LEVEL", value: "info" },
          { name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "api-secrets", key: "db-password" } } },
          { name: "AWS_WEB_IDENTITY_TOKEN_FILE", value: "/var/run/secrets/token" },
          { name: "MAX_TOKENS", value: "4096" },
        ],
        livenessProbe: { httpGet: { path: "/healthz", port: "http" } },
        readinessProbe: { httpGet: { path: "/readyz", port: 8080 } },
        volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
      }),
    ],
    volumes: [
      { name: "tmp", emptyDir: {} },
      { name: "config", configMap: { name: "api-config" } },
    ],
  };
}

function baseline(): Record<string, any>[] {
  const meta = (name: string) => ({ name, namespace: "app", labels: { ...LABELS } });
  return [
    { apiVersion: "v1", kind: "ServiceAccount", metadata: meta("api"), automountServiceAccountToken: false },
    {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: meta("api"),
      spec: {
        replicas: 2,
        selector: { matchLabels: { ...LABELS } },
        strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
        template: { metadata: { labels: { ...LABELS, "app.kubernetes.io/part-of": "abode" } }, spec: podSpec() },
      },
    },
    {
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: meta("setup"),
      spec: {
        ttlSecondsAfterFinished: 3600,
        template: {
          metadata: { labels: { "app.kubernetes.io/name": "setup" } },
          spec: { ...podSpec(), topologySpreadConstraints: undefined, restartPolicy: "OnFailure", containers: [secureContainer("setup")] },
        },
      },
    },
    { apiVersion: "v1", kind: "Service", metadata: meta("api"), spec: { type: "ClusterIP", selector: { ...LABELS }, ports: [{ name: "http", port: 80, targetPort: "http" }] } },
    {
      apiVersion: "autoscaling/v2",
      kind: "HorizontalPodAutoscaler",
      metadata: meta("api"),
      spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "api" }, minReplicas: 2, maxReplicas: 6 },
    },
    { apiVersion: "policy/v1", kind: "PodDisruptionBudget", metadata: meta("api"), spec: { maxUnavailable: 1, selector: { matchLabels: { ...LABELS } } } },
    { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name: "default-deny-all", namespace: "app" }, spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] } },
    { apiVersion: "v1", kind: "ConfigMap", metadata: meta("api-config"), data: { "app.yaml": "port: 8080\n", "public.key": "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n" } },
    {
      apiVersion: "networking.k8s.io/v1",
      kind: "Ingress",
      metadata: meta("public"),
      spec: {
        tls: [{ hosts: ["api.example.com", "*.apps.example.com"] }],
        rules: [
          { host: "api.example.com", http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "api", port: { number: 80 } } } }] } },
          { host: "ui.apps.example.com", http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "api", port: { name: "http" } } } }] } },
        ],
      },
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: { name: "pod-reader" },
      rules: [{ apiGroups: [""], resources: ["pods", "namespaces"], verbs: ["get", "list", "watch"] }],
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name: "pod-reader" },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "pod-reader" },
      subjects: [{ kind: "ServiceAccount", name: "api", namespace: "app" }],
    },
  ];
}

const PROD = { prod: true };
type Objects = Record<string, any>[];
const byKind = (objects: Objects, kind: string, name?: string) => objects.find((o) => o.kind === kind && (name === undefined || o.metadata?.name === name))!;
const deployment = (o: Objects) => byKind(o, "Deployment");
const pod = (o: Objects) => deployment(o).spec.template.spec;
const api = (o: Objects) => pod(o).containers[0];
const init = (o: Objects) => pod(o).initContainers[0];

function policy(name: string): AuditPolicy {
  const p = KUBERNETES_POLICIES.find((x) => x.name === name);
  if (!p) throw new Error(`no policy ${name}`);
  return p;
}

function findings(name: string, mutate?: (objects: Objects) => void, config: Record<string, unknown> = PROD): string[] {
  const objects = baseline();
  mutate?.(objects);
  return runPolicies([policy(name)], objects.map((o) => asResource(o)), config).map((f) => f.message);
}

test("the baseline is compliant with every policy (prod settings)", () => {
  const all = runPolicies(KUBERNETES_POLICIES, baseline().map((o) => asResource(o)), PROD);
  expect(all.map((f) => `${f.policy}: ${f.message}`)).toEqual([]);
});

test("every policy is well-formed and named after its file", () => {
  const fs = require("node:fs") as typeof import("node:fs");
  const files = fs.readdirSync(__dirname).filter((f: string) => /^kubernetes-.*\.ts$/.test(f) && !f.endsWith(".test.ts")).map((f: string) => f.replace(/\.ts$/, ""));
  expect(KUBERNETES_POLICIES.map((p) => p.name).sort()).toEqual(files.sort());
  for (const p of KUBERNETES_POLICIES) {
    expect(p.name).toMatch(/^kubernetes-[a-z0-9.]+-[a-z0-9]+-(disallow|require|restrict|disable|enable)-[a-z0-9-]+$/);
    expect(["security", "reliability", "cost"]).toContain(p.pack);
    expect(p.description.length).toBeGreaterThan(60);
    expect(p.remediation.length).toBeGreaterThan(30);
    for (const f of p.frameworks) expect(f).toMatch(/^(pss:(baseline|restricted):[A-Za-z_]+|cis-eks:\d+\.\d+\.\d+|kube-linter:[a-z0-9-]+|polaris:[A-Za-z]+)$/);
  }
});

/** [policy, case, mutation, expected message fragment] */
const VIOLATIONS: [string, string, (o: Objects) => void, string][] = [
  // Pod Security Standards, baseline
  ["kubernetes-core-pod-disallow-privileged-containers", "privileged init container", (o) => (init(o).securityContext.privileged = true), 'init container "migrate": spec.template.spec.initContainers[0].securityContext.privileged is true'],
  ["kubernetes-core-pod-disallow-host-namespaces", "hostNetwork", (o) => (pod(o).hostNetwork = true), "spec.template.spec.hostNetwork is true"],
  ["kubernetes-core-pod-disallow-host-namespaces", "hostPID", (o) => (pod(o).hostPID = true), "spec.template.spec.hostPID is true"],
  ["kubernetes-core-pod-disallow-host-namespaces", "hostIPC", (o) => (pod(o).hostIPC = true), "spec.template.spec.hostIPC is true"],
  ["kubernetes-core-pod-disallow-host-ports", "hostPort", (o) => (api(o).ports[1].hostPort = 9090), 'container "api": spec.template.spec.containers[0].ports[1].hostPort is 9090'],
  ["kubernetes-core-pod-disallow-host-path-volumes", "hostPath", (o) => pod(o).volumes.push({ name: "logs", hostPath: { path: "/var/log" } }), 'volumes[2] "logs" is a hostPath volume (path "/var/log")'],
  ["kubernetes-core-pod-restrict-added-capabilities", "NET_ADMIN", (o) => (api(o).securityContext.capabilities.add = ["NET_ADMIN"]), 'capabilities.add[0] is "NET_ADMIN"'],
  ["kubernetes-core-pod-restrict-added-capabilities", "CAP_ prefix", (o) => (api(o).securityContext.capabilities.add = ["CAP_CHOWN"]), '"CAP_CHOWN"'],
  ["kubernetes-core-pod-disallow-unconfined-seccomp", "container Unconfined", (o) => (api(o).securityContext.seccompProfile = { type: "Unconfined" }), 'containers[0].securityContext.seccompProfile.type is "Unconfined"'],
  ["kubernetes-core-pod-restrict-apparmor-profile", "annotation unconfined", (o) => (deployment(o).spec.template.metadata.annotations = { "container.apparmor.security.beta.kubernetes.io/api": "unconfined" }), 'spec.template.metadata.annotations["container.apparmor.security.beta.kubernetes.io/api"] is "unconfined"'],
  ["kubernetes-core-pod-restrict-apparmor-profile", "field Unconfined", (o) => (pod(o).securityContext.appArmorProfile = { type: "Unconfined" }), 'spec.template.spec.securityContext.appArmorProfile.type is "Unconfined"'],
  ["kubernetes-core-pod-restrict-selinux-options", "custom type", (o) => (api(o).securityContext.seLinuxOptions = { type: "spc_t" }), 'seLinuxOptions.type is "spc_t"'],
  ["kubernetes-core-pod-restrict-selinux-options", "user", (o) => (pod(o).securityContext.seLinuxOptions = { user: "system_u" }), 'spec.template.spec.securityContext.seLinuxOptions.user is "system_u"'],
  ["kubernetes-core-pod-disallow-unmasked-proc-mount", "Unmasked", (o) => (api(o).securityContext.procMount = "Unmasked"), 'procMount is "Unmasked"'],
  ["kubernetes-core-pod-restrict-sysctls", "unsafe sysctl", (o) => (pod(o).securityContext.sysctls = [{ name: "kernel.msgmax", value: "1" }]), 'sysctls[0].name is "kernel.msgmax"'],
  ["kubernetes-core-pod-disallow-windows-host-process", "hostProcess", (o) => (api(o).securityContext.windowsOptions = { hostProcess: true }), "containers[0].securityContext.windowsOptions.hostProcess is true"],
  // Pod Security Standards, restricted
  ["kubernetes-core-pod-restrict-volume-types", "nfs", (o) => pod(o).volumes.push({ name: "shared", nfs: { server: "fs", path: "/" } }), 'volumes[2] "shared" uses volume type nfs'],
  ["kubernetes-core-pod-require-drop-all-capabilities", "no drop ALL", (o) => (api(o).securityContext.capabilities = { drop: ["NET_RAW"] }), 'capabilities.drop is ["NET_RAW"] (must contain "ALL")'],
  ["kubernetes-core-pod-require-drop-all-capabilities", "adds CHOWN", (o) => (init(o).securityContext.capabilities.add = ["CHOWN"]), 'initContainers[0].securityContext.capabilities.add[0] is "CHOWN"'],
  ["kubernetes-core-pod-disallow-privilege-escalation", "unset", (o) => delete api(o).securityContext.allowPrivilegeEscalation, "allowPrivilegeEscalation is not set (defaults to true)"],
  ["kubernetes-core-pod-require-run-as-non-root", "container false overrides pod true", (o) => (api(o).securityContext.runAsNonRoot = false), "containers[0].securityContext.runAsNonRoot is false"],
  ["kubernetes-core-pod-require-run-as-non-root", "pod unset, a container unset", (o) => { delete pod(o).securityContext.runAsNonRoot; delete init(o).securityContext.runAsNonRoot; }, 'init container "migrate": runAsNonRoot is set neither'],
  ["kubernetes-core-pod-disallow-root-user", "uid 0", (o) => (pod(o).securityContext.runAsUser = 0), "spec.template.spec.securityContext.runAsUser is 0"],
  ["kubernetes-core-pod-require-seccomp-profile", "pod unset", (o) => delete pod(o).securityContext.seccompProfile, "seccompProfile.type is set neither on spec.template.spec.containers[0].securityContext"],
  // the rest of security
  ["kubernetes-core-pod-require-read-only-root-filesystem", "writable root", (o) => (api(o).securityContext.readOnlyRootFilesystem = false), "containers[0].securityContext.readOnlyRootFilesystem is false"],
  ["kubernetes-core-pod-disable-service-account-token-automount", "pod unset, SA unset", (o) => { delete pod(o).automountServiceAccountToken; delete byKind(o, "ServiceAccount").automountServiceAccountToken; }, "spec.template.spec.automountServiceAccountToken is not set and ServiceAccount app/api has automountServiceAccountToken unset"],
  ["kubernetes-core-pod-disallow-default-service-account", "no serviceAccountName", (o) => delete pod(o).serviceAccountName, "spec.template.spec.serviceAccountName is not set"],
  ["kubernetes-core-pod-disallow-default-service-account", "default", (o) => (pod(o).serviceAccountName = "default"), 'serviceAccountName is "default"'],
  ["kubernetes-core-pod-require-pinned-images", "latest", (o) => (api(o).image = `${ECR}/abode/api:latest`), 'uses the "latest" tag'],
  ["kubernetes-core-pod-require-pinned-images", "no tag", (o) => (api(o).image = "grafana/grafana"), "has no tag or digest"],
  ["kubernetes-core-pod-require-pinned-images", "mutable tag", (o) => (api(o).image = "grafana/grafana:11.2.0"), "pinned by tag only on docker.io"],
  ["kubernetes-core-pod-restrict-image-registries", "unknown registry", (o) => (api(o).image = `quay.io/evil/miner@${DIGEST}`), 'comes from quay.io/evil/miner, which is not an allowed registry'],
  ["kubernetes-core-pod-restrict-image-registries", "docker hub namespace not listed", (o) => (api(o).image = `someone/ollama@${DIGEST}`), "docker.io/someone/ollama"],
  ["kubernetes-core-pod-disallow-literal-secrets-in-env", "literal password", (o) => api(o).env.push({ name: "DB_PASSWORD2", value: "hunter2" }), 'env[4] "DB_PASSWORD2" has a literal value'],
  ["kubernetes-core-pod-disallow-literal-secrets-in-env", "literal api key (camelCase)", (o) => api(o).env.push({ name: "openaiApiKey", value: "sk-123" }), '"openaiApiKey" has a literal value'],
  ["kubernetes-core-configmap-disallow-secrets", "PEM private key", (o) => (byKind(o, "ConfigMap").data["cert.pem"] = "-----BEGIN RSA PRIVATE KEY-----\nMII\n-----END RSA PRIVATE KEY-----"), 'data["cert.pem"] contains a PEM private key'],
  ["kubernetes-core-configmap-disallow-secrets", "secret-looking key", (o) => (byKind(o, "ConfigMap").data["db_password"] = "hunter2"), 'data["db_password"] looks like a secret'],
  ["kubernetes-networking-networkpolicy-require-workload-isolation", "no policy selects", (o) => (byKind(o, "NetworkPolicy").spec.podSelector = { matchLabels: { "app.kubernetes.io/name": "other" } }), "are selected by no NetworkPolicy in namespace app"],
  ["kubernetes-networking-networkpolicy-require-workload-isolation", "policy in another namespace", (o) => (byKind(o, "NetworkPolicy").metadata.namespace = "other"), "Deployment app/api"],
  ["kubernetes-core-service-disallow-node-port", "NodePort", (o) => (byKind(o, "Service").spec.type = "NodePort"), 'spec.type is "NodePort"'],
  ["kubernetes-networking-ingress-require-tls", "no tls", (o) => delete byKind(o, "Ingress").spec.tls, "spec.tls is not set"],
  ["kubernetes-networking-ingress-require-tls", "host not covered", (o) => (byKind(o, "Ingress").spec.rules[1].host = "deep.ui.apps.example.com"), 'spec.rules[1].host "deep.ui.apps.example.com" is not covered'],
  ["kubernetes-rbac-rolebinding-disallow-cluster-admin", "cluster-admin", (o) => (byKind(o, "ClusterRoleBinding").roleRef.name = "cluster-admin"), 'roleRef is ClusterRole "cluster-admin" (subjects: ServiceAccount app/api)'],
  ["kubernetes-rbac-role-disallow-wildcards", "verbs *", (o) => (byKind(o, "ClusterRole").rules[0].verbs = ["*"]), 'rules[0].verbs contains "*"'],
  ["kubernetes-rbac-role-disallow-wildcards", "apiGroups *", (o) => (byKind(o, "ClusterRole").rules[0].apiGroups = ["*"]), 'rules[0].apiGroups contains "*"'],
  // reliability
  ["kubernetes-core-pod-require-probes", "no readiness", (o) => delete api(o).readinessProbe, 'container "api": spec.template.spec.containers[0].readinessProbe is not set'],
  ["kubernetes-core-pod-require-probes", "native sidecar without probes", (o) => pod(o).initContainers.push(secureContainer("proxy", { restartPolicy: "Always" })), "initContainers[1].livenessProbe is not set"],
  ["kubernetes-core-pod-require-probe-ports", "named port missing", (o) => (api(o).livenessProbe.httpGet.port = "health"), 'livenessProbe.httpGet.port is "health", which is not among the container\'s ports (http, metrics)'],
  ["kubernetes-core-pod-require-probe-ports", "numeric port missing", (o) => (api(o).readinessProbe = { tcpSocket: { port: 8081 } }), "readinessProbe.tcpSocket.port is 8081"],
  ["kubernetes-core-pod-require-resources", "no memory limit", (o) => delete api(o).resources.limits.memory, "containers[0].resources.limits.memory is not set"],
  ["kubernetes-core-pod-require-resources", "init without requests", (o) => delete init(o).resources.requests, "initContainers[0].resources.requests.cpu is not set"],
  ["kubernetes-apps-deployment-require-min-replicas", "HPA min 1", (o) => (byKind(o, "HorizontalPodAutoscaler").spec.minReplicas = 1), "runs 1 replica(s) at minimum (HorizontalPodAutoscaler api minReplicas)"],
  ["kubernetes-apps-deployment-require-min-replicas", "no HPA, replicas unset", (o) => { o.splice(o.indexOf(byKind(o, "HorizontalPodAutoscaler")), 1); delete deployment(o).spec.replicas; }, "spec.replicas (unset, default 1)"],
  ["kubernetes-policy-poddisruptionbudget-require-for-workloads", "no PDB selects", (o) => (byKind(o, "PodDisruptionBudget").spec.selector.matchLabels = { "app.kubernetes.io/name": "other" }), "no PodDisruptionBudget in namespace app selects its pods"],
  ["kubernetes-policy-poddisruptionbudget-require-for-workloads", "maxUnavailable 0", (o) => (byKind(o, "PodDisruptionBudget").spec.maxUnavailable = 0), "maxUnavailable 0 allows no disruption"],
  ["kubernetes-policy-poddisruptionbudget-require-for-workloads", "minAvailable 100%", (o) => { const s = byKind(o, "PodDisruptionBudget").spec; delete s.maxUnavailable; s.minAvailable = "100%"; }, 'minAvailable "100%" with 2 replica(s) allows no disruption'],
  ["kubernetes-core-pod-require-topology-spread", "none", (o) => delete pod(o).topologySpreadConstraints, "spec.template.spec.topologySpreadConstraints is not set"],
  ["kubernetes-core-pod-require-topology-spread", "selects other pods", (o) => (pod(o).topologySpreadConstraints[0].labelSelector.matchLabels = { "app.kubernetes.io/name": "web" }), "no constraint's labelSelector selects the workload's own pods"],
  ["kubernetes-autoscaling-horizontalpodautoscaler-require-valid-replicas", "min > max", (o) => (byKind(o, "HorizontalPodAutoscaler").spec.maxReplicas = 1), "spec.minReplicas 2 is above spec.maxReplicas 1"],
  ["kubernetes-autoscaling-horizontalpodautoscaler-require-valid-replicas", "min unset", (o) => delete byKind(o, "HorizontalPodAutoscaler").spec.minReplicas, "spec.minReplicas is not set (defaults to 1)"],
  ["kubernetes-apps-deployment-require-rolling-update", "Recreate", (o) => (deployment(o).spec.strategy = { type: "Recreate" }), 'spec.strategy.type is "Recreate"'],
  ["kubernetes-apps-deployment-require-rolling-update", "maxUnavailable 100%", (o) => (deployment(o).spec.strategy.rollingUpdate.maxUnavailable = "100%"), 'maxUnavailable is "100%"'],
  ["kubernetes-batch-job-require-ttl-after-finished", "no TTL", (o) => delete byKind(o, "Job").spec.ttlSecondsAfterFinished, "Job app/setup: spec.ttlSecondsAfterFinished is not set"],
  ["kubernetes-apps-workload-require-matching-selector", "selector mismatch", (o) => (deployment(o).spec.selector.matchLabels["app.kubernetes.io/instance"] = "blue"), "does not select spec.template.metadata.labels"],
  ["kubernetes-core-service-require-matching-selector", "dangling", (o) => (byKind(o, "Service").spec.selector = { "app.kubernetes.io/name": "apii" }), 'Service app/api: spec.selector {"app.kubernetes.io/name":"apii"} selects no pod template in namespace app'],
  // cost
  ["kubernetes-core-pod-restrict-requests-to-limits", "cpu request above limit", (o) => (api(o).resources.requests.cpu = "1500m"), 'resources.requests.cpu "1500m" is above limits.cpu "1"'],
  ["kubernetes-core-pod-restrict-requests-to-limits", "memory in other units", (o) => (api(o).resources.requests.memory = "600M"), 'resources.requests.memory "600M" is above limits.memory "0.5Gi"'],
  ["kubernetes-core-pod-restrict-requests-to-limits", "garbage quantity", (o) => (api(o).resources.limits.cpu = "lots"), 'resources.limits.cpu "lots" is not a valid quantity'],
];

test("every policy has at least one violating case", () => {
  const covered = new Set(VIOLATIONS.map(([name]) => name));
  expect(KUBERNETES_POLICIES.map((p) => p.name).filter((n) => !covered.has(n))).toEqual([]);
});

describe.each(KUBERNETES_POLICIES.map((p) => [p.name]))("%s", (name) => {
  test("passes the compliant baseline", () => {
    expect(findings(name)).toEqual([]);
  });
  const cases = VIOLATIONS.filter(([n]) => n === name);
  test.each(cases.map(([, label, mutate, expected]) => [label, mutate, expected] as const))("fails: %s", (_label, mutate, expected) => {
    const messages = findings(name, mutate);
    expect(messages.length).toBeGreaterThan(0);
    expect(messages.join("\n")).toContain(expected);
  });
});

/** Mutations that must stay compliant: the edges each policy is meant to allow. */
const ALLOWED: [string, string, (o: Objects) => void][] = [
  ["kubernetes-core-pod-require-run-as-non-root", "pod unset, every container true", (o) => { delete pod(o).securityContext.runAsNonRoot; }],
  ["kubernetes-core-pod-require-seccomp-profile", "pod unset, every container Localhost/RuntimeDefault", (o) => { delete pod(o).securityContext.seccompProfile; for (const c of [api(o), init(o)]) c.securityContext.seccompProfile = { type: "Localhost", localhostProfile: "p.json" }; }],
  ["kubernetes-core-pod-require-drop-all-capabilities", "NET_BIND_SERVICE added back", (o) => (api(o).securityContext.capabilities.add = ["NET_BIND_SERVICE"])],
  ["kubernetes-core-pod-require-drop-all-capabilities", "windows pod", (o) => { pod(o).os = { name: "windows" }; delete api(o).securityContext.capabilities; }],
  ["kubernetes-core-pod-restrict-apparmor-profile", "localhost profile", (o) => (deployment(o).spec.template.metadata.annotations = { "container.apparmor.security.beta.kubernetes.io/api": "localhost/k8s-api" })],
  ["kubernetes-core-pod-restrict-selinux-options", "allowed type and a level", (o) => (api(o).securityContext.seLinuxOptions = { type: "container_init_t", level: "s0:c1,c2" })],
  ["kubernetes-core-pod-restrict-sysctls", "safe sysctl", (o) => (pod(o).securityContext.sysctls = [{ name: "net.ipv4.tcp_keepalive_time", value: "60" }])],
  ["kubernetes-core-pod-disable-service-account-token-automount", "pod declares the need", (o) => (pod(o).automountServiceAccountToken = true)],
  ["kubernetes-core-pod-disable-service-account-token-automount", "pod unset, its ServiceAccount false", (o) => delete pod(o).automountServiceAccountToken],
  ["kubernetes-core-pod-require-pinned-images", "digest on Docker Hub", (o) => (api(o).image = `grafana/grafana:11.2.0@${DIGEST}`)],
  ["kubernetes-core-pod-restrict-image-registries", "elastic registry", (o) => (api(o).image = `docker.elastic.co/elasticsearch/elasticsearch:8.15.0@${DIGEST}`)],
  ["kubernetes-core-pod-disallow-literal-secrets-in-env", "secret from a Secret, path to a token file", (o) => api(o).env.push({ name: "TLS_KEY_PATH", value: "/etc/tls/tls.key" })],
  ["kubernetes-core-pod-require-probes", "Job containers need none", (o) => delete byKind(o, "Job").spec.template.spec.containers[0].livenessProbe],
  ["kubernetes-policy-poddisruptionbudget-require-for-workloads", "minAvailable below replicas", (o) => { const s = byKind(o, "PodDisruptionBudget").spec; delete s.maxUnavailable; s.minAvailable = 1; }],
  ["kubernetes-apps-deployment-require-rolling-update", "strategy unset (defaults to RollingUpdate)", (o) => delete deployment(o).spec.strategy],
  ["kubernetes-networking-ingress-require-tls", "wildcard covers one label", (o) => (byKind(o, "Ingress").spec.rules[1].host = "x.apps.example.com")],
  ["kubernetes-core-service-require-matching-selector", "Service without selector", (o) => delete byKind(o, "Service").spec.selector],
  ["kubernetes-core-pod-restrict-requests-to-limits", "equal across units", (o) => { api(o).resources.requests.memory = "512Mi"; api(o).resources.requests.cpu = "1000m"; }],
];

test.each(ALLOWED)("%s allows: %s", (name, _label, mutate) => {
  expect(findings(name, mutate)).toEqual([]);
});

describe("settings", () => {
  test("availability policies pass everything outside prod", () => {
    const objects = baseline();
    delete deployment(objects).spec.template.spec.topologySpreadConstraints;
    objects.splice(objects.indexOf(byKind(objects, "PodDisruptionBudget")), 1);
    byKind(objects, "HorizontalPodAutoscaler").spec.minReplicas = 1;
    const resources = objects.map((o) => asResource(o));
    const availability = ["kubernetes-apps-deployment-require-min-replicas", "kubernetes-policy-poddisruptionbudget-require-for-workloads", "kubernetes-core-pod-require-topology-spread"].map(policy);
    expect(runPolicies(availability, resources, {}).length).toBe(0);
    expect(runPolicies(availability, resources, { prod: false }).length).toBe(0);
    expect(runPolicies(availability, resources, PROD).map((f) => f.policy).sort()).toEqual(availability.map((p) => p.name).sort());
    // Called directly without a config, the default (not prod) applies.
    const replicas = policy("kubernetes-apps-deployment-require-min-replicas");
    expect(replicas.kind === "stack" && replicas.validateStack(resources)).toEqual([]);
  });

  test("allowedRegistries and immutableRegistries replace the defaults", () => {
    const mutate = (o: Objects) => (api(o).image = "registry.internal:5000/team/api:2.0.0");
    expect(findings("kubernetes-core-pod-restrict-image-registries", mutate)).toHaveLength(1);
    const objects = baseline();
    mutate(objects);
    const resources = objects.map((o) => asResource(o));
    expect(runPolicies([policy("kubernetes-core-pod-restrict-image-registries")], resources, { allowedRegistries: ["registry.internal:5000/team", "*.dkr.ecr.*.amazonaws.com", "docker.io/library/busybox"] })).toEqual([]);
    expect(runPolicies([policy("kubernetes-core-pod-require-pinned-images")], resources)).toHaveLength(1);
    expect(runPolicies([policy("kubernetes-core-pod-require-pinned-images")], resources, { immutableRegistries: ["registry.internal:5000", "*.dkr.ecr.*.amazonaws.com"] })).toEqual([]);
  });
});
