import * as fs from "node:fs";
import { installMocks, type Captured } from "../../test/mocks";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { Job } from "kubernetes-models/batch/v1/Job";
import { ClusterRole } from "kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole";
import { ClusterRoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Namespace } from "kubernetes-models/v1/Namespace";
import { PodSpec } from "kubernetes-models/v1/PodSpec";
import { Secret } from "kubernetes-models/v1/Secret";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import { parse } from "yaml";
import { POOL_TAINTS } from "../cluster/node-pools";
import { ELASTIC_STACK_VERSION } from "./elastic-stack";
import {
  EckLogging,
  eckSetupJob,
  elasticsearchCluster,
  everyPoolTolerations,
  filebeat,
  filebeatRbac,
  fileRealmUserSecret,
  jaegerWriterRole,
  kibana,
  kibanaKeysSecret,
  logstash,
  logstashPipelineArgs,
  loggingNamespace,
  renderEckSetupScript,
  renderRolesYml,
  rolesSecret,
  slmPolicy,
  snapshotServiceAccount,
} from "./eck";
import { renderFilebeatConfig } from "./filebeat";
import { renderLogstashPipeline } from "./logstash";
import { logIndexTemplate, logRetentionPolicy, logsReaderRole, logstashWriterRole } from "./setup";
import { basicCredentials, makeTestPki, runBash, startFakeHttpsServer, type RecordedRequest, type Responder, type TestPki } from "./test-helpers";

const ROLE_ARN = "arn:aws:iam::123456789012:role/abode-es-snapshots";
const es = () => elasticsearchCluster({ storageClassName: "gp3-encrypted", snapshotRoleArn: ROLE_ARN });
const kb = () => kibana({ publicBaseUrl: "https://kibana.abode.example" });
const ls = () => logstash({ storageClassName: "gp3-encrypted" });
const fb = () => filebeat();

const RECOMMENDED = ["app.kubernetes.io/name", "app.kubernetes.io/instance", "app.kubernetes.io/version", "app.kubernetes.io/component", "app.kubernetes.io/part-of", "app.kubernetes.io/managed-by"];
function expectRecommendedLabels(labels: Record<string, string>) {
  for (const key of RECOMMENDED) expect(labels[key]).toBeTruthy();
  expect(labels["app.kubernetes.io/part-of"]).toBe("abode");
  expect(labels["app.kubernetes.io/managed-by"]).toBe("pulumi");
}

describe("ECK custom resources", () => {
  it.each([
    ["Elasticsearch", es, "elasticsearch.k8s.elastic.co/v1"],
    ["Kibana", kb, "kibana.k8s.elastic.co/v1"],
    ["Logstash", ls, "logstash.k8s.elastic.co/v1alpha1"],
    ["Beat", fb, "beat.k8s.elastic.co/v1beta1"],
  ] as const)("%s has its apiVersion, the logging namespace, the pinned stack version and the recommended labels", (kind, render, apiVersion) => {
    const cr = render();
    expect(cr.apiVersion).toBe(apiVersion);
    expect(cr.kind).toBe(kind);
    expect(cr.metadata.namespace).toBe("logging");
    expect(cr.spec.version).toBe(ELASTIC_STACK_VERSION);
    expectRecommendedLabels(cr.metadata.labels);
    expect(cr.metadata.labels["app.kubernetes.io/version"]).toBe(ELASTIC_STACK_VERSION);
  });

  it("every pod template is a valid PodSpec (kubernetes-models) apart from the containers ECK completes", () => {
    const pods = [
      es().spec.nodeSets[0].podTemplate.spec,
      kb().spec.podTemplate.spec,
      ls().spec.podTemplate.spec,
      fb().spec.daemonSet.podTemplate.spec,
    ];
    for (const pod of pods) {
      // ECK fills in each container's image; give one so the schema check covers the rest.
      new PodSpec({ ...pod, containers: pod.containers.map((c: any) => ({ ...c, image: "x" })) }).validate();
    }
  });
});

