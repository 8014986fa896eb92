import { Writable } from "node:stream";
import { createService } from "@abode/service-kit";
import { registerLightingRoutes } from "../src/app";

/** The real service on a loopback port, logs discarded. */
export async function startLighting() {
  const service = createService({
    name: "ai-lighting",
    version: "test",
    logDestination: new Writable({ write: (_c, _e, done) => done() }),
  });
  registerLightingRoutes(service);
  const { url } = await service.listen({ host: "127.0.0.1", port: 0 });
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  return { url, post, close: () => service.close() };
}

export const rectangle = (w: number, d: number) => [
  { x: 0, y: 0 },
  { x: w, y: 0 },
  { x: w, y: d },
  { x: 0, y: d },
];

/** A rows × cols array of luminaires spread evenly over a w × d room. */
export function luminaireArray(w: number, d: number, cols: number, rows: number, z: number, flux: number, distribution = "lambertian") {
  const out = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) out.push({ x: ((c + 0.5) * w) / cols, y: ((r + 0.5) * d) / rows, z, flux, distribution, maintenanceFactor: 0.8 });
  }
  return out;
}
