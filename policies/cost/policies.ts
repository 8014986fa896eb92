import type { AuditPolicy } from "../core/policy";
import { awsEksNodegroupRequireScaleFromZero } from "./aws-eks-nodegroup-require-scale-from-zero";
import { awsEksNodegroupRequireSpotCfd } from "./aws-eks-nodegroup-require-spot-cfd";
import { awsEksNodegroupRestrictInstanceTypes } from "./aws-eks-nodegroup-restrict-instance-types";

/** Infrastructure cost policies (the cost pack; Kubernetes requests/limits ones live in policies/kubernetes). */
export const COST_POLICIES: AuditPolicy[] = [awsEksNodegroupRestrictInstanceTypes, awsEksNodegroupRequireScaleFromZero, awsEksNodegroupRequireSpotCfd];
