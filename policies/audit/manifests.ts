/**
 * Plain Kubernetes YAML manifests → AuditResources. Files or folders (recursively: *.yaml,
 * *.yml), every document of a multi-document file. A document that is not valid YAML or not a
 * Kubernetes object is returned as a problem (file#index and why), never thrown.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseAllDocuments } from "yaml";
import { kubernetesType, type AuditResource } from "../core/policy";

export interface ManifestProblem {
  /** `file#index` (index of the document in the file, from 0), or the file when it cannot be read. */
  source: string;
  file: string;
  message: string;
}

export interface LoadedManifests {
  resources: AuditResource[];
  problems: ManifestProblem[];
  files: string[];
}

const MANIFEST = /\.ya?ml$/i;

/** Every manifest file under the given paths, sorted, each once. */
export function manifestFiles(paths: string[]): { files: string[]; problems: ManifestProblem[] } {
  const files = new Set<string>();
  const problems: ManifestProblem[] = [];
  const walk = (p: string, explicit: boolean) => {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(p);
    } catch (e) {
      problems.push({ source: p, file: p, message: `cannot read: ${(e as Error).message}` });
      return;
    }
    if (stat.isDirectory()) {
      for (const entry of fs.readdirSync(p).sort()) if (entry !== "node_modules" && !entry.startsWith(".")) walk(path.join(p, entry), false);
    } else if (explicit || MANIFEST.test(p)) files.add(p);
  };
  for (const p of paths) walk(p, true);
  return { files: [...files].sort(), problems };
}

/** The documents of one file's text. */
export function parseManifests(file: string, text: string): { resources: AuditResource[]; problems: ManifestProblem[] } {
  const resources: AuditResource[] = [];
  const problems: ManifestProblem[] = [];
  let documents;
  try {
    documents = parseAllDocuments(text);
  } catch (e) {
    return { resources, problems: [{ source: `${file}#0`, file, message: `not valid YAML: ${(e as Error).message}` }] };
  }
  const list = Array.isArray(documents) ? documents : [documents];
  list.forEach((doc, index) => {
    const source = `${file}#${index}`;
    if (doc.errors.length > 0) {
      problems.push({ source, file, message: `not valid YAML: ${doc.errors[0]!.message.split("\n")[0]}` });
      return;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      problems.push({ source, file, message: `not valid YAML: ${(e as Error).message}` });
      return;
    }
    if (value === null || value === undefined) return; // an empty document (a trailing `---`)
    if (typeof value !== "object" || Array.isArray(value)) {
      problems.push({ source, file, message: `not a Kubernetes object: the document is ${Array.isArray(value) ? "a list" : `a ${typeof value}`}` });
      return;
    }
    const object = value as Record<string, any>;
    if (typeof object.apiVersion !== "string" || typeof object.kind !== "string") {
      const missing = ["apiVersion", "kind"].filter((k) => typeof object[k] !== "string");
      problems.push({ source, file, message: `not a Kubernetes object: no ${missing.join(" or ")}` });
      return;
    }
    if (object.kind === "List" && Array.isArray(object.items)) {
      object.items.forEach((item: any, i: number) => {
        if (item && typeof item.apiVersion === "string" && typeof item.kind === "string") resources.push(toResource(item, `${source}/items[${i}]`));
        else problems.push({ source: `${source}/items[${i}]`, file, message: "not a Kubernetes object: no apiVersion or kind" });
      });
      return;
    }
    resources.push(toResource(object, source));
  });
  return { resources, problems };
}

function toResource(object: Record<string, any>, source: string): AuditResource {
  const namespace = object.metadata?.namespace;
  const name = String(object.metadata?.name ?? object.metadata?.generateName ?? "(unnamed)");
  return { type: kubernetesType(object.apiVersion, object.kind), name: namespace ? `${namespace}/${name}` : name, props: object, source };
}

export function loadManifests(paths: string[]): LoadedManifests {
  const { files, problems } = manifestFiles(paths);
  const resources: AuditResource[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = fs.readFileSync(file, "utf8");
    } catch (e) {
      problems.push({ source: file, file, message: `cannot read: ${(e as Error).message}` });
      continue;
    }
    const parsed = parseManifests(file, text);
    resources.push(...parsed.resources);
    problems.push(...parsed.problems);
  }
  return { resources, problems, files };
}