describe("elasticsearchCluster", () => {
  const nodeSet = () => es().spec.nodeSets[0];

  it("runs 3 nodes by default, on the encrypted gp3 class, and refuses an even or too small count", () => {
    expect(nodeSet().count).toBe(3);
    expect(elasticsearchCluster({ storageClassName: "c", snapshotRoleArn: ROLE_ARN, count: 5 }).spec.nodeSets[0].count).toBe(5);
    for (const bad of [1, 2, 4]) expect(() => elasticsearchCluster({ storageClassName: "c", snapshotRoleArn: ROLE_ARN, count: bad })).toThrow(/odd number of at least 3/);
    expect(nodeSet().volumeClaimTemplates).toEqual([
      { metadata: { name: "elasticsearch-data" }, spec: { accessModes: ["ReadWriteOnce"], storageClassName: "gp3-encrypted", resources: { requests: { storage: "100Gi" } } } },
    ]);
    expect(es().spec.volumeClaimDeletePolicy).toBe("DeleteOnScaledownOnly");
  });

  it("sets resources and a heap of half the memory through ES_JAVA_OPTS", () => {
    const c = nodeSet().podTemplate.spec.containers[0];
    expect(c.name).toBe("elasticsearch");
    expect(c.resources).toEqual({ limits: { cpu: "2000m", memory: "4096Mi" }, requests: { cpu: "1000m", memory: "4096Mi" } });
    expect(c.env).toContainEqual({ name: "ES_JAVA_OPTS", value: "-Xms2048m -Xmx2048m" });
    expect(() => elasticsearchCluster({ storageClassName: "c", snapshotRoleArn: ROLE_ARN, resources: { cpu: 1, memoryMiB: 1024 } })).toThrow(/below the 2048 MiB/);
  });

  it("spreads the nodes across zones (hard) and hosts (soft)", () => {
    const spread = nodeSet().podTemplate.spec.topologySpreadConstraints;
    expect(spread).toContainEqual({
      maxSkew: 1,
      topologyKey: "topology.kubernetes.io/zone",
      whenUnsatisfiable: "DoNotSchedule",
      labelSelector: { matchLabels: { "elasticsearch.k8s.elastic.co/cluster-name": "elasticsearch" } },
    });
    expect(spread.find((s: any) => s.topologyKey === "kubernetes.io/hostname")).toBeDefined();
  });

  it("uses the IRSA service account, with the web identity token where the S3 repository reads it", () => {
    const pod = nodeSet().podTemplate.spec;
    expect(pod.serviceAccountName).toBe("elasticsearch-snapshots");
    expect(pod.automountServiceAccountToken).toBe(false);
    const c = pod.containers[0];
    expect(c.env).toEqual(
      expect.arrayContaining([
        { name: "AWS_ROLE_ARN", value: ROLE_ARN },
        { name: "AWS_WEB_IDENTITY_TOKEN_FILE", value: "/usr/share/elasticsearch/config/repository-s3/aws-web-identity-token-file" },
      ]),
    );
    expect(c.volumeMounts).toContainEqual({ name: "aws-iam-token", mountPath: "/usr/share/elasticsearch/config/repository-s3", readOnly: true });
    expect(pod.volumes[0].projected.sources[0].serviceAccountToken).toMatchObject({ audience: "sts.amazonaws.com", path: "aws-web-identity-token-file" });
    const sa = snapshotServiceAccount({ roleArn: ROLE_ARN });
    new ServiceAccount(sa as any).validate();
    expect(sa.metadata.name).toBe(pod.serviceAccountName);
    expect(sa.metadata.annotations).toEqual({ "eks.amazonaws.com/role-arn": ROLE_ARN });
    expect(sa.automountServiceAccountToken).toBe(false);
  });

  it("keeps ECK's TLS and security defaults and runs restricted", () => {
    const spec = es().spec;
    expect(spec.http).toBeUndefined(); // ECK default: TLS with its own CA
    const all = JSON.stringify(spec);
    expect(all).not.toMatch(/xpack\.security\.enabled|selfSignedCertificate|"disabled":true/);
    expect(spec.nodeSets[0].config["node.store.allow_mmap"]).toBe(false);
    expect(spec.nodeSets[0].podTemplate.spec.containers[0].securityContext).toMatchObject({
      runAsNonRoot: true,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      privileged: false,
      capabilities: { drop: ["ALL"] },
    });
    expect(JSON.stringify(spec.nodeSets[0].podTemplate.spec.initContainers ?? [])).not.toContain("privileged");
  });

  it("declares the writer, the reader (the dev roles) and Jaeger's writer as file-realm users", () => {
    expect(es().spec.auth).toEqual({
      roles: [{ secretName: "elasticsearch-roles" }],
      fileRealm: [{ secretName: "logstash-writer" }, { secretName: "grafana-reader" }, { secretName: "jaeger-writer" }],
    });
    expect(parse(renderRolesYml())).toEqual({ logstash_writer: logstashWriterRole(), logs_reader: logsReaderRole(), jaeger_writer: jaegerWriterRole() });
    expect(jaegerWriterRole().indices).toEqual([{ names: ["jaeger-*"], privileges: ["create_index", "write", "read", "view_index_metadata"] }]);
    const roles = rolesSecret();
    new Secret(roles as any).validate();
    const writer = fileRealmUserSecret({ name: "logstash-writer", username: "logstash_writer", password: "pw-from-random", roles: ["logstash_writer"] });
    new Secret(writer as any).validate();
    expect(writer.type).toBe("kubernetes.io/basic-auth");
    expect(writer.stringData).toEqual({ username: "logstash_writer", password: "pw-from-random", roles: "logstash_writer" });
  });
});

