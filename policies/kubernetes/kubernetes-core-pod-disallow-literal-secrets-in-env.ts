import type { ResourcePolicy } from "../core/policy";
import { containerRefs, forEachPod, words } from "./pods";

const SECRET_WORDS = new Set(["password", "passwd", "pwd", "secret", "token", "key", "apikey", "passphrase", "credential", "credentials"]);
/** Variables that hold where a secret is, not the secret (`AWS_WEB_IDENTITY_TOKEN_FILE`, `TLS_KEY_PATH`). */
const POINTER_SUFFIXES = new Set(["file", "path", "dir", "filename", "location"]);

/** Whether an environment variable's name says it carries a secret. */
export function isSecretName(name: string): boolean {
  const w = words(name);
  if (w.length === 0 || POINTER_SUFFIXES.has(w[w.length - 1]!)) return false;
  return w.some((x) => SECRET_WORDS.has(x));
}

export const kubernetesCorePodDisallowLiteralSecretsInEnv: ResourcePolicy = {
  kind: "resource",
  name: "kubernetes-core-pod-disallow-literal-secrets-in-env",
  pack: "security",
  description:
    "No container environment variable whose name says secret (a word password, passwd, pwd, secret, token, key, apikey, passphrase, credential(s); names ending in _FILE/_PATH/_DIR " +
    "point to a file and are exempt) carries a literal `value`: secrets come from `valueFrom.secretKeyRef` (or a mounted Secret file), so they stay out of the manifest and the state. " +
    "Matches kube-linter `env-var-secret`, Polaris `sensitiveContainerEnvVar`; in the spirit of CIS EKS Benchmark v1.7.0 4.4.1.",
  severity: "high",
  remediation:
    "Put the value in a Kubernetes Secret created from a Pulumi secret (`pulumi config set --secret` or `@pulumi/random`), and reference it with " +
    "`valueFrom: { secretKeyRef: { name, key } }` - in a workload spec, give the env entry a `pulumi.Output` so the renderer does it. Rotate the exposed value.",
  frameworks: ["kube-linter:env-var-secret", "polaris:sensitiveContainerEnvVar", "cis-eks:4.4.1"],
  validateResource: (resource) =>
    forEachPod(resource, (target) =>
      containerRefs(target).flatMap((c) =>
        ((c.container.env as any[] | undefined) ?? []).flatMap((e, j) =>
          typeof e?.name === "string" && isSecretName(e.name) && e.value !== undefined && e.value !== null && e.value !== "" && !e.valueFrom
            ? [`${c.label}: ${c.path}.env[${j}] "${e.name}" has a literal value (use valueFrom.secretKeyRef)`]
            : [],
        ),
      ),
    ),
};
