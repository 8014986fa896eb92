/**
 * The Kubernetes runner against a local Kubernetes API server and a local S3 server. In the
 * end-to-end tests the test plays kubelet and Job controller: when the solver creates a Job, it
 * runs the Job's entry point (`runCaseJob`, in-process) with the environment from the Job's
 * manifest (over the image's ENV), real OpenFOAM steps through the local runner, the pod's stdout as its log, and sets
 * the Job's condition from the exit code as the podFailurePolicy would.
 */
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseEnv } from "@abode/service-kit";
import type { IJob } from "kubernetes-models/batch/v1/Job";
import { placementFor } from "../../../components/workload/kubernetes";
import { jobEnvSchema } from "../src/job/env";
import { runCaseJob } from "../src/job/run";
import { KubernetesApi } from "../src/kubernetes/client";
import { kubernetesRunnerFromEnv, ownImage } from "../src/kubernetes/config";
import { caseJobName } from "../src/kubernetes/manifest";
import { KubernetesCaseRunner, type CaseJobSettings, type KubernetesCaseRunnerOptions } from "../src/kubernetes/runner";
import { createLocalRunner } from "../src/runner/local";
import type { RunRequest, RunStep } from "../src/runner/types";
import { CaseStore } from "../src/storage/s3";
import { writeBlockCase } from "./job-cases";
import { startFakeKubernetes, type FakeKubernetes } from "./kubernetes-api-server";
import { startFakeS3, TEST_CREDENTIALS, type FakeS3 } from "./storage-s3-server";
import { readDockerfile, targetStage } from "../../../test/dockerfile";

const OPENFOAM_DIR = "/usr/share/openfoam";
const BUCKET = "abode-cfd-cases";
const CASE_ID = "c0ffee00-1111-4222-8333-444455556666";
const pool = placementFor({ name: "cfd-case", pool: "cfd" });

let kube: FakeKubernetes;
let s3: FakeS3;
let store: CaseStore;
let casesDir: string;
let scratchRoot: string;

beforeAll(async () => {
  kube = await startFakeKubernetes({ namespace: "abode", token: "solver-token" });
  s3 = await startFakeS3({ bucket: BUCKET });
  store = new CaseStore({ bucket: BUCKET, region: "eu-west-1", endpoint: s3.url, forcePathStyle: true, credentials: TEST_CREDENTIALS });
});
afterAll(async () => {
  store.destroy();
  await Promise.all([kube.close(), s3.close()]);
});
beforeEach(async () => {
  casesDir = await fs.mkdtemp(path.join(os.tmpdir(), "cfd-cases-"));
  scratchRoot = await fs.mkdtemp(path.join(os.tmpdir(), "cfd-scratch-"));
  kube.jobs.clear();
  kube.pods.clear();
  kube.requests.length = 0;
  kube.onJobCreated = undefined;
  kube.onJobDeleted = undefined;
  s3.objects.clear();
});
afterEach(async () => {
  await fs.rm(casesDir, { recursive: true, force: true });
  await fs.rm(scratchRoot, { recursive: true, force: true });
});

function jobSettings(): CaseJobSettings {
  return {
    namespace: "abode",
    image: `123456789012.dkr.ecr.eu-west-1.amazonaws.com/abode/cfd@sha256:${"a".repeat(64)}`,
    version: "0.1.0",
    serviceAccountName: "cfd-case-job",
    placement: { nodeSelector: pool.nodeSelector, tolerations: pool.tolerations },
    storage: { bucket: BUCKET, region: "eu-west-1", endpoint: s3.url, forcePathStyle: true },
    activeDeadlineSeconds: 21_600,
    ttlSecondsAfterFinished: 3_600,
  };
}

function runner(overrides: Partial<KubernetesCaseRunnerOptions> = {}): KubernetesCaseRunner {
  return new KubernetesCaseRunner({
    api: new KubernetesApi({ baseUrl: kube.url, namespace: "abode", token: () => "solver-token" }),
    store,
    casesDir,
    job: jobSettings(),
    pollIntervalMs: 40,
    ...overrides,
  });
}

/** A prepared sector: a 4 x 2 x 2 block, ready for blockMesh, decomposePar (simple, 2) and checkMesh. */
function prepareSector(direction = 270): Promise<string> {
  return writeBlockCase(path.join(casesDir, CASE_ID, "sectors", String(direction)));
}

