import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { IJob } from "kubernetes-models/batch/v1/Job";
import { inClusterOptions, KubernetesApi, KubernetesApiError } from "../src/kubernetes/client";
import { startFakeKubernetes, type FakeKubernetes } from "./kubernetes-api-server";

const job = (name: string): IJob => ({
  apiVersion: "batch/v1",
  kind: "Job",
  metadata: { name, namespace: "abode", labels: { "app.kubernetes.io/name": "cfd-case" } },
  spec: { template: { metadata: { labels: { "app.kubernetes.io/name": "cfd-case" } }, spec: { restartPolicy: "Never", containers: [{ name: "case", image: "abode/cfd:0.1.0" }] } } },
});

describe("KubernetesApi over plain HTTP (the request shapes)", () => {
  let kube: FakeKubernetes;
  let api: KubernetesApi;
  beforeAll(async () => {
    kube = await startFakeKubernetes({ namespace: "abode", token: "token-1" });
    api = new KubernetesApi({ baseUrl: kube.url, namespace: "abode", token: () => kube.token });
  });
  afterAll(() => kube.close());
  beforeEach(() => {
    kube.requests.length = 0;
    kube.jobs.clear();
    kube.pods.clear();
  });

  test("createJob POSTs the manifest to the namespace's jobs with the bearer token", async () => {
    const created = await api.createJob(job("cfd-a"));
    expect(created.metadata!.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(kube.requests).toEqual([
      { method: "POST", path: "/apis/batch/v1/namespaces/abode/jobs", query: {}, authorization: "Bearer token-1", body: job("cfd-a") },
    ]);
  });

  test("a second create of the same name is an AlreadyExists error carrying the API's reason and message", async () => {
    await api.createJob(job("cfd-a"));
    const error = await api.createJob(job("cfd-a")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KubernetesApiError);
    expect(error).toMatchObject({ status: 409, reason: "AlreadyExists", message: 'POST /apis/batch/v1/namespaces/abode/jobs: 409 AlreadyExists: jobs.batch "cfd-a" already exists' });
  });

  test("readJob GETs it by name; a missing Job is undefined", async () => {
    await api.createJob(job("cfd-a"));
    expect((await api.readJob("cfd-a"))!.metadata!.name).toBe("cfd-a");
    expect(await api.readJob("cfd-missing")).toBeUndefined();
    expect(kube.requests.slice(1).map((r) => `${r.method} ${r.path}`)).toEqual(["GET /apis/batch/v1/namespaces/abode/jobs/cfd-a", "GET /apis/batch/v1/namespaces/abode/jobs/cfd-missing"]);
  });

  test("deleteJob DELETEs with propagationPolicy Background (the pods go too); false when already gone", async () => {
    await api.createJob(job("cfd-a"));
    kube.addPod("cfd-a");
    expect(await api.deleteJob("cfd-a")).toBe(true);
    expect(await api.deleteJob("cfd-a")).toBe(false);
    const del = kube.requests.find((r) => r.method === "DELETE")!;
    expect(del.path).toBe("/apis/batch/v1/namespaces/abode/jobs/cfd-a");
    expect(del.body).toEqual({ apiVersion: "v1", kind: "DeleteOptions", propagationPolicy: "Background" });
    expect(kube.pods.size).toBe(0);
  });

  test("listJobPods selects by the Job's name label; listJobs passes a selector and a limit", async () => {
    await api.createJob(job("cfd-a"));
    await api.createJob(job("cfd-b"));
    const pod = kube.addPod("cfd-a");
    kube.addPod("cfd-b");
    expect((await api.listJobPods("cfd-a")).map((p) => p.metadata!.name)).toEqual([pod]);
    const podsRequest = kube.requests.at(-1)!;
    expect([podsRequest.path, podsRequest.query]).toEqual(["/api/v1/namespaces/abode/pods", { labelSelector: "batch.kubernetes.io/job-name=cfd-a" }]);
    expect(await api.listJobs("app.kubernetes.io/name=cfd-case", 1)).toHaveLength(1);
    expect(kube.requests.at(-1)!.query).toEqual({ labelSelector: "app.kubernetes.io/name=cfd-case", limit: "1" });
  });

  test("readPodLog asks for the case container with timestamps, sinceTime and a byte limit", async () => {
    await api.createJob(job("cfd-a"));
    const pod = kube.addPod("cfd-a");
    await expect(api.readPodLog(pod, { container: "case" })).rejects.toMatchObject({ status: 400, reason: "BadRequest" });
    kube.runPod(pod);
    kube.log(pod, "Time = 1");
    const text = await api.readPodLog(pod, { container: "case", timestamps: true, sinceTime: "2000-01-01T00:00:00Z", limitBytes: 4096 });
    expect(text).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z Time = 1\n$/);
    expect(kube.requests.at(-1)).toMatchObject({
      path: `/api/v1/namespaces/abode/pods/${pod}/log`,
      query: { container: "case", timestamps: "true", sinceTime: "2000-01-01T00:00:00Z", limitBytes: "4096" },
    });
  });

  test("the token is read for every request (the kubelet rotates projected tokens)", async () => {
    kube.token = "token-2";
    await expect(new KubernetesApi({ baseUrl: kube.url, namespace: "abode", token: () => "token-1" }).readJob("x")).rejects.toMatchObject({ status: 401 });
    expect(await api.readJob("x")).toBeUndefined();
    expect(kube.requests.at(-1)!.authorization).toBe("Bearer token-2");
    kube.token = "token-1";
  });

  test("another namespace is forbidden (the Role is namespaced), and the error says so", async () => {
    const other = new KubernetesApi({ baseUrl: kube.url, namespace: "kube-system", token: () => kube.token });
    await expect(other.readJob("x")).rejects.toThrow(/403 Forbidden: jobs.batch is forbidden/);
  });
});

