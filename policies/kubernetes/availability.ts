import type { AuditResource } from "../core/policy";
import { isKind, namespaceOf } from "./pods";

/** Deployments and StatefulSets: the controllers whose replicas the availability policies look at. */
export function isReplicated(resource: AuditResource): boolean {
  return isKind(resource, "apps", "Deployment", "StatefulSet");
}

/** HorizontalPodAutoscalers (any version) scaling `resource`. */
export function autoscalersOf(resource: AuditResource, resources: AuditResource[]): AuditResource[] {
  const kind = resource.type.split(":").pop();
  const name = resource.props?.metadata?.name ?? resource.name;
  return resources.filter(
    (r) =>
      isKind(r, "autoscaling", "HorizontalPodAutoscaler") &&
      namespaceOf(r) === namespaceOf(resource) &&
      r.props?.spec?.scaleTargetRef?.kind === kind &&
      r.props?.spec?.scaleTargetRef?.name === name,
  );
}

/** The fewest replicas the controller runs: the autoscaler's minimum when one scales it, else `spec.replicas` (default 1). */
export function minimumReplicas(resource: AuditResource, resources: AuditResource[]): { replicas: number; from: string } {
  const hpas = autoscalersOf(resource, resources);
  if (hpas.length) {
    const min = Math.min(...hpas.map((h) => Number(h.props?.spec?.minReplicas ?? 1)));
    return { replicas: min, from: `HorizontalPodAutoscaler ${hpas[0]!.props?.metadata?.name ?? hpas[0]!.name} minReplicas` };
  }
  const r = resource.props?.spec?.replicas;
  return { replicas: r === undefined || r === null ? 1 : Number(r), from: r === undefined || r === null ? "spec.replicas (unset, default 1)" : "spec.replicas" };
}

/** `25%` → 25; anything else undefined. */
export function percent(value: unknown): number | undefined {
  if (typeof value !== "string") return undefined;
  const m = /^(\d+(?:\.\d+)?)%$/.exec(value.trim());
  return m ? Number(m[1]) : undefined;
}