function request(caseDir: string, steps: RunStep[], processes: number, lines: string[], estimatedCells = 16): RunRequest {
  return { caseId: CASE_ID, caseDir, steps, processes, estimatedCells, onLog: (line) => lines.push(line) };
}

/**
 * Plays kubelet and Job controller for every Job created: a pod that waits for a node first,
 * then runs the Job's entry point with the manifest's environment (the emptyDir at /scratch
 * becomes a temporary directory), its output as the pod log; the exit code sets the Job's
 * condition. Deleting the Job sends the pod SIGTERM.
 */
function kubeletRunsJobs(): Promise<void>[] {
  const finished: Promise<void>[] = [];
  kube.onJobCreated = (job: IJob) => {
    const name = job.metadata!.name!;
    const container = job.spec!.template.spec!.containers[0]!;
    const env: Record<string, string> = {};
    for (const e of container.env!) env[e.name] = e.valueFrom ? job.metadata!.uid! : e.value!;
    env.CFD_SCRATCH_DIR = path.join(scratchRoot, name);
    const stop = new AbortController();
    kube.onJobDeleted = (deleted) => deleted.metadata!.name === name && stop.abort();
    finished.push(
      (async () => {
        const pod = kube.addPod(name);
        await new Promise((r) => setTimeout(r, 120)); // the pool scales up
        kube.runPod(pod);
        const parsed = parseEnv(jobEnvSchema, env);
        if (!parsed.ok) throw new Error(`the Job's environment is refused by its entry point: ${parsed.problems.join("; ")}`);
        const podStore = new CaseStore({ bucket: env.CFD_S3_BUCKET!, region: env.CFD_S3_REGION!, endpoint: env.CFD_S3_ENDPOINT, forcePathStyle: true, credentials: TEST_CREDENTIALS });
        // The container's environment: the image's ENV, then the manifest's.
        const local = createLocalRunner({ openfoamDir: OPENFOAM_DIR, env: { ...process.env, ...targetStage(readDockerfile("services/cfd/Dockerfile"))!.env, ...env } });
        const { exitCode } = await runCaseJob(parsed.env, { store: podStore, runner: local, print: (line) => kube.pods.has(pod) && kube.log(pod, line) }, stop.signal);
        podStore.destroy();
        if (!kube.jobs.has(name)) return;
        if (exitCode === 0) kube.finishJob(name, "Complete");
        else kube.finishJob(name, "Failed", "PodFailurePolicy", `Container case for pod abode/${pod} failed with exit code ${exitCode} matching FailJob rule at index 1`);
      })(),
    );
  };
  return finished;
}

