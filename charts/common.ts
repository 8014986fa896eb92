import type * as pulumi from "@pulumi/pulumi";
import { POOL_LABEL, type PoolName } from "../components/cluster/node-pools";

/** Shapes shared by the chart values: placement, resources, security contexts. */

export function poolSelector(pool: PoolName): Record<string, string> {
  return { [POOL_LABEL]: pool };
}

/** Where cluster add-ons run. */
export const SYSTEM_POOL = poolSelector("system");

export interface ResourceSpec {
  requests: { cpu: string; memory: string };
  limits: { cpu: string; memory: string };
}

export function resources(request: { cpu: string; memory: string }, limit: { cpu: string; memory: string }): ResourceSpec {
  return { requests: { ...request }, limits: { ...limit } };
}

/** Pod-level: non-root with a fixed uid/gid and the runtime's default seccomp profile. */
export function podSecurity(uid: number, gid = uid, fsGroup?: number) {
  return {
    runAsNonRoot: true,
    runAsUser: uid,
    runAsGroup: gid,
    ...(fsGroup !== undefined ? { fsGroup } : {}),
    seccompProfile: { type: "RuntimeDefault" },
  };
}

/** Container-level: the Kubernetes "restricted" profile plus a read-only root filesystem. */
export function containerSecurity(opts: { uid?: number; readOnlyRootFilesystem?: boolean } = {}) {
  return {
    ...(opts.uid !== undefined ? { runAsNonRoot: true, runAsUser: opts.uid, runAsGroup: opts.uid } : {}),
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: opts.readOnlyRootFilesystem ?? true,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
  };
}

/** IRSA: the annotation binding a ServiceAccount to an IAM role. */
export const IRSA_ANNOTATION = "eks.amazonaws.com/role-arn";

/** Checks a role ARN known at preview time; an Output (a role made by the same stack) is trusted. */
export function assertRoleArn(roleArn: pulumi.Input<string>, what: string): void {
  if (typeof roleArn === "string" && !/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(roleArn)) {
    throw new Error(`${what}: "${roleArn}" is not an IAM role ARN`);
  }
}
