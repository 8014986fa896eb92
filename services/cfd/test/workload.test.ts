import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { parseEnv } from "@abode/service-kit";
import { renderDocker } from "../../../components/workload/docker";
import { placementFor, renderKubernetes } from "../../../components/workload/kubernetes";
import { namespaceDefaultDeny, networkPeersFor, workloadNetworkPolicy } from "../../../components/workload/network-policy";
import type { WorkloadSpec } from "../../../components/workload/spec";
import { exemptionFor } from "../../../policies/core/exemptions";
import { KUBERNETES_POLICIES } from "../../../policies/kubernetes";
import { asResource, runPolicies } from "../../../policies/kubernetes/testing";
import { cfdEnv } from "../src/case/config";
import { kubernetesRunnerEnvSchema } from "../src/kubernetes/config";
import { postprocessorEnv } from "../src/post/env";
import {
  CFD_CASES_DIR,
  CFD_MESHER_PORT,
  CFD_POSTPROCESSOR_PORT,
  CFD_SOLVER_PORT,
  caseJobsEnv,
  cfdMesherWorkload,
  cfdPostprocessorWorkload,
  cfdSolverWorkload,
} from "../workload";
import { aptPins, readDockerfile, targetStage } from "../../../test/dockerfile";

const base = { version: "0.1.0", otlpEndpoint: "http://otel-collector:4318" };
const caseJobs = { image: `123456789012.dkr.ecr.eu-west-1.amazonaws.com/abode/cfd@sha256:${"d".repeat(64)}`, bucket: "abode-cfd-cases-1a2b", region: "eu-west-1" };
const specs = () => [cfdSolverWorkload(base), cfdMesherWorkload(base), cfdPostprocessorWorkload(base)];
const dockerTarget = { prefix: "abode-dev", network: "abode-dev-net", bindAddress: "127.0.0.1", hostPorts: { http: 8000 }, gpus: false, labels: {} };
const stringEnv = (spec: WorkloadSpec) => Object.fromEntries(Object.entries(spec.env).filter(([, v]) => typeof v === "string")) as Record<string, string>;