describe("in-cluster configuration", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "sa-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test("host and port from the environment; token, CA and namespace from the mounted files", () => {
    writeFileSync(path.join(dir, "token"), "eyJ-token\n");
    writeFileSync(path.join(dir, "ca.crt"), "-----BEGIN CERTIFICATE-----\n");
    writeFileSync(path.join(dir, "namespace"), "abode");
    const options = inClusterOptions({ KUBERNETES_SERVICE_HOST: "172.20.0.1", KUBERNETES_SERVICE_PORT: "443" }, dir);
    expect(options).toMatchObject({ baseUrl: "https://172.20.0.1:443", namespace: "abode", ca: "-----BEGIN CERTIFICATE-----\n" });
    expect(options.token()).toBe("eyJ-token");
    writeFileSync(path.join(dir, "token"), "rotated");
    expect(options.token()).toBe("rotated");
    expect(inClusterOptions({ KUBERNETES_SERVICE_HOST: "fd00::1" }, dir).baseUrl).toBe("https://[fd00::1]:443");
  });

  test("outside a pod, or without a mounted token, it says what is missing", () => {
    expect(() => inClusterOptions({}, dir)).toThrow(/KUBERNETES_SERVICE_HOST is not set/);
    writeFileSync(path.join(dir, "ca.crt"), "x");
    writeFileSync(path.join(dir, "namespace"), "abode");
    expect(() => inClusterOptions({ KUBERNETES_SERVICE_HOST: "10.0.0.1" }, dir)).toThrow(/no service-account token at .*token \(is automountServiceAccountToken false/);
  });
});

describe("KubernetesApi over HTTPS with the cluster CA", () => {
  let dir: string;
  let kube: FakeKubernetes;
  const openssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });

  beforeAll(async () => {
    // A CA and a server certificate for 127.0.0.1 signed by it, as the API server has.
    dir = mkdtempSync(path.join(os.tmpdir(), "kube-tls-"));
    const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
    openssl("req", "-x509", ...ec, "-keyout", "ca.key", "-out", "ca.crt", "-days", "1", "-subj", "/CN=kubernetes-ca");
    openssl("req", ...ec, "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=kube-apiserver");
    writeFileSync(path.join(dir, "san.ext"), "subjectAltName=IP:127.0.0.1\n");
    openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.crt", "-days", "1", "-extfile", "san.ext");
    openssl("req", "-x509", ...ec, "-keyout", "other.key", "-out", "other.crt", "-days", "1", "-subj", "/CN=someone-else");
    kube = await startFakeKubernetes({ namespace: "abode", token: "t", tls: { key: readFileSync(path.join(dir, "server.key"), "utf8"), cert: readFileSync(path.join(dir, "server.crt"), "utf8") } });
  });
  afterAll(async () => {
    await kube.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("trusts the API server through the given CA", async () => {
    const api = new KubernetesApi({ baseUrl: kube.url, namespace: "abode", token: () => "t", ca: readFileSync(path.join(dir, "ca.crt"), "utf8") });
    expect(kube.url).toMatch(/^https:/);
    expect((await api.createJob(job("cfd-tls"))).metadata!.name).toBe("cfd-tls");
  });

  test("refuses a server its CA did not sign", async () => {
    const api = new KubernetesApi({ baseUrl: kube.url, namespace: "abode", token: () => "t", ca: readFileSync(path.join(dir, "other.crt"), "utf8") });
    await expect(api.readJob("cfd-tls")).rejects.toThrow(/self.signed|unable to verify|certificate/i);
  });
});