describe("end to end with real OpenFOAM steps in the Job", () => {
  test("a parallel run: input uploaded, Job on the CFD pool, log followed once, results back in the case directory", async () => {
    const caseDir = await prepareSector();
    const finished = kubeletRunsJobs();
    const lines: string[] = [];
    const steps: RunStep[] = [
      { command: "blockMesh", args: [] },
      { command: "decomposePar", args: ["-force"] },
      { command: "checkMesh", args: [], parallel: true },
    ];
    const outcome = await runner().start(request(caseDir, steps, 2, lines)).done;
    await Promise.all(finished);
    expect(outcome).toEqual({ status: "succeeded" });

    // The prepared case went up as the Job's input.
    expect(s3.objects.get(`cases/${CASE_ID}/input/sectors/270/system/decomposeParDict`)!.toString()).toContain("numberOfSubdomains 2");
    // One Job, as posted: on the CFD pool, sized for 2 ranks, carrying the steps.
    const posts = kube.requests.filter((r) => r.method === "POST");
    expect(posts).toHaveLength(1);
    const job = posts[0]!.body as IJob;
    expect(job.metadata!.name).toBe(caseJobName(CASE_ID, "sectors/270", { steps, processes: 2 }));
    expect(job.spec!.template.spec!.nodeSelector).toEqual({ "abode.io/pool": "cfd" });
    expect(job.spec!.template.spec!.containers[0]!.resources!.limits!.cpu).toBe("2");
    expect(JSON.parse(job.spec!.template.spec!.containers[0]!.env!.find((e) => e.name === "CFD_RUN")!.value!)).toEqual({ steps, processes: 2 });

    // The case log: the runner's notes, the pod's situation, the Job's lines and OpenFOAM's, each once.
    expect(lines).toEqual(expect.arrayContaining([expect.stringMatching(/^\[kubernetes\] created Job abode\/cfd-c0ffee00/), expect.stringMatching(/waits for a node: 0\/3 nodes are available/)]));
    expect(lines).toEqual(expect.arrayContaining([expect.stringMatching(/^\[cfd-job\] downloaded the prepared case \(5 files\)/), "Mesh OK.", "Finalising parallel run"]));
    expect(lines.filter((l) => l === "Mesh OK.")).toHaveLength(1);
    expect(lines.filter((l) => l.startsWith("Create time")).length).toBe(3);

    // Results: the new mesh and the logs, not the decomposed copies nor the unchanged input.
    const results = [...s3.objects.keys()].filter((k) => k.startsWith(`cases/${CASE_ID}/sectors/270/`)).map((k) => k.slice(`cases/${CASE_ID}/sectors/270/`.length));
    expect(results).toEqual(expect.arrayContaining(["constant/polyMesh/points", "constant/polyMesh/owner", "log.blockMesh", "log.decomposePar", "log.checkMesh"]));
    expect(results.filter((r) => r.startsWith("processor") || r.startsWith("system/"))).toEqual([]);
    expect(await fs.readFile(path.join(caseDir, "log.checkMesh"), "utf8")).toContain("Mesh OK.");
    expect((await fs.stat(path.join(caseDir, "constant/polyMesh/points"))).size).toBeGreaterThan(0);
    const recorded = JSON.parse(s3.objects.get(`cases/${CASE_ID}/jobs/sectors/270/outcome.json`)!.toString());
    expect(recorded).toMatchObject({ status: "succeeded", jobUid: kube.jobs.get(job.metadata!.name!)!.metadata!.uid, resultFiles: results.length });
  }, 60_000);

  test("a failing solver fails the Job and the run, with OpenFOAM's reason and log tail; its log comes back", async () => {
    const caseDir = await prepareSector();
    const finished = kubeletRunsJobs();
    const lines: string[] = [];
    const outcome = await runner().start(request(caseDir, [{ command: "blockMesh", args: [] }, { command: "simpleFoam", args: [] }], 1, lines)).done;
    await Promise.all(finished);
    expect(outcome).toMatchObject({ status: "failed", reason: "simpleFoam exited with code 1" });
    if (outcome.status !== "failed") throw new Error("unreachable");
    expect(outcome.logTail.join("\n")).toMatch(/cannot find file ".*\/0\/p"/);
    expect(await fs.readFile(path.join(caseDir, "log.simpleFoam"), "utf8")).toContain("FOAM FATAL ERROR");
  }, 60_000);
});

/** A pod that runs but never ends by itself: what the test sets decides. */
function kubeletHoldsJobs(): void {
  kube.onJobCreated = (job) => {
    const pod = kube.addPod(job.metadata!.name!);
    kube.runPod(pod);
    kube.log(pod, "Time = 1");
    kube.log(pod, "smoothSolver:  Solving for Ux, Initial residual = 1, Final residual = 0.05, No Iterations 2");
  };
}

const until = async (condition: () => boolean) => {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!condition()) throw new Error("condition never held");
};

