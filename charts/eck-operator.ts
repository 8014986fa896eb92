import type { ChartRef } from "./helm-release";
import { SYSTEM_POOL, containerSecurity, podSecurity, resources } from "./common";

/**
 * Elastic ECK operator, from https://helm.elastic.co. The chart's version is the operator's
 * release; 2.14.0 verified as a published ECK release (its `crds.yaml`/`operator.yaml` are
 * installed from download.elastic.co/downloads/eck/2.14.0 in public scripts).
 */
export const CHART: ChartRef = {
  repository: "https://helm.elastic.co",
  chart: "eck-operator",
  version: "2.14.0",
};

export const IMAGE = { repository: "docker.elastic.co/eck/eck-operator", tag: "2.14.0" } as const;

export const NAMESPACE = "elastic-system";

export interface EckOperatorValuesArgs {
  /** Namespaces the operator watches. @default ["logging"] */
  managedNamespaces?: string[];
}

/** The operator in its own namespace, watching only the ELK namespace; non-root on the system pool. */
export function values(args: EckOperatorValuesArgs = {}) {
  const managedNamespaces = args.managedNamespaces ?? ["logging"];
  if (managedNamespaces.length === 0) throw new Error("eck-operator: managedNamespaces must name at least one namespace");
  return {
    image: { repository: IMAGE.repository, tag: IMAGE.tag },
    installCRDs: true,
    managedNamespaces,
    nodeSelector: SYSTEM_POOL,
    podSecurityContext: podSecurity(1000, 1000),
    securityContext: containerSecurity({ uid: 1000 }),
    resources: resources({ cpu: "100m", memory: "150Mi" }, { cpu: "1", memory: "512Mi" }),
    config: { metrics: { port: 9090 } },
  };
}
