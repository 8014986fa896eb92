import type { WorkloadSpec } from "../components/workload/spec";

/** The workloads that must exist before this one: its dependencies and the owners of the volumes it borrows. */
export function startsAfter(spec: WorkloadSpec): string[] {
  return [...new Set([...spec.dependsOn, ...spec.volumes.flatMap((v) => (v.owner ? [v.owner] : []))])];
}

/**
 * Specs sorted so every workload comes after the ones it depends on (and the owners of the volumes it borrows). Throws, naming them,
 * on a dependency that is not in the list or on a cycle. Pure.
 */
export function inDependencyOrder(specs: WorkloadSpec[]): WorkloadSpec[] {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const missing = specs.flatMap((s) => startsAfter(s).filter((d) => !byName.has(d)).map((d) => `${s.name} → ${d}`));
  if (missing.length > 0) throw new Error(`workloads depend on workloads that are not declared: ${missing.join(", ")}`);
  const ordered: WorkloadSpec[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (spec: WorkloadSpec, trail: string[]) => {
    if (state.get(spec.name) === "done") return;
    if (state.get(spec.name) === "visiting") throw new Error(`dependency cycle: ${[...trail, spec.name].join(" → ")}`);
    state.set(spec.name, "visiting");
    for (const dep of startsAfter(spec)) visit(byName.get(dep)!, [...trail, spec.name]);
    state.set(spec.name, "done");
    ordered.push(spec);
  };
  for (const spec of specs) visit(spec, []);
  return ordered;
}
