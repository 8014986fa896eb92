import type { WorkloadSpec } from "./spec";

/** What is wrong with a spec, each problem named; empty when it can be rendered. Pure. */
export function specProblems(spec: WorkloadSpec): string[] {
  const problems: string[] = [];
  const where = `workload ${spec.name}`;
  if (!/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(spec.name)) problems.push(`${where}: name must be a DNS label`);
  if (spec.security.runAsUser === 0 && !spec.security.rootReason?.trim()) {
    problems.push(`${where}: security.runAsUser is 0 without a security.rootReason`);
  }
  const portNames = spec.ports.map((p) => p.name);
  for (const name of new Set(portNames.filter((n, i) => portNames.indexOf(n) !== i))) problems.push(`${where}: port name ${name} is used twice`);
  for (const p of spec.ports) if (p.name.length > 15) problems.push(`${where}: port name ${p.name} is longer than 15 characters`);
  if (spec.metrics && !portNames.includes(spec.metrics.port)) problems.push(`${where}: metrics.port ${spec.metrics.port} is not one of its ports`);
  for (const f of spec.configFiles) if (!f.path.startsWith("/")) problems.push(`${where}: config file ${f.path} is not an absolute path`);
  if (spec.dependsOn.includes(spec.name)) problems.push(`${where}: depends on itself`);
  if (spec.health.command.length === 0) problems.push(`${where}: health.command is empty`);
  if (spec.image.tag === "latest" || spec.image.tag === "") problems.push(`${where}: image tag must be an exact version`);
  return problems;
}

/** Throws one error listing every problem of the spec. */
export function assertValidSpec(spec: WorkloadSpec): void {
  const problems = specProblems(spec);
  if (problems.length > 0) throw new Error(`Invalid workload spec:\n  - ${problems.join("\n  - ")}`);
}
