import { createHash } from "node:crypto";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { sampleSpec } from "./fixtures";
import { CONFIG_CHECKSUM_ANNOTATION, configChecksum, type KubernetesTarget } from "./kubernetes";
import { KubernetesWorkload, inputsChecksum, type KubernetesWorkloadArgs } from "./kubernetes-workload";
import type { WorkloadSpec } from "./spec";
import { installMocks, isSecret, resolved, unsecret as unwrap } from "../../test/mocks";

const captured = installMocks(pulumi);


const target: KubernetesTarget = {
  namespace: "abode",
  replicas: 2,
  labels: { "app.kubernetes.io/part-of": "abode", "app.kubernetes.io/managed-by": "pulumi", "app.kubernetes.io/instance": "abode-prod" },
};
const network: KubernetesWorkloadArgs["network"] = {
  dependents: ["frontend"],
  dependencyPorts: { database: [{ name: "pg", containerPort: 5432 }] },
  ingressFromAlb: true,
  vpcCidr: "10.40.0.0/16",
  observabilityNamespace: "observability",
};

/** Builds a component and returns what it registered (its own children only). */
async function build(name: string, spec: WorkloadSpec, extra: Partial<KubernetesWorkloadArgs> = {}) {
  const component = new KubernetesWorkload(name, { spec, target, network, ...extra });
  await resolved(pulumi.all([component.urn, component.workload.urn, component.networkPolicy.urn, component.serviceAccount.urn]));
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
  const urn = await resolved(component.urn);
  const mine = captured.filter((c) => c.parent === urn);
  const one = (type: string, resourceName = name) => {
    const found = mine.find((c) => c.type === type && c.name === resourceName);
    if (!found) throw new Error(`no ${type} named ${resourceName}; got ${mine.map((c) => `${c.type}::${c.name}`).join(", ")}`);
    return found;
  };
  return { urn, mine, one };
}

const T = {
  serviceAccount: "kubernetes:core/v1:ServiceAccount",
  configMap: "kubernetes:core/v1:ConfigMap",
  secret: "kubernetes:core/v1:Secret",
  deployment: "kubernetes:apps/v1:Deployment",
  statefulSet: "kubernetes:apps/v1:StatefulSet",
  job: "kubernetes:batch/v1:Job",
  service: "kubernetes:core/v1:Service",
  hpa: "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
  pdb: "kubernetes:policy/v1:PodDisruptionBudget",
  serviceMonitor: "kubernetes:monitoring.coreos.com/v1:ServiceMonitor",
  networkPolicy: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
};

