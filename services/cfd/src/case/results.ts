/** What a finished sector left on disk: its latest time, fields and the approach-flow probe. */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { Vec3 } from "../geometry/mesh";
import { PROBE_NAME } from "./dictionaries";

/** The latest time directory (numeric name) other than 0, or undefined when there is none. */
export async function latestTime(sectorDir: string): Promise<string | undefined> {
  const entries = await readdir(sectorDir, { withFileTypes: true });
  const times = entries.filter((e) => e.isDirectory() && /^\d+(\.\d+)?(e[+-]?\d+)?$/i.test(e.name) && Number(e.name) > 0).map((e) => e.name);
  times.sort((a, b) => Number(a) - Number(b));
  return times.at(-1);
}

export async function fieldsAt(sectorDir: string, time: string): Promise<string[]> {
  const entries = await readdir(path.join(sectorDir, time), { withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => e.name).sort();
}

/** The probe's last sample: `<time> (Ux Uy Uz)` lines after `#` comments. */
export function parseProbeVelocity(text: string): Vec3 | undefined {
  const lines = text.split("\n").filter((l) => l.trim() && !l.trim().startsWith("#"));
  const match = /\(\s*(\S+)\s+(\S+)\s+(\S+)\s*\)/.exec(lines.at(-1) ?? "");
  if (!match) return undefined;
  const [x, y, z] = [match[1], match[2], match[3]].map(Number);
  return [x, y, z].every(Number.isFinite) ? { x, y, z } : undefined;
}

export async function approachVelocity(sectorDir: string): Promise<Vec3 | undefined> {
  const dir = path.join(sectorDir, "postProcessing", PROBE_NAME);
  try {
    const starts = (await readdir(dir)).sort((a, b) => Number(a) - Number(b));
    return parseProbeVelocity(await readFile(path.join(dir, starts.at(-1)!, "U"), "utf8"));
  } catch {
    return undefined;
  }
}
