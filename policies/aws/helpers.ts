/** Small readers shared by the AWS, Cloudflare and cost policies. Inputs arrive as Pulumi sends them: booleans sometimes as strings. */
import type { AuditResource } from "../core/policy";

/** `true`, `"true"` (launch templates take strings), case-insensitive. */
export function isTrue(value: unknown): boolean {
  return value === true || (typeof value === "string" && value.toLowerCase() === "true");
}

export function asArray<T = any>(value: unknown): T[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? (value as T[]) : [value as T];
}

export const WORLD_CIDRS = new Set(["0.0.0.0/0", "::/0"]);

/** An IAM / resource policy document, given as JSON text or as an object; undefined when unreadable. */
export function policyDocument(value: unknown): { Statement?: unknown } | undefined {
  if (typeof value === "string") {
    try {
      const parsed = JSON.parse(value);
      return typeof parsed === "object" && parsed !== null ? parsed : undefined;
    } catch {
      return undefined;
    }
  }
  return typeof value === "object" && value !== null ? (value as { Statement?: unknown }) : undefined;
}

export interface Statement {
  Sid?: string;
  Effect?: string;
  Action?: string | string[];
  NotAction?: string | string[];
  Principal?: unknown;
  NotPrincipal?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

export function statementsOf(document: unknown): Statement[] {
  const doc = policyDocument(document);
  return doc ? asArray<Statement>(doc.Statement).filter((s) => typeof s === "object" && s !== null) : [];
}

export function describeStatement(statement: Statement, index: number): string {
  return statement.Sid ? `statement ${statement.Sid}` : `statement ${index}`;
}

/**
 * Whether `value` (an input naming another resource: a bucket name, a group id) refers to
 * `target`: its provider id, its physical name, or a recorded dependency on it.
 */
export function refersTo(owner: AuditResource, value: unknown, target: AuditResource, physicalNameKeys: string[] = []): boolean {
  if (typeof value === "string" && value !== "") {
    if (target.id !== undefined && value === target.id) return true;
    for (const key of physicalNameKeys) if (target.props[key] === value) return true;
    if (value === target.props.arn) return true;
  }
  // No known value (unknown during a real preview): the recorded dependency decides, when unique.
  return value === undefined || typeof value !== "string" ? (owner.dependencies ?? []).includes(target.source) : false;
}

/** The pool a node group belongs to, from its `abode.io/pool` label. */
export const POOL_LABEL = "abode.io/pool";

export const NODE_GROUP_TYPES = new Set(["eks:index:ManagedNodeGroup", "aws:eks/nodeGroup:NodeGroup"]);

export function poolOf(resource: AuditResource): string | undefined {
  const labels = resource.props.labels;
  const pool = labels && typeof labels === "object" ? (labels as Record<string, unknown>)[POOL_LABEL] : undefined;
  return typeof pool === "string" ? pool : undefined;
}
