/**
 * Runs a stack's real program (stacks/index.ts) under mocks, from its Pulumi.<stack>.yaml, and
 * turns what it registered into AuditResources: inputs with Pulumi's secret wrappers removed,
 * resource references as their names. For the CLI and the bench: one evaluation per process.
 */
import * as path from "node:path";
import type * as pulumiType from "@pulumi/pulumi";
import { dockerContainerAsPod } from "../core/docker";
import type { AuditResource } from "../core/policy";
import { readStackFile } from "../../test/stack-file";
import { installMocks, settle, unsecret, type Captured } from "./mocks";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");

/** Captured inputs made plain: secrets unwrapped (deeply), resources named, outputs marked, no cycles. */
export function plain(value: unknown, seen = new WeakSet<object>()): any {
  const v = unsecret(value);
  if (typeof v !== "object" || v === null) return v;
  const record = v as Record<string, any>;
  if (record.__pulumiResource === true) return `<resource ${record.__pulumiType ?? "?"} ${record.__name ?? "?"}>`;
  if (record.__pulumiOutput === true) return "<output>";
  if (seen.has(v)) return "<cycle>";
  seen.add(v);
  const out = Array.isArray(v) ? v.map((x) => plain(x, seen)) : Object.fromEntries(Object.entries(record).map(([k, x]) => [k, plain(x, seen)]));
  seen.delete(v);
  return out;
}

/** Component resources (`abode:*`, @pulumi/eks ones are custom-ish) keep their inputs too; the stack root and providers are left out. */
export function toAuditResources(captured: Captured[]): AuditResource[] {
  const resources: AuditResource[] = captured
    .filter((c) => !c.type.startsWith("pulumi:providers:") && c.type !== "pulumi:pulumi:Stack")
    .map((c) => ({ type: c.type, name: c.name, props: plain(c.inputs), source: c.urn, id: c.id, dependencies: c.dependencies }));
  // Dev containers are also checked as the pods they would be, by the same pod policies.
  return [...resources, ...resources.flatMap((r) => dockerContainerAsPod(r) ?? [])];
}

export interface StackEvaluation {
  stack: string;
  resources: AuditResource[];
  captured: Captured[];
}

/** Evaluates `stacks/index.ts` with `Pulumi.<stack>.yaml`, waiting until every registration has landed. */
export async function evaluateStackProgram(stack: string): Promise<StackEvaluation> {
  const config = readStackFile(stack);
  const pulumi = require("@pulumi/pulumi") as typeof pulumiType;
  const captured = installMocks(pulumi, stack);
  pulumi.runtime.setAllConfig(config.values, config.secretKeys);
  const program = require(path.join(REPO_ROOT, "stacks", "index")) as Record<string, unknown>;
  await new Promise((done) => pulumi.output(program).apply(done));
  // Registrations scheduled by the last outputs: wait until the count stops moving.
  let count = -1;
  while (count !== captured.length) {
    count = captured.length;
    await settle();
  }
  return { stack, resources: toAuditResources(captured), captured };
}