describe("kibana", () => {
  it("runs 2 replicas against the ECK Elasticsearch, with keys only from the keystore Secret", () => {
    const spec = kb().spec;
    expect(spec.count).toBe(2);
    expect(spec.elasticsearchRef).toEqual({ name: "elasticsearch" });
    expect(spec.secureSettings).toEqual([{ secretName: "kibana-encryption-keys" }]);
    expect(spec.config["server.publicBaseUrl"]).toBe("https://kibana.abode.example");
    expect(spec.config["xpack.security.secureCookies"]).toBe(true);
    expect(spec.config["telemetry.optIn"]).toBe(false);
    for (const key of Object.keys(spec.config)) expect(key).not.toMatch(/encryptionKey|^elasticsearch\.|password/);
    expect(() => kibana({ publicBaseUrl: "https://k.example/" })).toThrow(/must not end with/);
    const keys = kibanaKeysSecret({
      "xpack.security.encryptionKey": "a",
      "xpack.encryptedSavedObjects.encryptionKey": "b",
      "xpack.reporting.encryptionKey": "c",
    });
    new Secret(keys as any).validate();
  });
});

describe("logstash", () => {
  it("runs the dev pipeline renderer's output, pointed at the ECK service with ECK's CA and the writer user", () => {
    const pipelines = ls().spec.pipelines;
    expect(pipelines).toHaveLength(1);
    expect(pipelines[0]["pipeline.id"]).toBe("main");
    expect(pipelines[0]["config.string"]).toBe(renderLogstashPipeline(logstashPipelineArgs()));
    const text = pipelines[0]["config.string"];
    expect(text).toContain('hosts => ["https://elasticsearch-es-http.logging.svc:9200"]');
    expect(text).toContain('ssl_certificate_authorities => ["/mnt/elasticsearch-ca/ca.crt"]');
    expect(text).toContain('user => "logstash_writer"');
    expect(text).toContain('password => "${LOGSTASH_WRITER_PASSWORD}"');
  });

  it("mounts ECK's public CA, reads the password from the file-realm Secret, and serves beats on 5000", () => {
    const spec = ls().spec;
    expect(spec.elasticsearchRefs).toBeUndefined();
    const pod = spec.podTemplate.spec;
    expect(pod.volumes).toContainEqual({ name: "elasticsearch-ca", secret: { secretName: "elasticsearch-es-http-certs-public", items: [{ key: "ca.crt", path: "ca.crt" }] } });
    expect(pod.containers[0].env).toContainEqual({ name: "LOGSTASH_WRITER_PASSWORD", valueFrom: { secretKeyRef: { name: "logstash-writer", key: "password" } } });
    expect(spec.services).toEqual([
      { name: "beats", service: { spec: { type: "ClusterIP", ports: [{ name: "beats", port: 5000, targetPort: 5000, protocol: "TCP" }] } } },
    ]);
    expect(spec.volumeClaimTemplates[0]).toMatchObject({ metadata: { name: "logstash-data" }, spec: { storageClassName: "gp3-encrypted" } });
    expect(spec.config["node.name"]).toBeUndefined();
    expect(spec.config["pipeline.ecs_compatibility"]).toBe("v8");
  });
});

