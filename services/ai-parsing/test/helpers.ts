import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { createService } from "@abode/service-kit";
import sharp from "sharp";
import { registerParsingRoutes } from "../src/app";
import { parseConfig } from "../src/config";

/** The real service on a loopback port with this environment, its model loaded (or failed), logs discarded. */
export async function startParsing(env: Record<string, string>) {
  const service = createService({
    name: "ai-parsing",
    version: "test",
    logDestination: new Writable({ write: (_c, _e, done) => done() }),
  });
  const routes = registerParsingRoutes(service, parseConfig(env));
  await routes.modelSettled;
  const { url } = await service.listen({ host: "127.0.0.1", port: 0 });
  const post = async (route: string, bytes: Uint8Array, contentType = "image/png") => {
    const res = await fetch(`${url}${route}`, { method: "POST", headers: { "content-type": contentType }, body: bytes });
    return { status: res.status, body: (await res.json()) as any };
  };
  const get = async (route: string) => {
    const res = await fetch(`${url}${route}`);
    return { status: res.status, body: (await res.json()) as any };
  };
  return { url, post, get, close: () => service.close() };
}

export type Parsing = Awaited<ReturnType<typeof startParsing>>;

/** A scratch directory removed after the suite. */
export function scratchDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), "ai-parsing-test-"));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A solid-colour image. */
export function solidImage(width: number, height: number, colour: { r: number; g: number; b: number }, format: "png" | "jpeg" | "webp" = "png") {
  const image = sharp({ create: { width, height, channels: 3, background: colour } });
  return (format === "png" ? image.png() : format === "jpeg" ? image.jpeg({ quality: 95 }) : image.webp({ lossless: true })).toBuffer();
}

export const RED = { r: 255, g: 0, b: 0 };
export const BLUE = { r: 0, g: 0, b: 255 };

/** Gaussian noise: incompressible, slow to decode — a worst case for size and time. */
export function noisyPng(width: number, height: number) {
  return sharp({ create: { width, height, channels: 3, background: { r: 0, g: 0, b: 0 }, noise: { type: "gaussian", mean: 128, sigma: 40 } } }).png().toBuffer();
}
