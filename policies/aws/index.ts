import type { AuditPolicy } from "../core/policy";
import { awsEc2LaunchtemplateDisallowPublicIp } from "./aws-ec2-launchtemplate-disallow-public-ip";
import { awsEc2LaunchtemplateRequireImdsv2 } from "./aws-ec2-launchtemplate-require-imdsv2";
import { awsEc2SecuritygroupDisallowWorldIngress } from "./aws-ec2-securitygroup-disallow-world-ingress";
import { awsEc2SubnetDisallowPublicIpOnLaunch } from "./aws-ec2-subnet-disallow-public-ip-on-launch";
import { awsEc2VolumeRequireEncryption } from "./aws-ec2-volume-require-encryption";
import { awsEcrRepositoryEnableScanOnPush } from "./aws-ecr-repository-enable-scan-on-push";
import { awsEcrRepositoryRequireImmutableTags } from "./aws-ecr-repository-require-immutable-tags";
import { awsEfsFilesystemRequireEncryption } from "./aws-efs-filesystem-require-encryption";
import { awsEksClusterDisallowPublicEndpoint } from "./aws-eks-cluster-disallow-public-endpoint";
import { awsEksClusterEnableAuditLogs } from "./aws-eks-cluster-enable-audit-logs";
import { awsEksClusterRequireSecretsEncryption } from "./aws-eks-cluster-require-secrets-encryption";
import { awsIamPolicyDisallowWildcardActions } from "./aws-iam-policy-disallow-wildcard-actions";
import { awsIamPolicyDisallowWildcardPrincipals } from "./aws-iam-policy-disallow-wildcard-principals";
import { awsKmsKeyEnableRotation } from "./aws-kms-key-enable-rotation";
import { awsS3BucketBlockPublicAccess } from "./aws-s3-bucket-block-public-access";
import { awsS3BucketEnableVersioning } from "./aws-s3-bucket-enable-versioning";
import { awsS3BucketRequireEncryption } from "./aws-s3-bucket-require-encryption";

/** Every AWS policy (all in the security pack). */
export const AWS_POLICIES: AuditPolicy[] = [
  awsEksClusterDisallowPublicEndpoint,
  awsEksClusterRequireSecretsEncryption,
  awsEksClusterEnableAuditLogs,
  awsEc2LaunchtemplateRequireImdsv2,
  awsEc2LaunchtemplateDisallowPublicIp,
  awsEc2SubnetDisallowPublicIpOnLaunch,
  awsEc2VolumeRequireEncryption,
  awsEfsFilesystemRequireEncryption,
  awsS3BucketRequireEncryption,
  awsS3BucketBlockPublicAccess,
  awsS3BucketEnableVersioning,
  awsEcrRepositoryEnableScanOnPush,
  awsEcrRepositoryRequireImmutableTags,
  awsEc2SecuritygroupDisallowWorldIngress,
  awsIamPolicyDisallowWildcardActions,
  awsIamPolicyDisallowWildcardPrincipals,
  awsKmsKeyEnableRotation,
];
