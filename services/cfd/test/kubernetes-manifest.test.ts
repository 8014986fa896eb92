import { Job } from "kubernetes-models/batch/v1/Job";
import { parseEnv } from "@abode/service-kit";
import { caseJobNetworkPolicy, caseJobServiceAccount } from "../../../components/cfd/case-jobs";
import { placementFor } from "../../../components/workload/kubernetes";
import { namespaceDefaultDeny } from "../../../components/workload/network-policy";
import { KUBERNETES_POLICIES } from "../../../policies/kubernetes";
import { asResource, runPolicies } from "../../../policies/kubernetes/testing";
import { jobEnvSchema } from "../src/job/env";
import { CASE_CONTAINER, caseJobManifest, caseJobName, parseNodeSelector, parseToleration, type CaseJobArgs } from "../src/kubernetes/manifest";
import { caseJobResources, CaseTooLargeError, mpiRanksFor } from "../src/kubernetes/sizing";

const IMAGE = `123456789012.dkr.ecr.eu-west-1.amazonaws.com/abode/cfd@sha256:${"c".repeat(64)}`;
const cfdPool = placementFor({ name: "cfd-case", pool: "cfd" });

function args(overrides: Partial<CaseJobArgs> = {}): CaseJobArgs {
  return {
    caseId: "3f2a9c1e-7b4d-4e8a-9f10-2b3c4d5e6f70",
    runKey: "sectors/270",
    namespace: "abode",
    image: IMAGE,
    version: "0.1.0",
    serviceAccountName: "cfd-case-job",
    placement: { nodeSelector: cfdPool.nodeSelector, tolerations: cfdPool.tolerations },
    storage: { bucket: "abode-cfd-cases", region: "eu-west-1" },
    run: {
      steps: [
        { command: "blockMesh", args: [] },
        { command: "decomposePar", args: ["-force"] },
        { command: "simpleFoam", args: [], parallel: true },
        { command: "reconstructPar", args: ["-latestTime"] },
      ],
      processes: 8,
    },
    estimatedCells: 2_000_000,
    activeDeadlineSeconds: 21_600,
    ttlSecondsAfterFinished: 3_600,
    ...overrides,
  };
}

describe("sizing from the mesh estimate", () => {
  test.each([
    // cells, ranks → cpu, memory MiB, scratch GiB, shm MiB
    [50_000, 1, 1, 1280, 3, 0],
    [2_000_000, 8, 8, 6912, 10, 512],
    [10_000_000, 30, 30, 28928, 42, 1920],
  ])("%d cells on %d ranks: %d CPUs, %d MiB, %d GiB scratch, %d MiB shm", (cells, ranks, cpu, memoryMiB, scratchGiB, shmMiB) => {
    expect(caseJobResources(cells, ranks)).toEqual({ ranks, cpu, memoryMiB, scratchGiB, shmMiB, ephemeralStorageGiB: scratchGiB + 1 });
  });

  test("a case that no CFD node can hold is refused, saying what does not fit", () => {
    expect(() => caseJobResources(1_000_000, 31)).toThrow(CaseTooLargeError);
    expect(() => caseJobResources(30_000_000, 8)).toThrow(/MiB memory > 57344 MiB.*GiB scratch disk > 80 GiB/);
    expect(() => caseJobResources(1000, 0)).toThrow(/ranks must be a positive integer/);
  });

  test("MPI ranks: one per 150 k cells, at least one, at most what a node has", () => {
    expect([0, 100_000, 150_001, 1_500_000, 100_000_000].map((c) => mpiRanksFor(c))).toEqual([1, 1, 2, 10, 30]);
  });
});

