import type { WorkloadSpec } from "./spec";

/** A full release somewhere in the tag (`1.2.3`, `v2.55.1`, `pv-v5.8.0-osmesa-py3`); never `latest`, `8` or `8.19`. */
const EXACT_RELEASE = /(^|[^0-9.])v?\d+\.\d+\.\d+([^0-9.]|$)/;
const SHA256_DIGEST = /^sha256:[0-9a-f]{64}$/;
/** A reason short enough to say nothing is no reason. */
const MIN_REASON_LENGTH = 20;

/**
 * What is wrong with a spec, each problem named: its shape, and the secure-by-default
 * baseline (ARCHITECTURE.md). Empty when it can be rendered. The renderers refuse a spec with
 * problems, so no target ever runs one. Pure.
 */
export function specProblems(spec: WorkloadSpec): string[] {
  return [...shapeProblems(spec), ...securityProblems(spec)].map((p) => `workload ${spec.name}: ${p}`);
}

/** Throws one error listing every problem of the spec. */
export function assertValidSpec(spec: WorkloadSpec): void {
  const problems = specProblems(spec);
  if (problems.length > 0) throw new Error(`Invalid workload spec:\n  - ${problems.join("\n  - ")}`);
}

function shapeProblems(spec: WorkloadSpec): string[] {
  const problems: string[] = [];
  if (!/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(spec.name)) problems.push("name must be a DNS label");
  const portNames = spec.ports.map((p) => p.name);
  for (const name of new Set(portNames.filter((n, i) => portNames.indexOf(n) !== i))) problems.push(`port name ${name} is used twice`);
  for (const p of spec.ports) if (p.name.length > 15) problems.push(`port name ${p.name} is longer than 15 characters`);
  if (spec.metrics && !portNames.includes(spec.metrics.port)) problems.push(`metrics.port ${spec.metrics.port} is not one of its ports`);
  for (const f of spec.configFiles) if (!f.path.startsWith("/")) problems.push(`config file ${f.path} is not an absolute path`);
  if (spec.dependsOn.includes(spec.name)) problems.push("depends on itself");
  if (spec.health.command.length === 0) problems.push("health.command is empty");
  if (!(spec.resources.cpu > 0) || !(spec.resources.memoryMiB > 0)) problems.push("has no CPU or memory limit");
  return problems;
}

function securityProblems(spec: WorkloadSpec): string[] {
  const problems: string[] = [];
  const { security, image } = spec;
  const documented = (reason: string | undefined) => (reason ?? "").trim().length >= MIN_REASON_LENGTH;
  if ((security.runAsUser === 0 || security.runAsGroup === 0) && !documented(security.rootReason)) {
    problems.push(`runs as uid ${security.runAsUser} gid ${security.runAsGroup} without a documented security.rootReason`);
  }
  if (security.readOnlyRootFilesystem === false) problems.push("has a writable root filesystem");
  if ((security.addCapabilities?.length ?? 0) > 0) problems.push(`adds capabilities ${security.addCapabilities!.join(", ")}`);
  if (security.serviceAccountToken && !documented(security.serviceAccountTokenReason)) {
    problems.push("mounts a service-account token without a documented security.serviceAccountTokenReason");
  }
  if (spec.singleReplica !== undefined && !documented(spec.singleReplica)) problems.push("runs a single replica without a documented reason");
  for (const egress of spec.externalEgress ?? []) {
    if (!documented(egress.reason)) problems.push(`egress to ${egress.cidr} without a documented reason`);
  }
  if (!EXACT_RELEASE.test(image.tag) || image.tag.includes("latest")) problems.push(`image ${image.repository}:${image.tag} is not pinned to an exact release`);
  if (image.kind === "pinned" && image.digest !== undefined && !SHA256_DIGEST.test(image.digest)) {
    problems.push(`image digest ${image.digest} is not a sha256 digest`);
  }
  for (const hostPath of spec.hostPaths ?? []) {
    if (!documented(hostPath.reason)) problems.push(`mounts host path ${hostPath.dockerHostPath} without a documented reason`);
  }
  for (const path of security.writablePaths ?? []) {
    if (path === "/" || !path.startsWith("/")) problems.push(`writable path "${path}" is not an absolute sub-directory`);
  }
  return problems;
}
