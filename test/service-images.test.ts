/**
 * Every image we build follows the Dockerfile convention (services/README.md), and agrees with
 * the workload spec that runs it: same port, same entry point, same uid, the stage it names.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { APP_UID } from "../components/workload/app-service";
import type { WorkloadSpec } from "../components/workload/spec";
import { WORKLOAD_NAMES } from "../stacks/config/catalogue";
import { parseStackConfig } from "../stacks/config/load";
import { appWorkloads } from "../stacks/workloads";
import { REPO_ROOT, readDockerfile, targetStage } from "./dockerfile";
import { rawConfig } from "./stack-file";

/** Every service we build, enabled, on CPU and on GPU targets (some pick a Dockerfile stage by it). */
function builtSpecs(): WorkloadSpec[] {
  const everything = Object.fromEntries(WORKLOAD_NAMES.map((name) => [name, { enabled: true }]));
  const config = parseStackConfig(rawConfig({ "abode:target": "kubernetes", "abode:workloads": everything, "abode:cluster": { ingressCertificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-0000-4000-8000-000000000000" } }));
  const specs = [false, true].flatMap((gpus) => appWorkloads(config, { otlpEndpoint: "http://collector:4318", gpus }));
  return specs.filter((s) => s.image.kind === "build" && s.kind !== "job");
}

const specs = builtSpecs();

test("builds every service: the plain Node ones from the shared Dockerfile, CFD and AI parsing from their own", () => {
  const recipes = Object.fromEntries(specs.map((s) => [s.name, s.image.kind === "build" ? s.image.dockerfile : ""]));
  expect(recipes).toEqual({
    ...Object.fromEntries(["ai-lighting", "gen3d", "ifc", "rag", "reasoning", "risk"].map((n) => [n, "services/Dockerfile"])),
    ...Object.fromEntries(["cfd-solver", "cfd-mesher", "cfd-postprocessor"].map((n) => [n, "services/cfd/Dockerfile"])),
    "ai-parsing": "services/ai-parsing/Dockerfile",
  });
});

describe.each(specs.map((s) => [`${s.name}${s.image.kind === "build" && s.image.target ? ` (${s.image.target})` : ""}`, s] as const))("%s", (_label, spec) => {
  const image = spec.image as Extract<WorkloadSpec["image"], { kind: "build" }>;
  const file = readDockerfile(image.dockerfile);
  const stage = targetStage(file, image.target);
  /** `${ARG}` replaced by the spec's build arguments. */
  const resolve = (text: string) => text.replace(/\$\{(\w+)\}/g, (_m, name: string) => image.args?.[name] ?? `\${${name}}`);

  test("builds from the repository root with a pinned base, in stages, with the arguments its recipe needs", () => {
    expect(image.context).toBe(".");
    const declared = new Set(file.stages.flatMap((st) => st.argNames));
    for (const name of Object.keys(image.args ?? {})) expect(declared).toContain(name);
    expect(file.args.NODE_IMAGE).toMatch(/^node:22\.\d+\.\d+-bookworm-slim$/);
    for (const [name, value] of Object.entries(file.args)) if (name.endsWith("_IMAGE")) expect(value).not.toMatch(/:latest$|^[^:]+$/);
    expect(file.stages.length).toBeGreaterThanOrEqual(2);
    expect(stage).toBeDefined();
  });

  test("its runtime stage runs as the services' numeric uid, with a health check on /healthz", () => {
    expect(stage!.user).toBe(`${APP_UID}:${APP_UID}`);
    expect(spec.security.runAsUser).toBe(APP_UID);
    expect(stage!.healthcheck).toMatch(/\/healthz/);
  });

  test("exposes the port the spec serves on, and starts an entry point that exists in the source", () => {
    const port = spec.ports.find((p) => p.name === "http")!.containerPort;
    expect(stage!.expose.map((p) => Number(resolve(p)))).toContain(port);
    // The spec's command, else the image's: `node <main>` directly or through SERVICE_MAIN.
    const command = spec.args ?? stage!.cmd!;
    const main = command[0] === "node" ? command[1]! : resolve(stage!.env.SERVICE_MAIN!);
    const source = main.replace(/^services\/([^/]+)\/dist\//, "services/$1/src/").replace(/\.js$/, ".ts");
    expect(existsSync(path.join(REPO_ROOT, source))).toBe(true);
  });
});
