import type { WorkloadSpec } from "../workload/spec";

/**
 * Departures from the baseline a workload may make, each only with its written reason. Running
 * as root is not one of them: its reason lives in the spec itself (`security.rootReason`), so
 * the renderers and this check read the same one.
 */
export interface BaselineExceptions {
  /** Why its root filesystem is writable. */
  writableRootFilesystem?: string;
  /** Why it adds capabilities back. */
  addedCapabilities?: string;
}

/** An exact release: `1.2.3`, `v1.2.3`, `1.2.3-musl`; never `latest`, `8`, or `8.19`. */
const EXACT_TAG = /^v?\d+\.\d+\.\d+([-+.][0-9A-Za-z.-]+)?$/;
const SHA256_DIGEST = /^sha256:[0-9a-f]{64}$/;

/**
 * What a workload spec breaks of the secure-by-default baseline (ARCHITECTURE.md, "Secure by
 * default"), as messages naming the workload; empty when it passes. Pure.
 */
export function securityBaselineViolations(spec: WorkloadSpec, exceptions: BaselineExceptions = {}): string[] {
  const problems: string[] = [];
  const problem = (message: string) => problems.push(`${spec.name}: ${message}`);
  const documented = (reason: string | undefined) => (reason ?? "").trim().length >= 20;
  const { security, image } = spec;

  if ((security.runAsUser === 0 || security.runAsGroup === 0) && !documented(security.rootReason)) {
    problem(`runs as uid ${security.runAsUser} gid ${security.runAsGroup} without a documented security.rootReason`);
  }
  if (security.readOnlyRootFilesystem === false && !documented(exceptions.writableRootFilesystem)) {
    problem("has a writable root filesystem without a documented reason");
  }
  if ((security.addCapabilities?.length ?? 0) > 0 && !documented(exceptions.addedCapabilities)) {
    problem(`adds capabilities ${security.addCapabilities!.join(", ")} without a documented reason`);
  }
  if (security.serviceAccountToken) problem("mounts a service-account token");
  if (image.kind === "pinned") {
    if (!EXACT_TAG.test(image.tag)) problem(`image ${image.repository}:${image.tag} is not pinned to an exact release`);
    if (image.digest !== undefined && !SHA256_DIGEST.test(image.digest)) problem(`image digest ${image.digest} is not a sha256 digest`);
  }
  if (!(spec.resources.cpu > 0) || !(spec.resources.memoryMiB > 0)) problem("has no CPU or memory limit");
  for (const hostPath of spec.hostPaths ?? []) {
    if (!documented(hostPath.reason)) problem(`mounts host path ${hostPath.dockerHostPath} without a reason`);
  }
  for (const path of security.writablePaths ?? []) {
    if (path === "/" || !path.startsWith("/")) problem(`writable path "${path}" is not an absolute sub-directory`);
  }
  return problems;
}
