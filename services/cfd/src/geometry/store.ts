/**
 * Uploaded building surfaces, validated, kept on the cases volume until a case refers to them:
 * `<casesDir>/uploads/<geometryId>.obj` (welded, world coordinates) and `<geometryId>.json`.
 */
import { randomUUID } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import type { TriangleMesh } from "./mesh";
import { parseObj, writeObj } from "./obj";
import type { GeometryFormat } from "./parse";
import { summarize, type GeometrySummary } from "./validate";

export interface StoredGeometry extends GeometrySummary {
  geometryId: string;
  format: GeometryFormat;
  bytes: number;
  uploadedAt: string;
}

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export class GeometryStore {
  readonly dir: string;

  constructor(casesDir: string) {
    this.dir = path.join(casesDir, "uploads");
  }

  async save(mesh: TriangleMesh, format: GeometryFormat, bytes: number): Promise<StoredGeometry> {
    await mkdir(this.dir, { recursive: true });
    const stored: StoredGeometry = { geometryId: randomUUID(), format, bytes, uploadedAt: new Date().toISOString(), ...summarize(mesh) };
    const base = path.join(this.dir, stored.geometryId);
    await writeFile(`${base}.obj`, writeObj(mesh));
    // The summary last: a geometry exists once its summary does.
    await writeFile(`${base}.json.tmp`, JSON.stringify(stored));
    await rename(`${base}.json.tmp`, `${base}.json`);
    return stored;
  }

  async load(geometryId: string): Promise<{ stored: StoredGeometry; mesh: TriangleMesh } | undefined> {
    if (!ID.test(geometryId)) return undefined;
    const base = path.join(this.dir, geometryId);
    try {
      const stored = JSON.parse(await readFile(`${base}.json`, "utf8")) as StoredGeometry;
      return { stored, mesh: parseObj(await readFile(`${base}.obj`, "utf8")) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
  }
}
