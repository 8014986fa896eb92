/**
 * The offline audit: `npm run audit -- --stack prod`, `npm run audit -- path/to/manifests`.
 * Thin: parsing in ./args.ts, loading in ./evaluate.ts and ./manifests.ts, policies run by
 * ./run.ts, output rendered by ./report.ts.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { allPolicies, enforcementFor, type StackName } from "../core/packs";
import { KUBERNETES_POLICIES } from "../kubernetes";
import type { AuditPolicy } from "../core/policy";
import { parseArgs, USAGE, UsageError, type AuditArgs } from "./args";
import { evaluateStackProgram } from "./evaluate";
import { loadManifests } from "./manifests";
import { renderJson, renderSarif, renderTable } from "./report";
import { MANIFEST_POLICY, problemFindings, runPolicies, selectPolicies, type Finding } from "./run";

function write(file: string, text: string) {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, text);
}

async function audit(args: AuditArgs): Promise<number> {
  const filters = { frameworks: args.frameworks, packs: args.packs, names: args.policies };
  let findings: Finding[];
  let policies: AuditPolicy[];
  let target: string;
  let resources: number;
  if (args.stack) {
    const stack: StackName = args.stack;
    policies = selectPolicies(allPolicies(), filters);
    const evaluation = await evaluateStackProgram(stack);
    findings = runPolicies(evaluation.resources, policies, { levelOf: (p) => enforcementFor(p.pack, stack) });
    target = `stack ${stack}`;
    resources = evaluation.resources.length;
  } else {
    const level = args.level;
    policies = selectPolicies(KUBERNETES_POLICIES, filters);
    const loaded = loadManifests(args.paths);
    const problemLevel = enforcementFor(MANIFEST_POLICY.pack, level);
    findings = [
      ...problemFindings(loaded.problems, problemLevel === "disabled" ? "advisory" : problemLevel),
      ...runPolicies(loaded.resources, policies, { levelOf: (p) => enforcementFor(p.pack, level) }),
    ];
    policies = [MANIFEST_POLICY, ...policies];
    target = `${loaded.files.length} manifest file(s), ${loaded.resources.length} object(s), level ${level}`;
    resources = loaded.resources.length;
  }
  process.stdout.write(renderTable(findings, `${target}, ${policies.length} polic${policies.length === 1 ? "y" : "ies"}`));
  if (args.json) write(args.json, renderJson(findings, { target, policies: policies.length, resources }));
  if (args.sarif) write(args.sarif, `${JSON.stringify(renderSarif(findings, policies), null, 2)}\n`);
  return findings.some((f) => f.level === "mandatory") ? 1 : 0;
}

async function main(argv: string[]): Promise<number> {
  let args: AuditArgs;
  try {
    args = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`error: ${e.message}\n\n${USAGE}\n`);
      return 2;
    }
    throw e;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  return audit(args);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`audit failed: ${(error as Error).stack ?? error}\n`);
    process.exitCode = 3;
  },
);
