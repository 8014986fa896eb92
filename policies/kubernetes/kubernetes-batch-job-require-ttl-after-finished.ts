import type { ResourcePolicy } from "../core/policy";
import { describe, isKind } from "./pods";

export const kubernetesBatchJobRequireTtlAfterFinished: ResourcePolicy = {
  kind: "resource",
  name: "kubernetes-batch-job-require-ttl-after-finished",
  pack: "reliability",
  description:
    "Jobs set `spec.ttlSecondsAfterFinished`, so finished Jobs and their pods are garbage-collected instead of piling up (CronJobs clean up through their history limits). " +
    "No direct peer check in kube-linter or Polaris.",
  severity: "low",
  remediation: "Set `spec.ttlSecondsAfterFinished` (e.g. 86400 keeps a finished Job a day for inspection).",
  frameworks: [],
  validateResource: (resource) =>
    isKind(resource, "batch", "Job") && (resource.props?.spec?.ttlSecondsAfterFinished === undefined || resource.props?.spec?.ttlSecondsAfterFinished === null)
      ? [`${describe(resource)}: spec.ttlSecondsAfterFinished is not set`]
      : [],
};
