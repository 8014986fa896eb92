import type { AuditResource } from "./policy";

/**
 * A documented exception: the annotation `policy.abode.io/exempt-<policy name>: <reason>` on a
 * resource exempts it from that one policy. The finding is still reported, as `exempt` with the
 * reason, so auditors see every exception; it just no longer fails the run. A reason too short
 * to say anything exempts nothing (the same bar as the workload validator's root reason).
 */
export const EXEMPTION_PREFIX = "policy.abode.io/exempt-";
const MIN_REASON_LENGTH = 20;

/** The annotation that exempts a resource from `policyName`. */
export function exemptionAnnotation(policyName: string): string {
  const key = `${EXEMPTION_PREFIX}${policyName}`;
  // The name part of an annotation key is at most 63 characters.
  if (key.length - key.indexOf("/") - 1 > 63) throw new Error(`exemption annotation for ${policyName} would exceed 63 characters`);
  return key;
}

/** The reason `resource` is exempt from `policyName`, if it documents one. */
export function exemptionFor(resource: AuditResource, policyName: string): string | undefined {
  const reason = resource.props?.metadata?.annotations?.[`${EXEMPTION_PREFIX}${policyName}`];
  return typeof reason === "string" && reason.trim().length >= MIN_REASON_LENGTH ? reason.trim() : undefined;
}