describe("filebeat", () => {
  it("ships the dev renderer's kubernetes config to the Logstash beats Service", () => {
    const spec = fb().spec;
    expect(spec.type).toBe("filebeat");
    expect(spec.config).toEqual(parse(renderFilebeatConfig({ target: "kubernetes", logstashHost: "logstash-ls-beats.logging.svc:5000" })));
    expect(spec.config["output.logstash"]).toEqual({ hosts: ["logstash-ls-beats.logging.svc:5000"] });
    expect(spec.elasticsearchRef).toBeUndefined();
    expect(spec.daemonSet).toBeDefined();
    expect(spec.deployment).toBeUndefined();
  });

  it("mounts the node's log directories read-only and gets NODE_NAME from the downward API", () => {
    const pod = fb().spec.daemonSet.podTemplate.spec;
    const c = pod.containers[0];
    expect(c.name).toBe("filebeat");
    expect(c.env).toContainEqual({ name: "NODE_NAME", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } });
    expect(pod.volumes.map((v: any) => v.hostPath.path).sort()).toEqual(["/var/log/containers", "/var/log/pods"]);
    for (const m of c.volumeMounts) expect(m.readOnly).toBe(true);
    expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, privileged: false, capabilities: { drop: ["ALL"] } });
    expect(c.securityContext.capabilities.add).toBeUndefined();
  });

  it("tolerates every tainted pool, while nothing else here tolerates any", () => {
    const tainted = Object.values(POOL_TAINTS).filter((t) => t !== undefined);
    expect(tainted.length).toBeGreaterThanOrEqual(2);
    const tolerations = fb().spec.daemonSet.podTemplate.spec.tolerations;
    expect(tolerations).toEqual(everyPoolTolerations());
    for (const taint of tainted) expect(tolerations).toContainEqual({ key: taint!.key, operator: "Equal", value: taint!.value, effect: taint!.effect });
    const others = [es(), kb(), ls(), eckSetupJob({ bucket: "b" }).job];
    for (const other of others) expect(JSON.stringify(other)).not.toContain("tolerations");
  });

  it("can read pods, namespaces and nodes, and nothing else", () => {
    const rbac = filebeatRbac();
    new ServiceAccount(rbac.serviceAccount as any).validate();
    new ClusterRole(rbac.clusterRole).validate();
    new ClusterRoleBinding(rbac.clusterRoleBinding).validate();
    expect(rbac.clusterRole.rules).toEqual([{ apiGroups: [""], resources: ["pods", "namespaces", "nodes"], verbs: ["get", "list", "watch"] }]);
    expect(rbac.clusterRoleBinding.roleRef.name).toBe(rbac.clusterRole.metadata!.name);
    expect(rbac.clusterRoleBinding.subjects).toEqual([{ kind: "ServiceAccount", name: "filebeat", namespace: "logging" }]);
    expect(fb().spec.daemonSet.podTemplate.spec.serviceAccountName).toBe(rbac.serviceAccount.metadata.name);
  });
});

describe("the logging namespace", () => {
  it("is valid, enforces privileged (Filebeat's hostPath) and audits/warns restricted", () => {
    const ns = loggingNamespace();
    new Namespace(ns).validate();
    expect(ns.metadata!.labels).toMatchObject({
      "pod-security.kubernetes.io/enforce": "privileged",
      "pod-security.kubernetes.io/audit": "restricted",
      "pod-security.kubernetes.io/warn": "restricted",
    });
  });
});

