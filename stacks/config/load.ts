import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { crossFieldProblems, stackConfigSchema, type ConfigProblem, type StackConfig } from "./schema";

export const NAMESPACE = "abode";

/** Key names that hold credentials; such a value must never sit in the stack file in plain text. */
const SECRET_LOOKING_KEY = /(password|passwd|secret|token|api[-_]?key|private[-_]?key|credential)/i;

/** A bad stack configuration: every problem, each named by its key path. */
export class StackConfigError extends pulumi.RunError {
  readonly problems: string[];

  constructor(problems: string[]) {
    const sorted = [...problems].sort();
    super(
      `Invalid stack configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}); nothing was declared:\n` +
        sorted.map((p) => `  - ${p}`).join("\n"),
    );
    this.problems = sorted;
    this.name = "StackConfigError";
  }
}

/** The raw config a Pulumi program receives: `namespace:key` → string (objects as JSON). */
export interface RawStackConfig {
  values: Record<string, string>;
  /** Keys set with `pulumi config set --secret` (whole top-level keys). */
  secretKeys: string[];
}

/**
 * Parses the `abode:` namespace of a stack's config, pure. Throws one `StackConfigError`
 * listing every problem; keys of other namespaces (`aws:region`, ...) belong to providers.
 */
export function parseStackConfig(raw: RawStackConfig): StackConfig {
  const problems: string[] = [];
  const input: Record<string, unknown> = {};
  for (const [fullKey, text] of Object.entries(raw.values)) {
    const [namespace, key] = splitKey(fullKey);
    if (namespace !== NAMESPACE) continue;
    const value = decode(text);
    if (value instanceof SyntaxError) {
      problems.push(`${fullKey}: not valid JSON/YAML structure (${value.message})`);
      continue;
    }
    input[key] = value;
    const isSecret = raw.secretKeys.includes(fullKey);
    if (key === "secrets" && !isSecret) {
      problems.push(
        `${fullKey}: given in plain text; set each with \`pulumi config set --secret --path 'secrets.<name>' <value>\``,
      );
    } else if (!isSecret) {
      for (const path of secretLookingPaths(value, [key])) {
        problems.push(`${NAMESPACE}:${formatPath(path)}: looks like a credential given in plain text; use \`pulumi config set --secret\``);
      }
    }
  }
  const parsed = stackConfigSchema.safeParse(input);
  if (!parsed.success) problems.push(...zodProblems(parsed.error));
  problems.push(...crossFieldProblems(input).map(formatProblem));
  if (problems.length > 0 || !parsed.success) throw new StackConfigError(problems);
  return parsed.data;
}

/** Reads this stack's config from the Pulumi runtime and parses it. */
export function loadStackConfig(): StackConfig {
  const values = pulumi.runtime.allConfig();
  return parseStackConfig({ values, secretKeys: Object.keys(values).filter(isConfigSecret) });
}

/**
 * Whether a key was set with `--secret`. The SDK exposes no public check (only getSecret,
 * which cannot tell), so this uses its internal one.
 */
function isConfigSecret(key: string): boolean {
  const runtimeConfig = require("@pulumi/pulumi/runtime/config") as { isConfigSecret(k: string): boolean };
  return runtimeConfig.isConfigSecret(key);
}

function splitKey(fullKey: string): [string, string] {
  const at = fullKey.indexOf(":");
  // Older language hosts send `ns:config:key`.
  const key = fullKey.slice(at + 1).replace(/^config:/, "");
  return [fullKey.slice(0, at), key];
}

/** Pulumi passes objects, booleans and numbers as JSON text, and strings as they are. */
function decode(text: string): unknown {
  if (!/^\s*([[{]|true$|false$|-?\d+(\.\d+)?$)/.test(text)) return text;
  try {
    return JSON.parse(text);
  } catch (error) {
    return error as SyntaxError;
  }
}

function secretLookingPaths(value: unknown, path: (string | number)[]): (string | number)[][] {
  const last = path[path.length - 1];
  if (typeof last === "string" && SECRET_LOOKING_KEY.test(last) && (typeof value === "string" || typeof value === "number")) {
    return [path];
  }
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) => secretLookingPaths(v, [...path, Array.isArray(value) ? Number(k) : k]));
}

function zodProblems(error: z.ZodError): string[] {
  return error.issues.flatMap((issue) =>
    issue.code === "unrecognized_keys"
      ? issue.keys.map((key) => formatProblem({ path: [...issue.path, key] as (string | number)[], message: "unknown key" }))
      : [formatProblem({ path: issue.path as (string | number)[], message: issue.message })],
  );
}

function formatProblem(problem: ConfigProblem): string {
  return `${NAMESPACE}${problem.path.length > 0 ? `:${formatPath(problem.path)}` : ""}: ${problem.message}`;
}

function formatPath(path: (string | number)[]): string {
  return path.map((part, i) => (typeof part === "number" ? `[${part}]` : i === 0 ? part : `.${part}`)).join("");
}
