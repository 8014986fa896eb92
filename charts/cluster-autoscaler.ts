import type * as pulumi from "@pulumi/pulumi";
import { POOL_LABEL, POOL_TAINTS, poolLabels, type PoolName } from "../components/cluster/node-pools";
import type { ChartRef } from "./helm-release";
import { IRSA_ANNOTATION, SYSTEM_POOL, assertRoleArn, containerSecurity, podSecurity, resources } from "./common";

/**
 * Kubernetes cluster-autoscaler. Chart 9.46.3 verified: a running install labelled
 * `helm.sh/chart: cluster-autoscaler-9.46.3` (repository https://kubernetes.github.io/autoscaler).
 * The autoscaler's minor must match the cluster's, so the image is chosen from the Kubernetes
 * version (`imageTagFor`), not left to the chart's appVersion (1.32).
 */
export const CHART: ChartRef = {
  repository: "https://kubernetes.github.io/autoscaler",
  chart: "cluster-autoscaler",
  version: "9.46.3",
};

export const IMAGE_REPOSITORY = "registry.k8s.io/autoscaling/cluster-autoscaler";

/** Published autoscaler releases per Kubernetes minor (v1.33.0 seen in upstream-derived manifests). */
const IMAGE_TAGS: Record<string, string> = { "1.32": "v1.32.0", "1.33": "v1.33.0" };

export const NAMESPACE = "kube-system";
export const SERVICE_ACCOUNT = "cluster-autoscaler";

/** The autoscaler image tag for a Kubernetes minor; throws for a minor we have not pinned. */
export function imageTagFor(kubernetesVersion: string): string {
  const tag = IMAGE_TAGS[kubernetesVersion];
  if (!tag) throw new Error(`cluster-autoscaler: no pinned image for Kubernetes ${kubernetesVersion} (pinned: ${Object.keys(IMAGE_TAGS).join(", ")})`);
  return tag;
}

export type Expander = "least-waste" | "priority";

export interface ClusterAutoscalerValuesArgs {
  clusterName: pulumi.Input<string>;
  region: pulumi.Input<string>;
  /** IAM role the autoscaler assumes through IRSA. */
  roleArn: pulumi.Input<string>;
  /** The cluster's Kubernetes minor, e.g. "1.33". */
  kubernetesVersion: string;
  /** Tried in order; `priority` needs `priorities`. @default ["least-waste"] */
  expanders?: Expander[];
  /** Priority expander: priority (higher wins) → node-group name regexes. @default none */
  priorities?: Record<number, string[]>;
  /** How long a node must be unneeded before it is removed. @default "10m" */
  scaleDownUnneededTime?: string;
}

/**
 * Auto-discovers the cluster's node groups by their `k8s.io/cluster-autoscaler/<cluster>` and
 * `.../enabled` tags, scales the GPU and CFD pools from 0 (and back to 0: nodes with emptyDir
 * are not kept alive) and balances similar groups across zones. One replica (leader election)
 * on the system pool.
 */
export function values(args: ClusterAutoscalerValuesArgs) {
  assertRoleArn(args.roleArn, "cluster-autoscaler roleArn");
  const expanders = args.expanders ?? ["least-waste"];
  if (expanders.length === 0) throw new Error("cluster-autoscaler: expanders must not be empty");
  if (expanders.includes("priority") && !args.priorities) throw new Error("cluster-autoscaler: the priority expander needs `priorities`");
  const unneeded = args.scaleDownUnneededTime ?? "10m";
  if (!/^\d+[smh]$/.test(unneeded)) throw new Error(`cluster-autoscaler: scaleDownUnneededTime "${unneeded}" is not a duration like 10m`);
  return {
    cloudProvider: "aws",
    awsRegion: args.region,
    autoDiscovery: { clusterName: args.clusterName },
    image: { repository: IMAGE_REPOSITORY, tag: imageTagFor(args.kubernetesVersion) },
    replicaCount: 1,
    rbac: { create: true, serviceAccount: { create: true, name: SERVICE_ACCOUNT, annotations: { [IRSA_ANNOTATION]: args.roleArn } } },
    extraArgs: {
      expander: expanders.join(","),
      "scale-down-unneeded-time": unneeded,
      "skip-nodes-with-local-storage": false,
      "balance-similar-node-groups": true,
      "logtostderr": true,
    },
    ...(args.priorities ? { expanderPriorities: args.priorities } : {}),
    nodeSelector: SYSTEM_POOL,
    securityContext: podSecurity(65534, 65534, 65534),
    containerSecurityContext: containerSecurity({ uid: 65534 }),
    resources: resources({ cpu: "100m", memory: "300Mi" }, { cpu: "500m", memory: "600Mi" }),
  };
}

/**
 * Tags for a pool's Auto Scaling group so the autoscaler can build a node template while the
 * group is at 0 nodes: the pool's labels, its taint and its GPUs. (With managed node groups the
 * autoscaler can also read labels/taints from `eks:DescribeNodegroup`; the tags make scale-from-
 * zero independent of that permission, and are the only source for extended resources.)
 */
export function scaleFromZeroTags(pool: PoolName, opts: { gpusPerNode?: number } = {}): Record<string, string> {
  const prefix = "k8s.io/cluster-autoscaler/node-template";
  const tags: Record<string, string> = {};
  for (const [key, value] of Object.entries(poolLabels(pool))) tags[`${prefix}/label/${key}`] = value;
  const taint = POOL_TAINTS[pool];
  if (taint) tags[`${prefix}/taint/${taint.key}`] = `${taint.value}:${taint.effect}`;
  if (pool === "gpu") tags[`${prefix}/resources/nvidia.com/gpu`] = String(opts.gpusPerNode ?? 1);
  if (!tags[`${prefix}/label/${POOL_LABEL}`]) throw new Error(`pool ${pool} has no ${POOL_LABEL} label`);
  return tags;
}
