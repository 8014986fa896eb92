import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import type { RawStackConfig } from "../stacks/config/load";

export const REPO_ROOT = path.resolve(__dirname, "..");

/**
 * Reads `Pulumi.<stack>.yaml` the way the Pulumi CLI hands it to a program: scalars as text,
 * objects as JSON, `secure:` values as secret keys (their ciphertext cannot be decrypted
 * here, so they carry a placeholder).
 */
/** The `config:` map of `Pulumi.<stack>.yaml`, as YAML values. */
export function stackFileConfig(stack: string): Record<string, unknown> {
  const file = parse(fs.readFileSync(path.join(REPO_ROOT, `Pulumi.${stack}.yaml`), "utf8")) as { config?: Record<string, unknown> };
  return file.config ?? {};
}

export function readStackFile(stack: string): RawStackConfig {
  return rawConfig(stackFileConfig(stack));
}

export function rawConfig(config: Record<string, unknown>, secretKeys: string[] = []): RawStackConfig {
  const values: Record<string, string> = {};
  const secrets = new Set(secretKeys);
  for (const [key, value] of Object.entries(config)) {
    if (isSecure(value)) {
      values[key] = "<secret>";
      secrets.add(key);
    } else {
      values[key] = typeof value === "object" && value !== null ? JSON.stringify(decrypted(value)) : String(value);
      if (containsSecure(value)) secrets.add(key);
    }
  }
  return { values, secretKeys: [...secrets] };
}

function isSecure(value: unknown): boolean {
  return typeof value === "object" && value !== null && Object.keys(value).length === 1 && "secure" in value;
}

/** What the program sees once the CLI decrypted nested `secure:` values. */
function decrypted(value: unknown): unknown {
  if (isSecure(value)) return "<secret>";
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) return value.map(decrypted);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decrypted(v)]));
}

function containsSecure(value: unknown): boolean {
  return typeof value === "object" && value !== null && Object.values(value).some((v) => isSecure(v) || containsSecure(v));
}
