import { readFileSync } from "node:fs";
import * as path from "node:path";
import type { WorkloadSpec } from "../workload/spec";
import { grafanaWorkload } from "./grafana";
import { jaegerWorkload } from "./jaeger";
import { otelCollectorWorkload } from "./otel-collector";
import { prometheusWorkload } from "./prometheus";
import { IMAGES } from "./versions";

const specs: WorkloadSpec[] = [
  otelCollectorWorkload(),
  jaegerWorkload(),
  prometheusWorkload({ targets: [], alertedServices: ["ifc"] }),
  grafanaWorkload({ adminPassword: "x", services: ["ifc"] }),
];
const repoRoot = path.join(__dirname, "../..");

describe.each(specs.map((s) => [s.name, s] as const))("%s", (_, spec) => {
  it("runs as a numeric non-root user, read-only, with no added capabilities", () => {
    expect(spec.security.runAsUser).toBeGreaterThan(0);
    expect(spec.security.runAsGroup).toBeGreaterThan(0);
    expect(spec.security.readOnlyRootFilesystem).toBe(true);
    expect(spec.security.addCapabilities ?? []).toEqual([]);
    expect(spec.security.serviceAccountToken ?? false).toBe(false);
  });

  it("has a Docker health check that runs a real probe, and an HTTP probe for Kubernetes", () => {
    expect(spec.health.command[0]).toBe("CMD");
    expect(spec.health.command).toContain("wget");
    expect(spec.health.http?.path).toMatch(/^\//);
  });

  it("has resource limits", () => {
    expect(spec.resources.cpu).toBeGreaterThan(0);
    expect(spec.resources.memoryMiB).toBeGreaterThanOrEqual(256);
  });

  it("has unique, IANA-length port names and declares a metrics port that exists", () => {
    const names = spec.ports.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name.length).toBeLessThanOrEqual(15);
    expect(names).toContain(spec.metrics!.port);
  });

  it("keeps config files at absolute paths, each once", () => {
    const paths = spec.configFiles.map((f) => f.path);
    expect(new Set(paths).size).toBe(paths.length);
    for (const p of paths) expect(p).toMatch(/^\//);
  });

  it("uses an image pinned to an exact version, or one built FROM exactly pinned images", () => {
    if (spec.image.kind === "pinned") {
      expect(spec.image.tag).toMatch(/^v?\d+\.\d+\.\d+$/);
      return;
    }
    const dockerfile = readFileSync(path.join(repoRoot, spec.image.dockerfile), "utf8");
    const froms = [...dockerfile.matchAll(/^FROM\s+(\S+)/gm)].map((m) => m[1]);
    const upstream = Object.values(IMAGES).find((i) => spec.image.tag.startsWith(`${i.tag}-`))!;
    expect(froms).toEqual([`${IMAGES.busybox.repository}:${IMAGES.busybox.tag}`, `${upstream.repository}:${upstream.tag}`]);
    expect(spec.version).toBe(upstream.tag);
    expect(path.dirname(spec.image.dockerfile)).toBe(spec.image.context);
    // The probe's binary is what the Dockerfile copies in.
    expect(dockerfile).toContain(`COPY --from=busybox /bin/busybox ${spec.health.command[1]}`);
    expect(dockerfile).toMatch(new RegExp(`^USER ${spec.security.runAsUser}$`, "m"));
  });
});

it("pins every third-party image to an exact version", () => {
  for (const image of Object.values(IMAGES)) expect(image.tag).toMatch(/^v?\d+\.\d+\.\d+(-musl)?$/);
});