describe("the setup job", () => {
  it("is a valid Job from the pinned Elasticsearch image, using ECK's elastic Secret and HTTP CA", () => {
    const { job, configMap } = eckSetupJob({ bucket: "abode-es-snapshots" });
    new Job(job).validate();
    new ConfigMap(configMap).validate();
    expectRecommendedLabels(job.metadata!.labels as Record<string, string>);
    const pod = job.spec!.template.spec!;
    const c = pod.containers[0];
    expect(c.image).toBe(`docker.elastic.co/elasticsearch/elasticsearch:${ELASTIC_STACK_VERSION}`);
    expect(c.command).toEqual(["/bin/bash", "/opt/abode-setup/setup.sh"]);
    expect(c.env).toContainEqual({ name: "ELASTIC_PASSWORD", valueFrom: { secretKeyRef: { name: "elasticsearch-es-elastic-user", key: "elastic" } } });
    expect(c.env).toContainEqual({ name: "ELASTICSEARCH_URL", value: "https://elasticsearch-es-http.logging.svc:9200" });
    expect(pod.volumes).toContainEqual({ name: "ca", secret: { secretName: "elasticsearch-es-http-certs-public", items: [{ key: "ca.crt", path: "ca.crt" }] } });
    expect(configMap.data!["setup.sh"]).toBe(renderEckSetupScript());
    expect(job.spec!.ttlSecondsAfterFinished).toBeGreaterThan(0);
    expect(c.securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } });
    // A changed script changes the pod template, so the Job is replaced and runs again.
    const other = eckSetupJob({ bucket: "abode-es-snapshots", logRetentionDays: 7 }).job;
    expect(other.spec!.template.metadata!.annotations).not.toEqual(job.spec!.template.metadata!.annotations);
  });

  it("validates the SLM schedule and retention", () => {
    expect(slmPolicy()).toEqual({
      schedule: "0 30 1 * * ?",
      name: "<nightly-{now/d}>",
      repository: "s3",
      config: { indices: ["*"], include_global_state: true },
      retention: { expire_after: "30d", min_count: 5, max_count: 50 },
    });
    expect(() => slmPolicy({ schedule: "@daily", retention: { expireAfterDays: 0, minCount: 5, maxCount: 2 } })).toThrow(/cron[\s\S]*expireAfterDays[\s\S]*maxCount/);
  });
});

describe("the setup script, run for real with bash and curl against a stand-in Elasticsearch", () => {
  const PASSWORD = 'el"astic\\pw$(touch /tmp/pwned-eck)`x`&; %s';
  const BUCKET = "abode-es-snapshots";
  let pki: TestPki;
  beforeAll(() => {
    pki = makeTestPki();
  });
  afterAll(() => fs.rmSync(pki.dir, { recursive: true, force: true }));

  const elasticsearch: Responder = (r: RecordedRequest) => {
    if (basicCredentials(r.authorization) !== `elastic:${PASSWORD}`) return { status: 401, body: { error: "missing authentication credentials" } };
    return { status: 200, body: r.url === "/_security/_authenticate" ? { username: "elastic" } : { acknowledged: true } };
  };

  async function run(script: string, respond: Responder, env: Record<string, string> = { ELASTIC_PASSWORD: PASSWORD, SNAPSHOT_BUCKET: BUCKET }) {
    const server = await startFakeHttpsServer(pki, respond);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "abode-eck-setup-"));
    fs.writeFileSync(path.join(dir, "setup.sh"), script);
    try {
      const result = await runBash([path.join(dir, "setup.sh")], { ...env, ELASTICSEARCH_URL: server.url, CA_CERT: pki.caCertPath });
      return { ...result, requests: server.requests };
    } finally {
      await server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  it("registers the S3 repository and the SLM policy, then log retention and template, as elastic", async () => {
    const options = { retention: { expireAfterDays: 10, minCount: 3, maxCount: 20 }, schedule: "0 0 2 * * ?", logRetentionDays: 7 };
    const result = await run(renderEckSetupScript({ ...options, retryIntervalSeconds: 1 }), elasticsearch);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      "GET /_security/_authenticate",
      "PUT /_snapshot/s3",
      "PUT /_slm/policy/nightly",
      "PUT /_ilm/policy/abode-logs-retention",
      "PUT /_index_template/abode-logs",
    ]);
    for (const r of result.requests) expect(basicCredentials(r.authorization)).toBe(`elastic:${PASSWORD}`);
    const body = (url: string) => JSON.parse(result.requests.find((r) => r.url === url)!.body);
    expect(body("/_snapshot/s3")).toEqual({ type: "s3", settings: { bucket: BUCKET, base_path: "elasticsearch", server_side_encryption: true } });
    expect(body("/_slm/policy/nightly")).toEqual(slmPolicy(options));
    expect(body("/_slm/policy/nightly").retention).toEqual({ expire_after: "10d", min_count: 3, max_count: 20 });
    expect(body("/_ilm/policy/abode-logs-retention")).toEqual(logRetentionPolicy(7));
    expect(body("/_index_template/abode-logs")).toEqual(logIndexTemplate({ replicas: 1, policyName: "abode-logs-retention" }));
  });

  it("never puts the password on a command line, and treats its metacharacters as data", async () => {
    const result = await run(renderEckSetupScript(), elasticsearch);
    expect(result.code).toBe(0);
    expect(result.curlArgv.length).toBe(5);
    for (const argv of result.curlArgv) {
      expect(argv.join(" ")).not.toContain(PASSWORD);
      expect(argv.join(" ")).not.toContain("astic\\pw");
      expect(argv).toEqual(expect.arrayContaining(["--cacert", pki.caCertPath]));
    }
    expect(fs.existsSync("/tmp/pwned-eck")).toBe(false);
  });

  it("quotes an odd bucket name into valid JSON rather than breaking out of it", async () => {
    const result = await run(renderEckSetupScript(), elasticsearch, { ELASTIC_PASSWORD: PASSWORD, SNAPSHOT_BUCKET: 'b","type":"fs' });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.requests.find((r) => r.url === "/_snapshot/s3")!.body)).toMatchObject({ type: "s3", settings: { bucket: 'b","type":"fs' } });
  });

  it("fails with Elasticsearch's answer when the repository is refused (e.g. no S3 access)", async () => {
    const result = await run(renderEckSetupScript(), (r) =>
      r.url === "/_snapshot/s3" ? { status: 500, body: { error: { type: "repository_verification_exception" } } } : elasticsearch(r),
    );
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("PUT /_snapshot/s3 answered HTTP 500");
    expect(result.requests.map((r) => r.url)).not.toContain("/_slm/policy/nightly");
  });

  it("refuses to run without the bucket or the password", async () => {
    const envs: Record<string, string>[] = [{ ELASTIC_PASSWORD: PASSWORD }, { SNAPSHOT_BUCKET: BUCKET }];
    for (const env of envs) {
      const result = await run(renderEckSetupScript(), elasticsearch, env);
      expect(result.code).not.toBe(0);
      expect(result.requests).toHaveLength(0);
    }
  });
});

