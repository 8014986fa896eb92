/** Container image references, parsed the way the container runtime resolves them. */
export interface ImageReference {
  /** `docker.io` for Docker Hub (also when written `index.docker.io` or left out). */
  registry: string;
  /** Repository path; Docker Hub's official images under `library/`. */
  path: string;
  tag?: string;
  digest?: string;
}

const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-fA-F0-9]{32,}$/;

export function parseImage(image: string): ImageReference {
  let rest = image.trim();
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf("/");
  const colon = rest.lastIndexOf(":");
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const slash = rest.indexOf("/");
  const first = slash >= 0 ? rest.slice(0, slash) : "";
  let registry = "docker.io";
  let path = rest;
  if (slash >= 0 && (first.includes(".") || first.includes(":") || first === "localhost")) {
    registry = first;
    path = rest.slice(slash + 1);
  }
  if (registry === "index.docker.io" || registry === "registry-1.docker.io") registry = "docker.io";
  if (registry === "docker.io" && !path.includes("/")) path = `library/${path}`;
  return { registry, path, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}

export function hasValidDigest(ref: ImageReference): boolean {
  return ref.digest !== undefined && DIGEST.test(ref.digest);
}

/** `*` matches any run of characters within one segment (no `/`). */
function glob(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*");
  return new RegExp(`^${escaped}$`);
}

export function registryMatches(pattern: string, registry: string): boolean {
  return glob(pattern).test(registry);
}

/** `registry[/path-prefix]`: the registry by glob, the repository path equal to the prefix or below it. */
export function imageAllowedBy(entry: string, ref: ImageReference): boolean {
  const slash = entry.indexOf("/");
  const registryPattern = slash >= 0 ? entry.slice(0, slash) : entry;
  const prefix = slash >= 0 ? entry.slice(slash + 1).replace(/\/+$/, "") : "";
  if (!registryMatches(registryPattern, ref.registry)) return false;
  if (!prefix) return true;
  const prefixSegments = prefix.split("/");
  const pathSegments = ref.path.split("/");
  if (pathSegments.length < prefixSegments.length) return false;
  return prefixSegments.every((p, i) => glob(p).test(pathSegments[i]!));
}