describe("caseJobManifest", () => {
  const job = caseJobManifest(args());
  const pod = job.spec!.template.spec!;
  const container = pod.containers[0]!;

  test("is a valid batch/v1 Job (kubernetes-models schema)", () => {
    expect(() => new Job(job).validate()).not.toThrow();
    expect(() => new Job(caseJobManifest(args({ run: { steps: [{ command: "blockMesh", args: [] }], processes: 1 }, estimatedCells: 1000 }))).validate()).not.toThrow();
  });

  test("runs on the CFD pool: its node label, a toleration for its taint only", () => {
    expect(pod.nodeSelector).toEqual({ "abode.io/pool": "cfd" });
    expect(pod.tolerations).toEqual([{ key: "workload", operator: "Equal", value: "cfd", effect: "NoSchedule" }]);
  });

  test("spot-tolerant and bounded: disruptions are retried, a failing case fails at once, a deadline and a TTL", () => {
    expect(job.spec).toMatchObject({ backoffLimit: 1, activeDeadlineSeconds: 21_600, ttlSecondsAfterFinished: 3_600, podReplacementPolicy: "Failed" });
    expect(job.spec!.podFailurePolicy!.rules).toEqual([
      { action: "Ignore", onPodConditions: [{ type: "DisruptionTarget", status: "True" }] },
      { action: "FailJob", onExitCodes: { containerName: CASE_CONTAINER, operator: "NotIn", values: [0] } },
    ]);
    expect(pod.restartPolicy).toBe("Never");
  });

  test("sized from the estimate: one core per rank, requests = limits, scratch and shared memory sized too", () => {
    const quantities = { cpu: "8", memory: "6912Mi", "ephemeral-storage": "11Gi" };
    expect(container.resources).toEqual({ requests: quantities, limits: quantities });
    expect(pod.volumes).toEqual([
      { name: "scratch", emptyDir: { sizeLimit: "10Gi" } },
      { name: "tmp", emptyDir: { sizeLimit: "1Gi" } },
      { name: "shm", emptyDir: { medium: "Memory", sizeLimit: "512Mi" } },
    ]);
    expect(container.volumeMounts!.map((m) => m.mountPath)).toEqual(["/scratch", "/tmp", "/dev/shm"]);
    const serial = caseJobManifest(args({ run: { steps: [{ command: "blockMesh", args: [] }], processes: 1 }, estimatedCells: 1000 }));
    expect(serial.spec!.template.spec!.volumes!.map((v) => v.name)).toEqual(["scratch", "tmp"]);
  });

  test("locked down: uid 10001, non-root, read-only root, no privilege escalation, ALL capabilities dropped, RuntimeDefault seccomp, no API token", () => {
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: "RuntimeDefault" } });
    expect(container.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 10001,
      runAsGroup: 10001,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      privileged: false,
      capabilities: { drop: ["ALL"] },
      seccompProfile: { type: "RuntimeDefault" },
    });
    expect(pod.serviceAccountName).toBe("cfd-case-job");
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.enableServiceLinks).toBe(false);
  });

  test("carries the recommended labels and the case id, on the Job and its pods", () => {
    const labels = {
      "app.kubernetes.io/name": "cfd-case",
      "app.kubernetes.io/instance": job.metadata!.name,
      "app.kubernetes.io/version": "0.1.0",
      "app.kubernetes.io/component": "cfd",
      "app.kubernetes.io/part-of": "abode",
      "app.kubernetes.io/managed-by": "cfd-solver",
      "abode.io/case-id": "3f2a9c1e-7b4d-4e8a-9f10-2b3c4d5e6f70",
    };
    expect(job.metadata!.labels).toEqual(labels);
    expect(job.spec!.template.metadata!.labels).toEqual(labels);
    expect(job.metadata!.annotations).toEqual({ "abode.io/run-key": "sectors/270", "abode.io/estimated-cells": "2000000" });
  });

  test("its environment is what the Job's entry point accepts (the contract between the two)", () => {
    expect(container.command).toEqual(["node", "/app/services/cfd/dist/job/main.js"]);
    const env: Record<string, string> = {};
    for (const e of container.env!) {
      if (e.valueFrom) {
        expect(e.valueFrom).toEqual({ fieldRef: { fieldPath: "metadata.labels['batch.kubernetes.io/controller-uid']" } });
        env[e.name] = "0c5f8a52-uid";
      } else env[e.name] = e.value!;
    }
    const parsed = parseEnv(jobEnvSchema, env);
    if (!parsed.ok) throw new Error(parsed.problems.join("; "));
    expect(parsed.env.CFD_RUN).toEqual(args().run);
    expect(parsed.env.CFD_JOB_UID).toBe("0c5f8a52-uid");
    expect(parsed.env.CFD_S3_FORCE_PATH_STYLE).toBe(false);
    const custom = caseJobManifest(args({ storage: { bucket: "b", region: "r", endpoint: "http://minio:9000", forcePathStyle: true } }));
    const names = custom.spec!.template.spec!.containers[0]!.env!.map((e) => `${e.name}=${e.value ?? ""}`);
    expect(names).toEqual(expect.arrayContaining(["CFD_S3_ENDPOINT=http://minio:9000", "CFD_S3_FORCE_PATH_STYLE=true"]));
  });

  test("refuses a case that no CFD node can hold, and ids that cannot label a Job", () => {
    expect(() => caseJobManifest(args({ estimatedCells: 40_000_000 }))).toThrow(CaseTooLargeError);
    expect(() => caseJobManifest(args({ caseId: "Not/A/Label" }))).toThrow(/case id/);
    expect(() => caseJobManifest(args({ runKey: "../x" }))).toThrow(/run key/);
  });

  test("passes every Kubernetes policy (prod settings) with its ServiceAccount, the namespace default-deny and its NetworkPolicy", () => {
    const objects = [
      job,
      caseJobServiceAccount("abode", "arn:aws:iam::123456789012:role/cfd-job-role"),
      namespaceDefaultDeny("abode"),
      caseJobNetworkPolicy("abode", "0.1.0"),
    ] as Record<string, any>[];
    const findings = runPolicies(KUBERNETES_POLICIES, objects.map((o) => asResource(o, "case-job")), { prod: true });
    expect(findings.map((f) => `${f.policy}: ${f.message}`)).toEqual([]);
    // …and they look at it: as root with a writable root filesystem, it is reported.
    const root = structuredClone(job);
    root.spec!.template.spec!.containers[0]!.securityContext = { runAsUser: 0, readOnlyRootFilesystem: false };
    const rootFindings = runPolicies(KUBERNETES_POLICIES, [asResource(root as Record<string, any>, "case-job")], { prod: true }).map((f) => f.policy);
    expect(rootFindings).toEqual(expect.arrayContaining(["kubernetes-core-pod-require-read-only-root-filesystem", "kubernetes-core-pod-disallow-root-user"]));
  });
});

