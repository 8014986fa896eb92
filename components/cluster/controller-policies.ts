import type { PolicyDocument } from "./irsa";

/**
 * The IAM permissions of the two controllers that act on AWS for the cluster, each scoped by
 * the tags those controllers put on what they own. Statements whose APIs have no resource-level
 * permissions (Describe*) are listed by Sid, so `irsaRole` lets exactly those be unscoped.
 */

/** cluster-autoscaler: read the groups, resize only this cluster's. */
export function clusterAutoscalerPolicy(clusterName: string): { policy: PolicyDocument; unscopedSids: string[] } {
  return {
    unscopedSids: ["Describe"],
    policy: {
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "Describe",
          Effect: "Allow",
          Action: [
            "autoscaling:DescribeAutoScalingGroups",
            "autoscaling:DescribeAutoScalingInstances",
            "autoscaling:DescribeLaunchConfigurations",
            "autoscaling:DescribeScalingActivities",
            "autoscaling:DescribeTags",
            "ec2:DescribeImages",
            "ec2:DescribeInstanceTypes",
            "ec2:DescribeLaunchTemplateVersions",
            "ec2:GetInstanceTypesFromInstanceRequirements",
            // Labels and taints of an empty managed node group (scale from zero).
            "eks:DescribeNodegroup",
          ],
          Resource: "*",
        },
        {
          Sid: "ResizeOwnGroups",
          Effect: "Allow",
          Action: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
          Resource: "arn:aws:autoscaling:*:*:autoScalingGroup:*:autoScalingGroupName/*",
          Condition: { StringEquals: { [`aws:ResourceTag/k8s.io/cluster-autoscaler/${clusterName}`]: "owned" } },
        },
      ],
    },
  };
}

/** The tag the AWS Load Balancer Controller puts on every load balancer, target group and security group it creates. */
const LBC_CLUSTER_TAG = "elbv2.k8s.aws/cluster";

/**
 * AWS Load Balancer Controller, after the upstream policy: describe anything, create only with
 * its cluster tag on the request, change or delete only what carries that tag.
 */
export function loadBalancerControllerPolicy(): { policy: PolicyDocument; unscopedSids: string[] } {
  const created = { Null: { [`aws:RequestTag/${LBC_CLUSTER_TAG}`]: "false" } };
  const owned = { Null: { [`aws:ResourceTag/${LBC_CLUSTER_TAG}`]: "false" } };
  const elb = "arn:aws:elasticloadbalancing:*:*";
  const balancers = [`${elb}:loadbalancer/app/*/*`, `${elb}:loadbalancer/net/*/*`, `${elb}:targetgroup/*/*`];
  return {
    unscopedSids: ["Describe", "CreateSecurityGroup", "CreateLoadBalancers", "ManageListeners", "RegisterTargets"],
    policy: {
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "Describe",
          Effect: "Allow",
          Action: [
            "ec2:DescribeAccountAttributes",
            "ec2:DescribeAddresses",
            "ec2:DescribeAvailabilityZones",
            "ec2:DescribeInternetGateways",
            "ec2:DescribeVpcs",
            "ec2:DescribeVpcPeeringConnections",
            "ec2:DescribeSubnets",
            "ec2:DescribeSecurityGroups",
            "ec2:DescribeInstances",
            "ec2:DescribeNetworkInterfaces",
            "ec2:DescribeTags",
            "ec2:DescribeCoipPools",
            "ec2:GetCoipPoolUsage",
            "ec2:GetSecurityGroupsForVpc",
            "elasticloadbalancing:DescribeLoadBalancers",
            "elasticloadbalancing:DescribeLoadBalancerAttributes",
            "elasticloadbalancing:DescribeListeners",
            "elasticloadbalancing:DescribeListenerCertificates",
            "elasticloadbalancing:DescribeListenerAttributes",
            "elasticloadbalancing:DescribeSSLPolicies",
            "elasticloadbalancing:DescribeRules",
            "elasticloadbalancing:DescribeTargetGroups",
            "elasticloadbalancing:DescribeTargetGroupAttributes",
            "elasticloadbalancing:DescribeTargetHealth",
            "elasticloadbalancing:DescribeTags",
            "elasticloadbalancing:DescribeTrustStores",
            "acm:ListCertificates",
            "acm:DescribeCertificate",
            "iam:ListServerCertificates",
            "iam:GetServerCertificate",
            "wafv2:GetWebACL",
            "wafv2:GetWebACLForResource",
            "shield:GetSubscriptionState",
          ],
          Resource: "*",
        },
        {
          Sid: "CreateSecurityGroup",
          Effect: "Allow",
          Action: ["ec2:CreateSecurityGroup"],
          Resource: "*",
          Condition: created,
        },
        {
          Sid: "TagOwnSecurityGroups",
          Effect: "Allow",
          Action: ["ec2:CreateTags", "ec2:DeleteTags"],
          Resource: "arn:aws:ec2:*:*:security-group/*",
          Condition: owned,
        },
        {
          Sid: "ManageOwnSecurityGroups",
          Effect: "Allow",
          Action: ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress", "ec2:DeleteSecurityGroup"],
          Resource: "arn:aws:ec2:*:*:security-group/*",
          Condition: owned,
        },
        {
          Sid: "CreateLoadBalancers",
          Effect: "Allow",
          Action: ["elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup"],
          Resource: "*",
          Condition: created,
        },
        {
          Sid: "ManageListeners",
          Effect: "Allow",
          Action: [
            "elasticloadbalancing:CreateListener",
            "elasticloadbalancing:DeleteListener",
            "elasticloadbalancing:CreateRule",
            "elasticloadbalancing:DeleteRule",
            "elasticloadbalancing:ModifyListener",
            "elasticloadbalancing:ModifyRule",
            "elasticloadbalancing:AddListenerCertificates",
            "elasticloadbalancing:RemoveListenerCertificates",
          ],
          Resource: "*",
        },
        {
          Sid: "TagOwnLoadBalancers",
          Effect: "Allow",
          Action: ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
          Resource: balancers,
          Condition: owned,
        },
        {
          Sid: "ManageOwnLoadBalancers",
          Effect: "Allow",
          Action: [
            "elasticloadbalancing:ModifyLoadBalancerAttributes",
            "elasticloadbalancing:SetIpAddressType",
            "elasticloadbalancing:SetSecurityGroups",
            "elasticloadbalancing:SetSubnets",
            "elasticloadbalancing:DeleteLoadBalancer",
            "elasticloadbalancing:ModifyTargetGroup",
            "elasticloadbalancing:ModifyTargetGroupAttributes",
            "elasticloadbalancing:DeleteTargetGroup",
          ],
          Resource: balancers,
          Condition: owned,
        },
        {
          Sid: "RegisterTargets",
          Effect: "Allow",
          Action: ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"],
          Resource: `${elb}:targetgroup/*/*`,
        },
      ],
    },
  };
}
