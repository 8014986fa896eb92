/**
 * Test cases for the post-processor, assembled from the real OpenFOAM output in
 * fixtures/openfoam/cube-in-wind (one simpleFoam run per direction on one mesh), and the real
 * service on a loopback port.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { gzipSync } from "node:zlib";
import { createPostprocessorApp, type PostprocessorOptions } from "../src/post/app";
import { LocalCaseSource, type CaseSource } from "../src/post/case/source";
import { parseFoamField } from "../src/post/foam/field";

export const CUBE = path.join(__dirname, "fixtures/openfoam/cube-in-wind");
export const DIRECTIONS = [0, 90, 180, 270];
export const TIME = "400";
export const REFERENCE_SPEED = 10;
export const REFERENCE_HEIGHT = 10;

export interface CaseOptions {
  status?: string;
  kind?: string;
  directions?: number[];
  /** Omit `sectors` from case.json: the reader lists sectors/<direction>/ directories instead. */
  listDirectories?: boolean;
  withoutCentres?: boolean;
  /** Fields to store gzipped (`U.gz`), as `writeCompression on` does. */
  gzip?: string[];
  /** Cell order of this sector's mesh reversed (C and every field): a different mesh numbering. */
  reversedSector?: number;
  z0?: number | null;
  /** Replace a sector's U with this text. */
  corruptU?: { direction: number; text: string };
}

export function makeRoot(): string {
  return mkdtempSync(path.join(tmpdir(), "cfd-post-"));
}

/** Writes `<root>/<id>/case.json` and `sectors/<direction>/{0,400}/…` from the fixtures. */
export function writeCase(root: string, id: string, options: CaseOptions = {}): string {
  const dir = path.join(root, id);
  const directions = options.directions ?? DIRECTIONS;
  mkdirSync(dir, { recursive: true });
  const record = {
    id,
    kind: options.kind ?? "solve",
    status: options.status ?? "succeeded",
    request: {
      directions,
      ...(options.kind === "mesh" ? {} : { referenceSpeed: REFERENCE_SPEED, referenceHeight: REFERENCE_HEIGHT }),
      ...(options.z0 === null ? {} : { z0: options.z0 ?? 0.1 }),
    },
    ...(options.listDirectories
      ? {}
      : { sectors: directions.map((direction) => ({ direction, path: `sectors/${direction}`, status: "succeeded", results: { latestTime: TIME, fields: ["U", "p", "k", "epsilon", "nut", "C", "V"] } })) }),
  };
  writeFileSync(path.join(dir, "case.json"), JSON.stringify(record, null, 2));
  for (const direction of directions) {
    const sector = path.join(dir, "sectors", String(direction));
    // Initial conditions in 0/ (never the solution) and a non-time directory, as OpenFOAM leaves them.
    mkdirSync(path.join(sector, "0"), { recursive: true });
    cpSync(path.join(CUBE, "time0"), path.join(sector, "0"), { recursive: true });
    mkdirSync(path.join(sector, "constant"), { recursive: true });
    const time = path.join(sector, TIME);
    mkdirSync(time, { recursive: true });
    const files: Record<string, Buffer> = {};
    for (const f of ["U", "p", "k", "epsilon", "nut"]) files[f] = readFileSync(path.join(CUBE, "sectors", String(direction), f));
    files.V = readFileSync(path.join(CUBE, "mesh/V"));
    if (!options.withoutCentres) files.C = readFileSync(path.join(CUBE, "mesh/C"));
    if (options.reversedSector === direction) {
      for (const f of ["U", "p", "k", "epsilon", "nut", "C"]) if (files[f]) files[f] = reverseInternalField(files[f]);
    }
    if (options.corruptU?.direction === direction) files.U = Buffer.from(options.corruptU.text);
    for (const [name, bytes] of Object.entries(files)) {
      if (options.gzip?.includes(name)) writeFileSync(path.join(time, `${name}.gz`), gzipSync(bytes));
      else writeFileSync(path.join(time, name), bytes);
    }
  }
  return dir;
}

/** The same field with its internal list in reverse cell order (text edit of the real file). */
function reverseInternalField(bytes: Buffer): Buffer {
  const text = bytes.toString("latin1");
  const match = /(internalField\s+nonuniform List<\w+>\s*\n\d+\n\(\n)([\s\S]*?)(\n\)\n;)/.exec(text);
  if (!match) throw new Error("no nonuniform internal field to reverse");
  const reversed = match[2].split("\n").reverse().join("\n");
  return Buffer.from(text.replace(match[0], `${match[1]}${reversed}${match[3]}`), "latin1");
}

/** A fixture field's internal values (the reference the service's answers are checked against). */
export function fixtureValues(direction: number | "mesh", name: string): Float64Array {
  const file = direction === "mesh" ? path.join(CUBE, "mesh", name) : path.join(CUBE, "sectors", String(direction), name);
  return parseFoamField(readFileSync(file)).internalField.values;
}

const silent = () => new Writable({ write: (_c, _e, done) => done() });

export async function startPost(options: Partial<PostprocessorOptions> & { root?: string; source?: CaseSource } = {}) {
  const source = options.source ?? new LocalCaseSource(options.root as string);
  const service = createPostprocessorApp({ name: "cfd-post", version: "test", logDestination: silent() }, { ...options, source });
  const { url } = await service.listen({ host: "127.0.0.1", port: 0 });
  const asJson = async (res: Response) => {
    const text = await res.text();
    let body: any = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON (CSV, VTK)
    }
    return { status: res.status, headers: res.headers, body, text };
  };
  const get = async (p: string) => asJson(await fetch(`${url}${p}`));
  const post = async (p: string, body: unknown) =>
    asJson(await fetch(`${url}${p}`, { method: "POST", headers: { "content-type": "application/json" }, body: typeof body === "string" ? body : JSON.stringify(body) }));
  return { url, get, post, service, close: () => service.close() };
}

export function removeRoot(root: string): void {
  rmSync(root, { recursive: true, force: true });
}