describe("no password literal in any rendered object", () => {
  it("renders only Secret references where credentials are needed", () => {
    const objects = [es(), kb(), ls(), fb(), eckSetupJob({ bucket: "b" }).job, eckSetupJob({ bucket: "b" }).configMap, rolesSecret(), filebeatRbac()];
    const text = JSON.stringify(objects);
    expect(text).not.toMatch(/"password"\s*:\s*"(?!\$\{)/);
    expect(text).not.toMatch(/encryptionKey"\s*:\s*"/);
    // The only password mention in the pipeline is the environment reference.
    expect(ls().spec.pipelines[0]["config.string"].match(/password =>.*/g)).toEqual(['password => "${LOGSTASH_WRITER_PASSWORD}"']);
  });
});

describe("EckLogging under mocks", () => {
  let created: Captured[] = [];
  beforeAll(() => {
    created = installMocks(pulumi);
  });

  it("registers the namespace, secrets, ECK resources, Filebeat RBAC and the setup Job", async () => {
    const component = new EckLogging("elk", {
      storageClassName: "gp3-encrypted",
      snapshotBucket: "abode-es-snapshots",
      snapshotRoleArn: ROLE_ARN,
      kibanaPublicBaseUrl: "https://kibana.abode.example",
      httpTls: { caCertPem: "CA PEM", certPem: "NODE PEM", keyPem: "NODE KEY" },
      network: { operatorNamespace: "elastic-system", clientNamespaces: ["observability"], vpcCidr: "10.40.0.0/16" },
    });
    await new Promise<void>((resolve) => pulumi.output(component.urn).apply(() => resolve()));
    await new Promise((r) => setTimeout(r, 50));
    const types = (t: string) => created.filter((r) => r.type === t);
    expect(types("abode:elk:Eck")).toHaveLength(1);
    expect(types("kubernetes:core/v1:Namespace")).toHaveLength(1);
    expect(types("kubernetes:core/v1:Secret").map((s) => s.inputs.metadata.name).sort()).toEqual(["elasticsearch-http-tls", "elasticsearch-roles", "grafana-reader", "jaeger-writer", "kibana-encryption-keys", "logstash-writer"]);
    const httpTls = types("kubernetes:core/v1:Secret").find((s) => s.inputs.metadata.name === "elasticsearch-http-tls")!;
    expect(httpTls.inputs.type).toBe("kubernetes.io/tls");
    expect(types("kubernetes:elasticsearch.k8s.elastic.co/v1:Elasticsearch")).toHaveLength(1);
    expect(types("kubernetes:kibana.k8s.elastic.co/v1:Kibana")).toHaveLength(1);
    expect(types("kubernetes:logstash.k8s.elastic.co/v1alpha1:Logstash")).toHaveLength(1);
    expect(types("kubernetes:beat.k8s.elastic.co/v1beta1:Beat")).toHaveLength(1);
    expect(types("kubernetes:core/v1:ServiceAccount").map((s) => s.inputs.metadata.name).sort()).toEqual(["elasticsearch-snapshots", "elk-setup", "filebeat", "kibana", "logstash"]);
    for (const sa of types("kubernetes:core/v1:ServiceAccount").filter((s) => s.inputs.metadata.name !== "filebeat")) expect(sa.inputs.automountServiceAccountToken).toBe(false);
    // No ECK pod runs as the namespace's default ServiceAccount.
    for (const kind of ["kibana.k8s.elastic.co/v1:Kibana", "logstash.k8s.elastic.co/v1alpha1:Logstash"]) {
      expect(types(`kubernetes:${kind}`)[0]!.inputs.spec.podTemplate.spec.serviceAccountName).toBeDefined();
    }
    expect(types("kubernetes:rbac.authorization.k8s.io/v1:ClusterRole")).toHaveLength(1);
    expect(types("kubernetes:networking.k8s.io/v1:NetworkPolicy").map((p) => p.inputs.metadata.name).sort()).toEqual(
      ["default-deny-all", "elasticsearch", "elasticsearch-setup", "filebeat", "kibana", "logging-dns", "logstash"].sort(),
    );
    expect(types("kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding")).toHaveLength(1);
    expect(types("kubernetes:core/v1:ConfigMap")).toHaveLength(1);
    const job = types("kubernetes:batch/v1:Job");
    expect(job).toHaveLength(1);
    expect(job[0].inputs.spec.template.spec.containers[0].env).toContainEqual({ name: "SNAPSHOT_BUCKET", value: "abode-es-snapshots" });
    expect(types("random:index/randomPassword:RandomPassword")).toHaveLength(6);
    // The generated passwords reach only Secrets, never another object.
    const nonSecrets = created.filter((r) => r.type !== "kubernetes:core/v1:Secret" && r.type !== "random:index/randomPassword:RandomPassword");
    expect(JSON.stringify(nonSecrets)).not.toContain("generated-");
    const writer = types("kubernetes:core/v1:Secret").find((s) => s.inputs.metadata.name === "logstash-writer")!;
    expect(writer.inputs.type).toBe("kubernetes.io/basic-auth");
    // The k8s provider marks the whole stringData secret; inside it is the generated password.
    expect(writer.inputs.stringData["4dabf18193072939515e22adb298388d"]).toBeDefined();
    expect(writer.inputs.stringData.value).toEqual({ username: "logstash_writer", password: "generated-elk-logstash-writer-password", roles: "logstash_writer" });
    const esCr = types("kubernetes:elasticsearch.k8s.elastic.co/v1:Elasticsearch")[0];
    expect(esCr.inputs.spec.nodeSets[0].podTemplate.spec.containers[0].env).toContainEqual({ name: "AWS_ROLE_ARN", value: ROLE_ARN });
    // Our certificate, so the CA can be handed to clients in other namespaces at deploy time.
    expect(esCr.inputs.spec.http).toEqual({ tls: { certificate: { secretName: "elasticsearch-http-tls" } } });
    expect(component.elasticsearchUrl).toBe("https://elasticsearch-es-http.logging.svc:9200");
    expect(component.logstashBeatsHost).toBe("logstash-ls-beats.logging.svc:5000");
  });
});