describe("following, cancelling and deciding", () => {
  const steps: RunStep[] = [{ command: "simpleFoam", args: [] }];

  test("cancel deletes the Job with propagationPolicy Background and the run ends cancelled", async () => {
    kubeletHoldsJobs();
    const lines: string[] = [];
    const running = runner().start(request(await prepareSector(), steps, 1, lines));
    await until(() => lines.includes("Time = 1"));
    await running.cancel();
    expect(await running.done).toEqual({ status: "cancelled" });
    const del = kube.requests.find((r) => r.method === "DELETE")!;
    expect(del.path).toMatch(/^\/apis\/batch\/v1\/namespaces\/abode\/jobs\/cfd-c0ffee00-/);
    expect(del.body.propagationPolicy).toBe("Background");
    expect(kube.jobs.size).toBe(0);
  });

  test("detach (solver shutdown) stops following but leaves the Job running, so a restart can pick it up", async () => {
    kubeletHoldsJobs();
    const lines: string[] = [];
    const running = runner().start(request(await prepareSector(), steps, 1, lines));
    await until(() => lines.includes("Time = 1"));
    await running.detach!();
    expect(await running.done).toEqual({ status: "cancelled" });
    expect(kube.requests.some((r) => r.method === "DELETE")).toBe(false);
    expect(kube.jobs.size).toBe(1);
  });

  test("a Job past its deadline fails the run saying so, with the log lines seen", async () => {
    kubeletHoldsJobs();
    const lines: string[] = [];
    const running = runner().start(request(await prepareSector(), steps, 1, lines));
    await until(() => lines.includes("Time = 1"));
    kube.finishJob([...kube.jobs.keys()][0]!, "Failed", "DeadlineExceeded", "Job was active longer than specified deadline");
    const outcome = await running.done;
    expect(outcome).toMatchObject({ status: "failed", reason: "the run took longer than its 21600 s deadline and was stopped" });
    expect(outcome.status === "failed" && outcome.logTail).toEqual(expect.arrayContaining(["Time = 1"]));
  });

  test("after a solver restart the same run follows its existing Job instead of starting a second one", async () => {
    kubeletHoldsJobs();
    const caseDir = await prepareSector();
    const first = runner().start(request(caseDir, steps, 1, []));
    await until(() => kube.jobs.size === 1);
    const lines: string[] = [];
    const second = runner().start(request(caseDir, steps, 1, lines));
    await until(() => lines.some((l) => l.includes("exists already")));
    expect(kube.jobs.size).toBe(1);
    const [name, job] = [...kube.jobs.entries()][0]!;
    await store.putJson(`cases/${CASE_ID}/jobs/sectors/270/outcome.json`, { status: "succeeded", jobUid: job.metadata!.uid, finishedAt: "2025-01-01T00:00:00Z", resultFiles: 1 });
    s3.objects.set(`cases/${CASE_ID}/sectors/270/log.simpleFoam`, Buffer.from("End\n"));
    kube.finishJob(name, "Complete");
    expect(await second.done).toEqual({ status: "succeeded" });
    expect(await first.done).toEqual({ status: "succeeded" });
    expect(await fs.readFile(path.join(caseDir, "log.simpleFoam"), "utf8")).toBe("End\n");
  });

  test("a retry of steps whose earlier Job failed replaces that Job", async () => {
    kubeletHoldsJobs();
    const caseDir = await prepareSector();
    const first = runner().start(request(caseDir, steps, 1, []));
    await until(() => kube.jobs.size === 1);
    const [name, failedJob] = [...kube.jobs.entries()][0]!;
    kube.finishJob(name, "Failed", "PodFailurePolicy", "Container case for pod abode/x failed with exit code 1 matching FailJob rule at index 1");
    expect(await first.done).toMatchObject({ status: "failed" });

    const lines: string[] = [];
    const retry = runner().start(request(caseDir, steps, 1, lines));
    await until(() => lines.some((l) => l.startsWith("[kubernetes] created Job")));
    expect(lines[0]).toMatch(/^\[kubernetes\] an earlier Job abode\/cfd-c0ffee00-\S+ of these steps failed \(the case container failed: Container case for pod abode\/x failed with exit code 1/);
    const replacement = kube.jobs.get(name)!;
    expect(replacement.metadata!.uid).not.toBe(failedJob.metadata!.uid);
    expect(kube.requests.filter((r) => r.method === "DELETE")).toHaveLength(1);
    await retry.cancel();
  });

  test("a Job already removed (TTL) is decided by the outcome it recorded — only if that outcome is its own", async () => {
    kubeletHoldsJobs();
    const caseDir = await prepareSector();
    const own = runner().start(request(caseDir, steps, 1, []));
    await until(() => kube.jobs.size === 1);
    const [name, job] = [...kube.jobs.entries()][0]!;
    await store.putJson(`cases/${CASE_ID}/jobs/sectors/270/outcome.json`, { status: "failed", jobUid: job.metadata!.uid, finishedAt: "2025-01-01T00:00:00Z", reason: "simpleFoam exited with code 1", logTail: ["diverged"] });
    kube.jobs.delete(name);
    expect(await own.done).toEqual({ status: "failed", reason: "simpleFoam exited with code 1", logTail: ["diverged"] });

    const stale = runner().start(request(caseDir, steps, 1, []));
    await until(() => kube.jobs.size === 1);
    kube.jobs.clear(); // the recorded outcome is the earlier Job's
    const outcome = await stale.done;
    expect(outcome).toMatchObject({ status: "failed", reason: expect.stringMatching(/disappeared before it reported an outcome/) });
  });

  test("a log faster than a poll can read is followed without stalling: the rest of an overfull second is skipped, saying so", async () => {
    kubeletHoldsJobs();
    const lines: string[] = [];
    const running = runner({ logBytesPerPoll: 400 }).start(request(await prepareSector(), steps, 1, lines));
    await until(() => lines.includes("Time = 1"));
    const pod = [...kube.pods.keys()][0]!;
    for (let i = 2; i <= 60; i++) kube.log(pod, `Time = ${i}`); // all within the same second, ~2 KB
    await until(() => lines.some((l) => l.startsWith("[kubernetes] skipped the rest of the log lines of")));
    await new Promise((r) => setTimeout(r, 1100));
    kube.log(pod, "End");
    await until(() => lines.includes("End"));
    const times = lines.filter((l) => l.startsWith("Time = "));
    expect(new Set(times).size).toBe(times.length);
    await running.cancel();
  });

  test("a case no CFD node can hold fails at once: nothing uploaded, no Job", async () => {
    const outcome = await runner().start(request(await prepareSector(), steps, 8, [], 50_000_000)).done;
    expect(outcome).toMatchObject({ status: "failed", reason: expect.stringMatching(/needs more than a CFD node offers: .*MiB memory > 57344 MiB/) });
    expect(kube.requests).toEqual([]);
    expect(s3.objects.size).toBe(0);
  });

  test("a case directory outside the cases volume is refused", async () => {
    const outcome = await runner().start({ ...request(await prepareSector(), steps, 1, []), caseDir: os.tmpdir() }).done;
    expect(outcome).toMatchObject({ status: "failed", reason: expect.stringMatching(/is not inside/) });
  });

  test("an API outage longer than allowed fails the run naming the API's error", async () => {
    kubeletHoldsJobs();
    const running = runner({ apiOutageMs: 200 }).start(request(await prepareSector(), steps, 1, []));
    await until(() => kube.jobs.size === 1);
    kube.failNext(1_000);
    const outcome = await running.done;
    kube.failNext(0);
    expect(outcome).toMatchObject({ status: "failed", reason: expect.stringMatching(/lost the Kubernetes API while following Job .*: .*500 InternalError: etcdserver: request timed out/) });
  });

  test("a short outage is ridden out", async () => {
    kubeletHoldsJobs();
    const lines: string[] = [];
    const running = runner().start(request(await prepareSector(), steps, 1, lines));
    await until(() => lines.includes("Time = 1"));
    kube.failNext(3);
    const [name, job] = [...kube.jobs.entries()][0]!;
    await store.putJson(`cases/${CASE_ID}/jobs/sectors/270/outcome.json`, { status: "succeeded", jobUid: job.metadata!.uid, finishedAt: "2025-01-01T00:00:00Z", resultFiles: 0 });
    kube.finishJob(name, "Complete");
    expect(await running.done).toEqual({ status: "succeeded" });
  });
});

describe("configuration from the environment and readiness", () => {
  let saDir: string;
  const env = () => ({
    KUBERNETES_SERVICE_HOST: "127.0.0.1",
    CFD_JOB_IMAGE: `123456789012.dkr.ecr.eu-west-1.amazonaws.com/abode/cfd@sha256:${"b".repeat(64)}`,
    CFD_JOB_VERSION: "0.1.0",
    CFD_JOB_SERVICE_ACCOUNT: "cfd-case-job",
    CFD_JOB_POOL_SELECTOR: "abode.io/pool=cfd",
    CFD_JOB_POOL_TOLERATION: "workload=cfd:NoSchedule",
    CFD_S3_BUCKET: BUCKET,
    CFD_S3_REGION: "eu-west-1",
  });
  beforeEach(async () => {
    saDir = await fs.mkdtemp(path.join(os.tmpdir(), "sa-"));
    await fs.writeFile(path.join(saDir, "token"), "solver-token");
    await fs.writeFile(path.join(saDir, "ca.crt"), "unused over plain HTTP");
    await fs.writeFile(path.join(saDir, "namespace"), "abode");
  });
  afterEach(() => fs.rm(saDir, { recursive: true, force: true }));

  test("every bad variable is listed at once", () => {
    expect(() => kubernetesRunnerFromEnv(casesDir, { ...env(), CFD_JOB_IMAGE: "not an image", CFD_JOB_POOL_TOLERATION: "workload=cfd", CFD_S3_BUCKET: "" }, saDir)).toThrow(
      /CFD_RUNNER=kubernetes: CFD_JOB_IMAGE: must be an image reference.*; CFD_JOB_POOL_TOLERATION: "workload=cfd" is not a taint.*; CFD_S3_BUCKET: /,
    );
  });

  test("without a mounted token the runner still starts: readiness and runs say what is missing", async () => {
    await fs.rm(path.join(saDir, "token"));
    const { runner: tokenless, close } = kubernetesRunnerFromEnv(casesDir, env(), saDir);
    expect(await tokenless.readiness()).toMatch(/^Kubernetes API: no service-account token at .*\/token \(is automountServiceAccountToken false for this pod\?\)/);
    const outcome = await tokenless.start(request(await prepareSector(), [{ command: "blockMesh", args: [] }], 1, [])).done;
    expect(outcome).toMatchObject({ status: "failed", reason: expect.stringMatching(/no service-account token/) });
    close();
  });

  test("without CFD_JOB_IMAGE, Jobs run the solver's own image, read once from its pod", async () => {
    const solverImage = `123456789012.dkr.ecr.eu-west-1.amazonaws.com/abode/cfd@sha256:${"e".repeat(64)}`;
    kube.pods.set("cfd-solver-0", {
      lines: [],
      pod: { apiVersion: "v1", kind: "Pod", metadata: { name: "cfd-solver-0", namespace: "abode" }, spec: { containers: [{ name: "cfd-solver", image: solverImage }] } },
    });
    const api = new KubernetesApi({ baseUrl: kube.url, namespace: "abode", token: () => "solver-token" });
    const image = ownImage(api, "cfd-solver-0");
    kubeletHoldsJobs();
    const running = runner({ api, job: { ...jobSettings(), image } }).start(request(await prepareSector(), [{ command: "blockMesh", args: [] }], 1, []));
    await until(() => kube.jobs.size === 1);
    expect([...kube.jobs.values()][0]!.spec!.template.spec!.containers[0]!.image).toBe(solverImage);
    await running.cancel();
    expect(await image()).toBe(solverImage);
    expect(kube.requests.filter((r) => r.path === "/api/v1/namespaces/abode/pods/cfd-solver-0")).toHaveLength(1);

    const { CFD_JOB_IMAGE: _, ...withoutImage } = env();
    const unnamed = kubernetesRunnerFromEnv(casesDir, withoutImage, saDir);
    await expect(ownImage(api, undefined)()).rejects.toThrow(/CFD_JOB_IMAGE is not set and HOSTNAME \(the pod's name\) is unknown/);
    await expect(ownImage(api, "cfd-missing-0")()).rejects.toThrow(/pod cfd-missing-0 has no container cfd-solver/);
    unnamed.close();
  });

  test("readiness: fine when the Jobs API and the bucket answer; otherwise the reason", async () => {
    const ok = kubernetesRunnerFromEnv(casesDir, env(), saDir);
    // The in-cluster URL is https://<host>:<port>; the test server speaks HTTP, so point at it directly.
    const api = new KubernetesApi({ baseUrl: kube.url, namespace: "abode", token: () => "solver-token" });
    expect(ok.runner).toBeInstanceOf(KubernetesCaseRunner);
    ok.close();
    const ready = runner({ api });
    expect(await ready.readiness()).toBeUndefined();
    expect(kube.requests.at(-1)!.query).toEqual({ labelSelector: "app.kubernetes.io/name=cfd-case", limit: "1" });
    const badToken = runner({ api: new KubernetesApi({ baseUrl: kube.url, namespace: "abode", token: () => "expired" }) });
    expect(await badToken.readiness()).toMatch(/^Kubernetes API: .*401 Unauthorized/);
    const otherBucket = new CaseStore({ bucket: "missing-bucket", region: "eu-west-1", endpoint: s3.url, forcePathStyle: true, credentials: TEST_CREDENTIALS });
    expect(await runner({ store: otherBucket }).readiness()).toMatch(/^S3 bucket missing-bucket: .*NoSuchBucket/);
    otherBucket.destroy();
  });
});