describe("caseJobName", () => {
  const id = "3f2a9c1e-7b4d-4e8a-9f10-2b3c4d5e6f70";
  const mesh = { steps: [{ command: "blockMesh", args: [] }], processes: 1 };
  const solve = { steps: [{ command: "simpleFoam", args: [] }], processes: 1 };

  test("deterministic: the same steps of the same run find the same Job again", () => {
    expect(caseJobName(id, "sectors/270", mesh)).toBe(caseJobName(id, "sectors/270", { steps: [{ command: "blockMesh", args: [] }], processes: 1 }));
    expect(caseJobManifest(args()).metadata!.name).toBe(caseJobName(id, "sectors/270", args().run));
  });

  test("one per run and per set of steps (meshing and solving a run are two Jobs)", () => {
    const names = [caseJobName(id, "sectors/270", mesh), caseJobName(id, "sectors/90", mesh), caseJobName(id, "sectors/270", solve), caseJobName(id, "sectors/270", { ...mesh, processes: 2 })];
    expect(new Set(names).size).toBe(4);
  });

  test("a DNS label with room for the pods' suffixes, readable from the case id", () => {
    for (const name of [caseJobName(id, "run", mesh), caseJobName("X".repeat(63), "run", mesh), caseJobName("___", "run", mesh)]) {
      expect(name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
      expect(name.length).toBeLessThanOrEqual(52);
    }
    expect(caseJobName("Case_One.v2", "mesh", mesh)).toMatch(/^cfd-case-one-v2-[0-9a-f]{10}$/);
  });
});

describe("pool placement from the workload's environment", () => {
  test("kubectl-style selector and taint parse to the pool's nodeSelector and toleration", () => {
    expect(parseNodeSelector("abode.io/pool=cfd")).toEqual(cfdPool.nodeSelector);
    expect([parseToleration("workload=cfd:NoSchedule")]).toEqual(cfdPool.tolerations);
    expect(() => parseNodeSelector("abode.io/pool")).toThrow(/not a node selector/);
    expect(() => parseToleration("workload=cfd:Sometimes")).toThrow(/not a taint/);
  });
});