describe("the three CFD workloads", () => {
  test("one image (services/cfd/Dockerfile), one entry point each, their ports, component cfd", () => {
    expect(specs().map((s) => [s.name, s.image, s.args, s.ports, s.component])).toEqual(
      (
        [
          ["cfd-solver", "solver", CFD_SOLVER_PORT],
          ["cfd-mesher", "mesher", CFD_MESHER_PORT],
          ["cfd-postprocessor", "post", CFD_POSTPROCESSOR_PORT],
        ] as const
      ).map(([name, entry, port]) => [
        name,
        { kind: "build", context: ".", dockerfile: "services/cfd/Dockerfile", repository: "abode/cfd", tag: "0.1.0" },
        ["node", `services/cfd/dist/${entry}/main.js`],
        [{ name: "http", containerPort: port }],
        "cfd",
      ]),
    );
    for (const spec of specs()) expect(existsSync(path.resolve(__dirname, "..", spec.args![1]!.replace("services/cfd/dist/", "src/").replace(/\.js$/, ".ts")))).toBe(true);
  });

  test("the environment each service's own schema accepts (the solver's and mesher's cfdEnv, the post-processor's)", () => {
    const [solver, mesher, post] = specs();
    for (const [spec, schema] of [
      [solver!, cfdEnv],
      [mesher!, cfdEnv],
      [post!, postprocessorEnv],
    ] as const) {
      const parsed = parseEnv(schema, stringEnv(spec));
      if (!parsed.ok) throw new Error(`${spec.name}: ${parsed.problems.join("; ")}`);
      expect(parsed.env.CFD_CASES_DIR).toBe(CFD_CASES_DIR);
    }
    expect(solver!.env).toMatchObject({ CFD_RUNNER: "local", CFD_PROCESSES: "4", CFD_RUN_TIMEOUT_SECONDS: "21600" });
    expect(cfdSolverWorkload({ ...base, resources: { cpu: 1.5, memoryMiB: 2048 } }).env.CFD_PROCESSES).toBe("1");
  });

  test("dev: the post-processor mounts the solver's cases volume, which only the solver creates; the mesher has its own", () => {
    const [solver, mesher, post] = specs().map((s) => renderDocker(s, dockerTarget));
    expect(solver!.volumes).toEqual(["abode-dev-cfd-solver-cases"]);
    expect(post!.volumes).toEqual([]);
    expect(post!.container.volumes).toEqual([{ volumeName: "abode-dev-cfd-solver-cases", containerPath: CFD_CASES_DIR }]);
    expect(mesher!.volumes).toEqual(["abode-dev-cfd-mesher-cases"]);
    // Read-only root, /tmp as tmpfs, uid 10001: the solver writes only there and to the volume.
    expect(solver!.container).toMatchObject({ readOnly: true, user: "10001:10001", tmpfs: { "/tmp": expect.any(String) } });
  });

  test("prod: each renders (the post-processor with a claim of its own, EBS being ReadWriteOnce) and passes every Kubernetes policy", () => {
    const ecr = (spec: WorkloadSpec): WorkloadSpec => ({ ...spec, image: { ...spec.image, repository: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/abode/cfd" } });
    const all = [cfdSolverWorkload({ ...base, caseJobs }), cfdMesherWorkload(base), cfdPostprocessorWorkload(base)].map(ecr);
    const target = { namespace: "abode", replicas: 2, labels: { "app.kubernetes.io/part-of": "abode", "app.kubernetes.io/managed-by": "pulumi" } };
    const objects: Record<string, any>[] = [namespaceDefaultDeny("abode")];
    for (const spec of all) {
      objects.push(...(Object.values(renderKubernetes(spec, target)).filter(Boolean) as Record<string, any>[]));
      objects.push(workloadNetworkPolicy(spec, { ...networkPeersFor(spec, all), ingressFromAlb: false, namespace: "abode", observabilityNamespace: "observability" }));
    }
    expect(objects.filter((o) => o.kind === "StatefulSet").map((o) => [o.metadata.name, o.spec.volumeClaimTemplates.map((c: any) => c.metadata.name)])).toEqual([
      ["cfd-solver", ["state-cases"]],
      ["cfd-mesher", ["state-cases"]],
      ["cfd-postprocessor", ["state-cases"]],
    ]);
    const findings = runPolicies(KUBERNETES_POLICIES, objects.map((o) => asResource(o, "cfd")), { prod: true });
    expect(findings.filter((f) => !exemptionFor(f.resource, f.policy)).map((f) => `${f.policy}: ${f.resource.name}: ${f.message}`)).toEqual([]);
    // Each runs one replica, by design and documented: its queue or results live on its own volume.
    expect(findings.map((f) => [f.policy, f.resource.name])).toEqual(
      ["cfd-solver", "cfd-mesher", "cfd-postprocessor"].map((name) => ["kubernetes-apps-deployment-require-min-replicas", name]),
    );
  });
});

describe("prod: the solver runs cases as Kubernetes Jobs", () => {
  const spec = cfdSolverWorkload({ ...base, runTimeoutSeconds: 7200, caseJobs: { ...caseJobs, processes: 16 } });

  test("its environment is what the Kubernetes runner and the solver accept", () => {
    const env = stringEnv(spec);
    const runner = parseEnv(kubernetesRunnerEnvSchema, env);
    if (!runner.ok) throw new Error(runner.problems.join("; "));
    const solver = parseEnv(cfdEnv, env);
    if (!solver.ok) throw new Error(solver.problems.join("; "));
    expect(solver.env).toMatchObject({ CFD_RUNNER: "kubernetes", CFD_PROCESSES: 16, CFD_RUN_TIMEOUT_SECONDS: 7200 });
    expect(runner.env).toMatchObject({
      CFD_JOB_IMAGE: caseJobs.image,
      CFD_JOB_VERSION: "0.1.0",
      CFD_JOB_SERVICE_ACCOUNT: "cfd-case-job",
      CFD_JOB_DEADLINE_SECONDS: 8100,
      CFD_JOB_TTL_SECONDS: 3600,
      CFD_S3_BUCKET: caseJobs.bucket,
      CFD_S3_REGION: "eu-west-1",
    });
  });

  test("the Jobs' pool is the CFD pool exactly as node-pools.ts labels and taints it", () => {
    const runner = parseEnv(kubernetesRunnerEnvSchema, stringEnv(spec));
    if (!runner.ok) throw new Error(runner.problems.join("; "));
    const pool = placementFor({ name: "cfd-case", pool: "cfd" });
    expect(runner.env.CFD_JOB_POOL_SELECTOR).toEqual(pool.nodeSelector);
    expect([runner.env.CFD_JOB_POOL_TOLERATION]).toEqual(pool.tolerations);
  });

  test("without an image, the Jobs' image is left to the solver (its own, from its pod)", () => {
    const { image: _, ...withoutImage } = caseJobs;
    expect(Object.keys(cfdSolverWorkload({ ...base, caseJobs: withoutImage }).env)).not.toContain("CFD_JOB_IMAGE");
  });

  test("values only known at deploy time (the image digest, the bucket name) pass through as Inputs", () => {
    const image = Promise.resolve("repo@sha256:x");
    const env = caseJobsEnv({ ...caseJobs, image }, "0.1.0", 60);
    expect(env.CFD_JOB_IMAGE).toBe(image);
    expect(env.CFD_JOB_DEADLINE_SECONDS).toBe("960");
  });
});

describe("the Dockerfile (the conventions every service image shares are in test/service-images.test.ts)", () => {
  const runtime = targetStage(readDockerfile("services/cfd/Dockerfile"))!;
  const installed = (pkg: string) => execFileSync("dpkg-query", ["-W", "-f", "${Version}", pkg], { encoding: "utf8" });

  test("OpenFOAM and Open MPI pinned to the versions the tests here run, without recommends", () => {
    expect(aptPins(runtime)).toEqual({ openfoam: installed("openfoam"), libopenfoam: installed("libopenfoam"), "openmpi-bin": installed("openmpi-bin") });
    expect(runtime.runs.find((r) => r.includes("apt-get install"))).toMatch(/--no-install-recommends/);
  });

  test("the solver by default, all three ports, OpenFOAM/MPI set up for a read-only root", () => {
    expect(runtime.cmd).toEqual(cfdSolverWorkload(base).args);
    expect(runtime.expose).toEqual([CFD_SOLVER_PORT, CFD_MESHER_PORT, CFD_POSTPROCESSOR_PORT].map(String));
    expect(runtime.env).toMatchObject({ PORT: String(CFD_SOLVER_PORT), WM_PROJECT_DIR: "/usr/share/openfoam", OMPI_MCA_plm: "isolated", OMPI_MCA_btl_vader_single_copy_mechanism: "none", HOME: "/tmp", TMPDIR: "/tmp" });
    expect(runtime.runs).toContain(`mkdir -p ${CFD_CASES_DIR} && chown 10001:10001 ${CFD_CASES_DIR}`);
  });
});
