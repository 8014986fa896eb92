import type { ResourcePolicy } from "../core/policy";
import { describe, isKind, words } from "./pods";

const SECRET_WORDS = new Set(["password", "passwd", "pwd", "secret", "secrets", "token", "apikey", "passphrase", "credential", "credentials", "privatekey"]);
const PRIVATE_KEY = /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/;

/** A ConfigMap key that names a secret: a secret word, or a `key` that is not a public one (`tls.key`, `api_key`, but not `public.key`). */
export function isSecretKey(key: string): boolean {
  const w = words(key);
  if (w.includes("public") || w.includes("pub")) return false;
  return w.some((x) => SECRET_WORDS.has(x)) || (w.includes("key") && !w.includes("keys"));
}

export const kubernetesCoreConfigmapDisallowSecrets: ResourcePolicy = {
  kind: "resource",
  name: "kubernetes-core-configmap-disallow-secrets",
  pack: "security",
  description:
    "ConfigMaps carry no secrets: no non-empty entry of `data`/`binaryData` whose key names a secret (password, secret, token, apikey, credentials, a private `key`), " +
    "and no value containing a PEM private key. ConfigMaps are readable by anyone who may read configuration and are not encrypted like Secrets. " +
    "No direct peer check in kube-linter or Polaris; complements kube-linter `env-var-secret`.",
  severity: "high",
  remediation:
    "Move the value to a Kubernetes Secret created from a Pulumi secret and mount it (`secret` volume, mode 0400) - in a workload spec, mark the config file `secret: true`. " +
    "Rotate the exposed credential or key.",
  frameworks: [],
  validateResource: (resource) => {
    if (!isKind(resource, "core", "ConfigMap")) return [];
    const out: string[] = [];
    for (const field of ["data", "binaryData"] as const)
      for (const [key, value] of Object.entries((resource.props?.[field] as Record<string, unknown> | undefined) ?? {})) {
        if (typeof value === "string" && PRIVATE_KEY.test(value)) out.push(`${describe(resource)}: ${field}["${key}"] contains a PEM private key`);
        else if (value !== undefined && value !== null && value !== "" && isSecretKey(key)) out.push(`${describe(resource)}: ${field}["${key}"] looks like a secret (by its key)`);
      }
    return out;
  },
};
