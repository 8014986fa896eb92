import type * as pulumi from "@pulumi/pulumi";
import type { ChartRef } from "./helm-release";
import { IRSA_ANNOTATION, SYSTEM_POOL, assertRoleArn, containerSecurity, podSecurity, resources } from "./common";

/**
 * AWS Load Balancer Controller. 1.13.0 verified: `helm install ... eks/aws-load-balancer-controller
 * --version 1.13.0` in public install scripts (repository https://aws.github.io/eks-charts);
 * chart 1.13.x ships controller v2.13.x.
 */
export const CHART: ChartRef = {
  repository: "https://aws.github.io/eks-charts",
  chart: "aws-load-balancer-controller",
  version: "1.13.0",
};

export const IMAGE = { repository: "public.ecr.aws/eks/aws-load-balancer-controller", tag: "v2.13.0" } as const;

export const NAMESPACE = "kube-system";
export const SERVICE_ACCOUNT = "aws-load-balancer-controller";

export interface AwsLoadBalancerControllerValuesArgs {
  clusterName: pulumi.Input<string>;
  region: pulumi.Input<string>;
  vpcId: pulumi.Input<string>;
  /** IAM role the controller assumes through IRSA. */
  roleArn: pulumi.Input<string>;
  /** @default 2 */
  replicas?: number;
}

/** Two replicas on the system pool, IRSA-bound ServiceAccount, non-root, read-only root fs. */
export function values(args: AwsLoadBalancerControllerValuesArgs) {
  assertRoleArn(args.roleArn, "aws-load-balancer-controller roleArn");
  return {
    clusterName: args.clusterName,
    region: args.region,
    vpcId: args.vpcId,
    replicaCount: args.replicas ?? 2,
    image: { repository: IMAGE.repository, tag: IMAGE.tag },
    serviceAccount: { create: true, name: SERVICE_ACCOUNT, annotations: { [IRSA_ANNOTATION]: args.roleArn } },
    nodeSelector: SYSTEM_POOL,
    podSecurityContext: podSecurity(65534, 65534, 65534),
    securityContext: containerSecurity({ uid: 65534 }),
    resources: resources({ cpu: "100m", memory: "128Mi" }, { cpu: "500m", memory: "256Mi" }),
    podDisruptionBudget: { maxUnavailable: 1 },
  };
}
