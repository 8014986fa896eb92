/** The solver and mesher in-process on loopback ports, logs discarded; and probes of what runs. */
import { readdirSync, readlinkSync } from "node:fs";
import { Writable } from "node:stream";
import { createMesherApp, type MesherAppOptions } from "../src/mesher/app";
import { resolveOnPath } from "../src/runner/local";
import { createSolverApp, type SolverAppOptions } from "../src/solver/app";

const silent = () => new Writable({ write: (_chunk, _encoding, done) => done() });

async function client(url: string) {
  const call = async (method: string, path: string, body?: unknown, contentType = "application/json") => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: body === undefined ? {} : { "content-type": contentType },
      body: body === undefined ? undefined : Buffer.isBuffer(body) || typeof body === "string" ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let json: any;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, body: json, text, headers: res.headers };
  };
  return {
    url,
    get: (path: string) => call("GET", path),
    post: (path: string, body: unknown, contentType?: string) => call("POST", path, body, contentType),
    del: (path: string) => call("DELETE", path),
  };
}

export async function startSolver(options: SolverAppOptions) {
  const { service, jobs } = await createSolverApp({ logDestination: silent(), ...options });
  const { url } = await service.listen({ host: "127.0.0.1", port: 0 });
  return { ...(await client(url)), service, jobs, close: () => service.close() };
}

export async function startMesher(options: MesherAppOptions) {
  const { service, jobs } = await createMesherApp({ logDestination: silent(), ...options });
  const { url } = await service.listen({ host: "127.0.0.1", port: 0 });
  return { ...(await client(url)), service, jobs, close: () => service.close() };
}

export type Api = Awaited<ReturnType<typeof startSolver>>;

/** Polls `path` until its status is one of `statuses` (or `until` holds); fails after `timeoutMs`. */
export async function waitFor(api: { get(path: string): Promise<{ body: any }> }, path: string, until: (body: any) => boolean, timeoutMs = 120_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  let last: any;
  while (Date.now() < deadline) {
    last = (await api.get(path)).body;
    if (until(last)) return last;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting on ${path}; last: ${JSON.stringify(last)?.slice(0, 2000)}`);
}

export const finished = (body: any) => ["succeeded", "failed", "cancelled"].includes(body?.status);

/** Processes whose working directory lies under `dir` (OpenFOAM tools run in their sector directory). */
export function processesIn(dir: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readlinkSync(`/proc/${entry}/cwd`).startsWith(dir)) found.push(Number(entry));
    } catch {
      // gone, or not ours to read
    }
  }
  return found;
}

/** CI installs OpenFOAM; without it these tests must fail, saying so, not skip. */
export async function requireOpenFoam(): Promise<void> {
  for (const tool of ["simpleFoam", "snappyHexMesh", "blockMesh"]) {
    if (!(await resolveOnPath(tool))) {
      throw new Error(
        `OpenFOAM not found: ${tool} is not on PATH. The CFD end-to-end tests run real OpenFOAM: apt-get install --no-install-recommends openfoam openfoam-examples (Debian, ESI v1912), WM_PROJECT_DIR=/usr/share/openfoam.`,
      );
    }
  }
}

/** The values of an ASCII `internalField nonuniform List<vector>` (or scalar) as numbers per cell. */
export function internalField(text: string): number[][] {
  const match = /internalField\s+nonuniform\s+List<(vector|scalar)>\s*\n?(\d+)\s*\n?\(/.exec(text);
  if (!match) throw new Error("not a nonuniform ASCII field");
  const count = Number(match[2]);
  const start = match.index + match[0].length;
  const body = text.slice(start, text.indexOf("\n)", start));
  const values = match[1] === "vector" ? [...body.matchAll(/\(([^)]*)\)/g)].map((m) => m[1].trim().split(/\s+/).map(Number)) : body.trim().split(/\s+/).map((v) => [Number(v)]);
  if (values.length !== count) throw new Error(`field declares ${count} values, has ${values.length}`);
  return values;
}
