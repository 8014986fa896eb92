import { readFileSync } from "node:fs";
import path from "node:path";
import { Writable } from "node:stream";
import { createService } from "@abode/service-kit";
import { registerIfcRoutes } from "../src/app";
import { DEFAULT_SETTINGS, type IfcSettings } from "../src/settings";

/** The shared sample models (see SOURCE.md there), next to the repository. */
export const FIXTURES = path.join(__dirname, "../../../../shared/fixtures/ifc");

const cache = new Map<string, Buffer>();
export function fixture(name: "AC20-FZK-Haus.ifc" | "duplex.ifc" | "IfcOpenHouse_IFC4.ifc"): Buffer {
  let data = cache.get(name);
  if (!data) cache.set(name, (data = readFileSync(path.join(FIXTURES, name))));
  return data;
}

export interface Answer {
  status: number;
  headers: Headers;
  /** Parsed when the response is JSON. */
  body: any;
  raw: Buffer;
}

export async function waitReady(url: string, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const res = await fetch(`${url}/readyz`);
    if (res.status === 200) return;
    if (Date.now() > until) throw new Error(`not ready: ${await res.text()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The real service on a loopback port, web-ifc initialised; its log lines are kept in `logs`. */
export async function startIfc(overrides: Partial<IfcSettings> = {}, logLevel: "info" | "debug" = "info") {
  const logs: Record<string, unknown>[] = [];
  const logDestination = new Writable({
    write: (chunk, _e, done) => {
      for (const line of chunk.toString().split("\n")) if (line.trim()) logs.push(JSON.parse(line));
      done();
    },
  });
  const service = createService({ name: "ifc", version: "test", logDestination, logLevel });
  registerIfcRoutes(service, { ...DEFAULT_SETTINGS, ...overrides });
  const { url } = await service.listen({ host: "127.0.0.1", port: 0 });
  await waitReady(url);
  const post = async (route: string, body: Uint8Array | string, contentType = "application/octet-stream"): Promise<Answer> => {
    const res = await fetch(`${url}${route}`, { method: "POST", headers: { "content-type": contentType }, body });
    const raw = Buffer.from(await res.arrayBuffer());
    const json = res.headers.get("content-type")?.includes("application/json") ? JSON.parse(raw.toString("utf8")) : undefined;
    return { status: res.status, headers: res.headers, body: json, raw };
  };
  return { url, post, logs, close: () => service.close() };
}

/** Text-level edits of a real model (STEP files are 7-bit text; latin1 keeps every byte). */
export function edit(data: Buffer, change: (text: string) => string): Buffer {
  const text = data.toString("latin1");
  const changed = change(text);
  if (changed === text) throw new Error("the edit changed nothing");
  return Buffer.from(changed, "latin1");
}

/** The express id and GlobalId of the first `count` lines of an entity type, in file order. */
export function linesOf(data: Buffer, entity: string, count = 1): { expressId: number; globalId: string }[] {
  const found = [...data.toString("latin1").matchAll(new RegExp(`^#(\\d+)=\\s*${entity}\\('([^']{22})'`, "gm"))];
  if (found.length < count) throw new Error(`fewer than ${count} ${entity} lines`);
  return found.slice(0, count).map((m) => ({ expressId: Number(m[1]), globalId: m[2]! }));
}