describe("KubernetesWorkload", () => {
  it("registers exactly the rendered objects of a stateless service, each a child of the component", async () => {
    const spec = sampleSpec({ name: "api", volumes: [], env: { PLAIN: "x", PASSWORD: pulumi.secret("pw") } });
    const { mine } = await build("api", spec, { image: pulumi.output("123456789012.dkr.ecr.eu-west-1.amazonaws.com/abode/api:1.2.3") });
    expect(mine.map((c) => `${c.type}::${c.name}`).sort()).toEqual(
      [
        `${T.serviceAccount}::api`,
        `${T.configMap}::api-config`,
        `${T.secret}::api-secrets`,
        `${T.deployment}::api`,
        `${T.service}::api`,
        `${T.hpa}::api`,
        `${T.pdb}::api`,
        `${T.serviceMonitor}::api`,
        `${T.networkPolicy}::api`,
      ].sort(),
    );
  });

  it("sends the rendered inputs, with the image substituted and the ServiceAccount referenced", async () => {
    const image = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/abode/web:1.2.3";
    const { one } = await build("web", sampleSpec({ name: "web", volumes: [] }), { image: pulumi.output(image) });
    const deployment = one(T.deployment).inputs;
    expect(deployment.metadata).toMatchObject({ name: "web", namespace: "abode", labels: { "app.kubernetes.io/name": "web" } });
    const pod = deployment.spec.template.spec;
    expect(pod.containers[0].image).toBe(image);
    expect(pod.serviceAccountName).toBe("web");
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.nodeSelector).toEqual({ "abode.io/pool": "general" });
    expect(pod.tolerations).toBeUndefined();
    expect(deployment.spec.replicas).toBe(2);
    expect(one(T.serviceAccount).inputs).toMatchObject({ automountServiceAccountToken: false, metadata: { name: "web" } });
    expect(one(T.hpa).inputs.spec.scaleTargetRef).toEqual({ apiVersion: "apps/v1", kind: "Deployment", name: "web" });
    expect(one(T.pdb).inputs.spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: deployment.spec.selector.matchLabels } });
    expect(one(T.service).inputs.spec.selector).toEqual(deployment.spec.selector.matchLabels);
    expect(one(T.serviceMonitor).inputs).toMatchObject({
      apiVersion: "monitoring.coreos.com/v1",
      kind: "ServiceMonitor",
      metadata: { labels: { release: "kube-prometheus-stack" } },
      spec: { selector: { matchLabels: deployment.spec.selector.matchLabels }, endpoints: [{ port: "http", path: "/metrics" }] },
    });
    const policy = one(T.networkPolicy).inputs;
    expect(policy.metadata.namespace).toBe("abode");
    expect(policy.spec.podSelector.matchLabels).toEqual({ "app.kubernetes.io/name": "web" });
    expect(policy.spec.ingress.at(-1)).toEqual({ from: [{ ipBlock: { cidr: "10.40.0.0/16" } }], ports: [{ protocol: "TCP", port: 8080 }] });
    // The autoscaler owns the replica count after creation.
    expect(one(T.deployment).ignoreChanges).toEqual(["spec.replicas"]);
    expect(one(T.deployment).protect).toBe(false);
  });

  it("keeps secret values secret in the Secret", async () => {
    const { one } = await build("vault", sampleSpec({ name: "vault", volumes: [], env: { PASSWORD: pulumi.output("pw") } }));
    const secret = one(T.secret, "vault-secrets").inputs;
    expect(isSecret(secret.stringData)).toBe(true);
    expect(unwrap(secret.stringData)).toEqual({ "env.PASSWORD": "pw", "file.etc_search_tls_key.pem": "KEY" });
  });

  it("rolls the pods when a secret value changes, and not otherwise", async () => {
    const checksumOf = async (name: string, password: string) => {
      const { one } = await build(name, sampleSpec({ name, volumes: [], env: { PASSWORD: pulumi.secret(password) } }));
      return one(T.deployment).inputs.spec.template.metadata.annotations[CONFIG_CHECKSUM_ANNOTATION] as string;
    };
    const a = await checksumOf("roll-a", "one");
    const b = await checksumOf("roll-b", "one");
    const c = await checksumOf("roll-c", "two");
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(a).toBe(b);
    expect(c).not.toBe(a);
    // It is the renderer's checksum with the secret digest folded in, and it is not itself secret.
    const digest = createHash("sha256")
      .update(JSON.stringify([["env:PASSWORD", "one"], ["file:/etc/search/tls/key.pem", "KEY"]]))
      .digest("hex");
    expect(a).toBe(configChecksum(sampleSpec({ env: { PASSWORD: pulumi.secret("one") } }), digest));
  });

  it("computes no secret checksum for a spec with only plain values", async () => {
    expect(inputsChecksum(sampleSpec({ configFiles: [{ path: "/etc/a", content: "a" }] }))).toBeUndefined();
    const digest = inputsChecksum(sampleSpec({ configFiles: [{ path: "/etc/ca.pem", content: pulumi.output("CA") }] }))!;
    expect(await resolved(digest)).toMatch(/^[0-9a-f]{64}$/);
  });

  it("annotates the ServiceAccount with an IRSA role given as an Output", async () => {
    const arn = "arn:aws:iam::123456789012:role/abode-irsa";
    const { one } = await build("irsa", sampleSpec({ name: "irsa", volumes: [] }), { serviceAccountRoleArn: pulumi.output(arn) });
    expect(one(T.serviceAccount).inputs.metadata.annotations).toEqual({ "eks.amazonaws.com/role-arn": arn });
  });

  it("protects a StatefulSet and keeps it (and its claims) on delete", async () => {
    const { one, mine } = await build("store", sampleSpec({ name: "store", gpu: { count: 1 } }));
    const sts = one(T.statefulSet);
    expect(sts.protect).toBe(true);
    expect(sts.retainOnDelete).toBe(true);
    expect(sts.inputs.spec.volumeClaimTemplates[0].spec).toMatchObject({ storageClassName: "gp3", resources: { requests: { storage: "10Gi" } } });
    expect(sts.inputs.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: "Retain", whenScaled: "Retain" });
    expect(sts.inputs.spec.template.spec.tolerations).toEqual([{ key: "nvidia.com/gpu", operator: "Equal", value: "true", effect: "NoSchedule" }]);
    expect(sts.inputs.spec.template.spec.containers[0].resources.limits["nvidia.com/gpu"]).toBe("1");
    expect(one(T.service, "store-headless").inputs.spec.clusterIP).toBe("None");
    expect(mine.some((c) => c.type === T.deployment)).toBe(false);
    expect(one(T.hpa).inputs.spec.scaleTargetRef.kind).toBe("StatefulSet");
    const unprotected = await build("scratch", sampleSpec({ name: "scratch" }), { protectState: false });
    expect(unprotected.one(T.statefulSet).protect).toBe(false);
  });

  it("registers a Job (replaced by delete-then-create) with no Service, autoscaler or budget", async () => {
    const job = sampleSpec({ name: "setup", kind: "job", volumes: [], ports: [], metrics: undefined, dependsOn: [], pool: "cfd" });
    const { mine, one } = await build("setup", job, { network: { ...network, ingressFromAlb: false, dependents: [] } });
    expect(mine.map((c) => c.type).sort()).toEqual([T.configMap, T.job, T.networkPolicy, T.secret, T.serviceAccount].sort());
    const j = one(T.job);
    expect(j.deleteBeforeReplace).toBe(true);
    expect(j.inputs.spec.template.spec.restartPolicy).toBe("OnFailure");
    expect(j.inputs.spec.template.spec.nodeSelector).toEqual({ "abode.io/pool": "cfd" });
    expect(j.inputs.spec.template.spec.tolerations).toEqual([{ key: "workload", operator: "Equal", value: "cfd", effect: "NoSchedule" }]);
    expect(j.ignoreChanges).toEqual([]);
  });

  it("makes every child wait for the given resources, and the workload for its ServiceAccount and config", async () => {
    const namespace = new k8s.core.v1.Namespace("ns", { metadata: { name: "abode" } });
    const nsUrn = await resolved(namespace.urn);
    const { mine, one } = await build("waits", sampleSpec({ name: "waits", volumes: [] }), { dependsOn: [namespace] });
    for (const child of mine) expect(child.dependencies).toContain(nsUrn);
    const deployment = one(T.deployment);
    expect(deployment.dependencies.some((d) => d.endsWith("ServiceAccount::waits"))).toBe(true);
    expect(deployment.dependencies.some((d) => d.endsWith("ConfigMap::waits-config"))).toBe(true);
    expect(deployment.dependencies.some((d) => d.endsWith("Secret::waits-secrets"))).toBe(true);
  });
});
