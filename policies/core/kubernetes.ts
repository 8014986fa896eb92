import type { AuditResource } from "./policy";

/**
 * Where the pod spec sits in each kind that runs pods, so a pod-level policy is written once.
 * Pod templates of ECK custom resources count too (they run our logging pods).
 */
const POD_SPEC_PATHS: Record<string, string[]> = {
  "kubernetes:core/v1:Pod": ["spec"],
  "kubernetes:apps/v1:Deployment": ["spec", "template", "spec"],
  "kubernetes:apps/v1:StatefulSet": ["spec", "template", "spec"],
  "kubernetes:apps/v1:DaemonSet": ["spec", "template", "spec"],
  "kubernetes:apps/v1:ReplicaSet": ["spec", "template", "spec"],
  "kubernetes:batch/v1:Job": ["spec", "template", "spec"],
  "kubernetes:batch/v1:CronJob": ["spec", "jobTemplate", "spec", "template", "spec"],
  "kubernetes:core/v1:ReplicationController": ["spec", "template", "spec"],
};

/** The pod spec a workload resource runs, or undefined when it runs no pods. */
export function podSpecOf(resource: AuditResource): Record<string, any> | undefined {
  const path = POD_SPEC_PATHS[resource.type];
  if (!path) return undefined;
  let node: any = resource.props;
  for (const key of path) node = node?.[key];
  return node && typeof node === "object" ? node : {};
}

/** Every container of a pod spec (init and ephemeral ones included), with where it is. */
export function containersOf(pod: Record<string, any>): { container: Record<string, any>; path: string }[] {
  return (["initContainers", "containers", "ephemeralContainers"] as const).flatMap((field) =>
    ((pod[field] as Record<string, any>[] | undefined) ?? []).map((container, i) => ({ container, path: `${field}[${i}] ${container.name ?? ""}`.trim() })),
  );
}

export function isWorkload(resource: AuditResource): boolean {
  return resource.type in POD_SPEC_PATHS;
}
