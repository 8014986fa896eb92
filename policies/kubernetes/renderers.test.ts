import * as eck from "../../components/elk/eck";
import { exemptionFor } from "../core/exemptions";
import { loggingNetworkPolicies } from "../../components/elk/eck-network";
import { sampleSpec } from "../../components/workload/fixtures";
import { albIngress } from "../../components/workload/ingress";
import { renderKubernetes, type KubernetesObjects } from "../../components/workload/kubernetes";
import { namespaceDefaultDeny, workloadNetworkPolicy } from "../../components/workload/network-policy";
import type { WorkloadSpec } from "../../components/workload/spec";
import { KUBERNETES_POLICIES } from "./index";
import { asResource, runPolicies, type Finding } from "./testing";

/**
 * Our own renderers' output, for a typical spec, under every Kubernetes policy with the prod
 * settings: what the prod stack would deploy must pass the security pack.
 */
const NAMESPACE = "apps";
const ECR_REPOSITORY = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/search";
const TARGET = { namespace: NAMESPACE, replicas: 2, labels: { "app.kubernetes.io/part-of": "abode", "app.kubernetes.io/managed-by": "pulumi" } };

function renderAll(spec: WorkloadSpec): Record<string, any>[] {
  const objects: KubernetesObjects = renderKubernetes(spec, TARGET);
  const database: WorkloadSpec = { ...sampleSpec({ name: "database", dependsOn: [] }) };
  return [
    ...Object.values(objects).filter(Boolean),
    namespaceDefaultDeny(NAMESPACE),
    workloadNetworkPolicy(spec, {
      dependents: [],
      dependencyPorts: { database: database.ports },
      ingressFromAlb: true,
      vpcCidr: "10.0.0.0/16",
      namespace: NAMESPACE,
      observabilityNamespace: "observability",
    }),
    albIngress({ namespace: NAMESPACE, hosts: [{ host: "search.example.com", service: spec.name, port: "http" }], certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/abc" }),
  ] as Record<string, any>[];
}

const show = (findings: Finding[]) => findings.map((f) => `${f.policy} | ${f.resource.type.split(":").pop()} ${f.resource.name} | ${f.message}`);
const securityPolicies = KUBERNETES_POLICIES.filter((p) => p.pack === "security");

test("a prod-like spec (our service, built and pushed to our ECR) passes every policy", () => {
  const spec = sampleSpec({ image: { kind: "build", context: "services/search", dockerfile: "Dockerfile", repository: ECR_REPOSITORY, tag: "1.2.3" } });
  const findings = runPolicies(KUBERNETES_POLICIES, renderAll(spec).map((o) => asResource(o, "render")), { prod: true });
  expect(show(findings)).toEqual([]);
});

test("a third-party image pinned by tag and digest passes the security pack", () => {
  const spec = sampleSpec({ image: { kind: "pinned", repository: "grafana/grafana", tag: "11.2.0", digest: `sha256:${"b".repeat(64)}` } });
  expect(show(runPolicies(securityPolicies, renderAll(spec).map((o) => asResource(o, "render")), { prod: true }))).toEqual([]);
});

test("sampleSpec as it is: only its placeholder image (example/search:1.2.3, Docker Hub, tag only) is reported", () => {
  const findings = runPolicies(KUBERNETES_POLICIES, renderAll(sampleSpec()).map((o) => asResource(o, "render")), { prod: true });
  expect(show(findings)).toEqual([
    'kubernetes-core-pod-require-pinned-images | StatefulSet search | container "search": spec.template.spec.containers[0].image "example/search:1.2.3" is pinned by tag only on docker.io, whose tags can be re-pushed (add a digest)',
    'kubernetes-core-pod-restrict-image-registries | StatefulSet search | container "search": spec.template.spec.containers[0].image "example/search:1.2.3" comes from docker.io/example/search, which is not an allowed registry',
  ]);
});

test("a job spec passes every policy too", () => {
  const spec = sampleSpec({ kind: "job", volumes: [], metrics: undefined, image: { kind: "build", context: "services/search", dockerfile: "Dockerfile", repository: ECR_REPOSITORY, tag: "1.2.3" } });
  const objects = renderAll(spec).filter((o) => o.kind !== "Ingress");
  expect(show(runPolicies(KUBERNETES_POLICIES, objects.map((o) => asResource(o, "render")), { prod: true }))).toEqual([]);
});

/**
 * ECK's custom resources, whose pod templates the policies read too: what our logging stack
 * (components/elk/eck.ts, as EckLogging registers it) is reported for. These are real findings,
 * listed here so a change to them is deliberate.
 */
test("ECK logging objects: the known findings", () => {
  const ns = "logging";
  const rbac = eck.filebeatRbac();
  const ecrImage = `123456789012.dkr.ecr.eu-west-1.amazonaws.com/abode/elasticsearch@sha256:${"a".repeat(64)}`;
  const setup = eck.eckSetupJob({ bucket: "snapshots", namespace: ns, image: ecrImage });
  const objects: Record<string, any>[] = [
    eck.loggingNamespace(ns),
    eck.snapshotServiceAccount({ roleArn: "arn:aws:iam::123456789012:role/snapshots", namespace: ns }),
    ...Object.values(eck.ECK_SERVICE_ACCOUNTS).map((name) => eck.tokenlessServiceAccount(name, ns)),
    eck.elasticsearchCluster({ storageClassName: "gp3", snapshotRoleArn: "arn:aws:iam::123456789012:role/snapshots", namespace: ns }),
    eck.kibana({ publicBaseUrl: "https://kibana.example.com", namespace: ns }),
    eck.logstash({ storageClassName: "gp3", namespace: ns }),
    eck.filebeat({ namespace: ns }),
    rbac.serviceAccount,
    rbac.clusterRole,
    rbac.clusterRoleBinding,
    setup.configMap,
    setup.job,
    ...loggingNetworkPolicies({ operatorNamespace: "elastic-system", clientNamespaces: ["observability"], vpcCidr: "10.40.0.0/16", namespace: ns }),
  ];
  const resources = objects.map((o) => asResource(o, "eck"));
  const findings = runPolicies(securityPolicies, resources, { prod: true });
  const summary = [...new Set(findings.map((f) => `${f.policy} | ${f.resource.type.split(":").pop()} ${f.resource.name}`))].sort();
  // Only Filebeat's node-log access is left, and each of those carries its documented exemption.
  expect(summary).toEqual([
    "kubernetes-core-pod-disallow-host-path-volumes | Beat filebeat",
    "kubernetes-core-pod-disallow-root-user | Beat filebeat",
    "kubernetes-core-pod-require-run-as-non-root | Beat filebeat",
    "kubernetes-core-pod-restrict-volume-types | Beat filebeat",
  ]);
  for (const f of findings) expect(exemptionFor(f.resource, f.policy)).toEqual(expect.any(String));
  // The setup Job's default image (a tag on the vendor's registry) is what prod replaces with our registry's digest.
  const withDefaultImage = asResource(eck.eckSetupJob({ bucket: "snapshots", namespace: ns }).job, "eck");
  expect(runPolicies(securityPolicies, [withDefaultImage], { prod: true }).map((f) => f.policy)).toContain("kubernetes-core-pod-require-pinned-images");
});
