import { Writable } from "node:stream";
import { createService } from "@abode/service-kit";
import { registerGen3dRoutes } from "../src/app";
import type { Gen3dConfig } from "../src/config";
import { TaskStore } from "../src/tasks/store";

/** The 3D generation service on a loopback port, logs discarded. */
export async function startGen3d(config: Partial<Gen3dConfig> & { baseUrl: string }) {
  const service = createService({ name: "gen3d", version: "test", logDestination: new Writable({ write: (_c, _e, done) => done() }) });
  const full: Gen3dConfig = { timeoutMs: 5_000, maxTasks: 100, ...config };
  registerGen3dRoutes(service, full, await TaskStore.open(full.dataDir, full.maxTasks));
  const { url } = await service.listen({ host: "127.0.0.1", port: 0 });
  const call = async (method: "GET" | "POST", path: string, body?: unknown) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  return { url, call, close: () => service.close() };
}

/** A real 1×1 PNG. */
export const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64");
/** JPEG and WebP as far as their signatures go (Rodin's stand-in does not decode them). */
export const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from("JFIF test bytes")]);
export const WEBP = Buffer.concat([Buffer.from("RIFF"), Buffer.from([0x10, 0, 0, 0]), Buffer.from("WEBPVP8 test")]);

export const image = (bytes: Buffer, mimeType: string) => ({ data: bytes.toString("base64"), mimeType });
