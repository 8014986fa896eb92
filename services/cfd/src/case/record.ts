/**
 * A case's state as stored in `${CFD_CASES_DIR}/<caseId>/case.json` — the contract with the
 * post-processor: it reads `request.referenceSpeed`, `request.referenceHeight`, `request.z0`
 * and, per sector, `sectors[i].path` + `sectors[i].results.latestTime`.
 */
import { mkdir, readdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Bounds, Vec3 } from "../geometry/mesh";
import type { MeshQualityReport } from "./check-mesh";
import type { MeshLevel } from "./domain";
import type { Residuals } from "./logs";

export const CASE_STATUSES = ["queued", "meshing", "solving", "post", "succeeded", "failed", "cancelled"] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
export const FINISHED: readonly CaseStatus[] = ["succeeded", "failed", "cancelled"];
export const isFinished = (status: CaseStatus) => FINISHED.includes(status);

/** `solve`: the solver API's wind cases; `mesh`: the mesher API's mesh-only runs. */
export type CaseKind = "solve" | "mesh";

export interface CaseRequestRecord {
  /** Where the wind comes from, degrees clockwise from north (north = +y); one sector each. */
  directions: number[];
  meshLevel: MeshLevel;
  /** Solve only: reference wind speed (m/s) at `referenceHeight` (m) in the approaching flow. */
  referenceSpeed?: number;
  referenceHeight?: number;
  /** Solve only: aerodynamic roughness length of the upstream terrain, metres. */
  z0?: number;
  /** The named terrain class z0 came from, if one was given. */
  terrain?: string;
  iterations?: number;
  residualTarget?: number;
}

export interface GeometryRecord {
  source: "boxes" | "upload";
  geometryId?: string;
  format?: string;
  triangles: number;
  bounds: Bounds;
  /** The surface, world coordinates, relative to the case directory. */
  file: string;
}

export interface SectorResults {
  /** Name of the time directory holding U, p, k, epsilon, nut, C, V. */
  latestTime: string;
  fields: string[];
  /** U of the approaching flow at the reference height (probe near the inlet), m/s. */
  approachFlow?: { location: Vec3; velocity: Vec3; speed: number; ratioToReference: number };
}

export interface SectorRecord {
  direction: number;
  /** Relative to the case directory: `sectors/<direction>`. */
  path: string;
  status: CaseStatus;
  /** Counter-clockwise from +x, degrees: the direction the air moves in. */
  flowAngle: number;
  flowDirection: Vec3;
  estimatedCells: number;
  /** Cells of the mesh snappyHexMesh produced. */
  cells?: number;
  /** Solve: SIMPLE iteration reached, of `iterations` (the budget). */
  iteration?: number;
  iterations?: number;
  residuals?: Residuals;
  converged?: boolean;
  results?: SectorResults;
  /** Mesh: checkMesh's report. */
  quality?: MeshQualityReport;
  startedAt?: string;
  finishedAt?: string;
  reason?: string;
}

export interface CaseRecord {
  id: string;
  kind: CaseKind;
  /** Field values are world coordinates: metres, z up, ground at z = 0. */
  frame: "world";
  status: CaseStatus;
  /** 0..1 over all sectors (see README: phases weigh meshing 10 %, solving 85 %, post 5 %). */
  progress: number;
  createdAt: string;
  updatedAt: string;
  startedAt?: string;
  finishedAt?: string;
  request: CaseRequestRecord;
  geometry: GeometryRecord;
  mesh: { level: MeshLevel; processes: number; estimatedCells: number; backgroundCellSize: number; surfaceCellSize: number; domainSize: Vec3; blockage: number };
  sectors: SectorRecord[];
  /** Failed: why, and the last log lines. */
  reason?: string;
  logTail?: string[];
  /** Service-side events worth knowing (e.g. re-queued after a restart). */
  notes: string[];
}

export const CASE_FILE = "case.json";
const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const isCaseId = (id: string) => ID.test(id);

/**
 * Told of every case.json written, e.g. to publish it where other services read it (S3 in
 * prod, src/storage/mirror.ts). Must not throw nor block: the local file is what counts.
 */
export interface RecordMirror {
  recordWritten(caseId: string, json: string): void;
}

/** case.json files on the cases volume, written atomically (temp file + rename), then mirrored if asked. */
export class CaseStore {
  constructor(
    readonly root: string,
    private readonly mirror?: RecordMirror,
  ) {}

  caseDir(id: string): string {
    if (!isCaseId(id)) throw new Error(`not a case id: ${id}`);
    return path.join(this.root, id);
  }

  sectorDir(id: string, sector: SectorRecord): string {
    return path.join(this.caseDir(id), sector.path);
  }

  async write(record: CaseRecord): Promise<void> {
    const dir = this.caseDir(record.id);
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, CASE_FILE);
    const temporary = `${file}.${process.pid}.tmp`;
    const json = `${JSON.stringify(record, null, 2)}\n`;
    await writeFile(temporary, json);
    await rename(temporary, file);
    this.mirror?.recordWritten(record.id, json);
  }

  async read(id: string): Promise<CaseRecord | undefined> {
    if (!isCaseId(id)) return undefined;
    try {
      return JSON.parse(await readFile(path.join(this.root, id, CASE_FILE), "utf8")) as CaseRecord;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
  }

  /** Every readable case of `kind`, oldest first. */
  async list(kind: CaseKind): Promise<CaseRecord[]> {
    let names: string[];
    try {
      names = await readdir(this.root);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw error;
    }
    const records: CaseRecord[] = [];
    for (const name of names.filter(isCaseId)) {
      const record = await this.read(name).catch(() => undefined);
      if (record?.kind === kind) records.push(record);
    }
    return records.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }
}
