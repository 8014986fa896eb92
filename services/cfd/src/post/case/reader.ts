/**
 * A finished CFD case as the post-processor sees it: `<caseId>/case.json` and one OpenFOAM case
 * per wind direction under `<caseId>/sectors/<direction>/`, read through a `CaseSource`.
 * Parsed fields are cached (bounded by bytes), so stats, probes and comfort on the same case
 * parse each file once.
 */
import { gunzipSync } from "node:zlib";
import { HttpProblem } from "@abode/service-kit";
import { z } from "zod";
import { ByteLru } from "../cache";
import { cellValues, FoamParseError, parseFoamField, type FoamField } from "../foam/field";
import { PointIndex } from "../analysis/point-index";
import { isSafeKey, type CaseSource } from "./source";

const TIME_NAME = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The case status the solver writes when every sector converged or ran its budget. */
export const FINISHED_STATUS = "succeeded";

/**
 * What the post-processor needs from `case.json` (the solver owns the rest of it): the status,
 * the reference wind (absent on mesh-only runs), the roughness, and per sector where its
 * OpenFOAM case is and which time is its solution. Without `sectors`, `sectors/<direction>/`
 * directories and their largest time directory are used.
 */
const CaseRecordSchema = z.looseObject({
  status: z.string(),
  kind: z.string().optional(),
  request: z
    .looseObject({
      referenceSpeed: z.number().positive().optional(),
      referenceHeight: z.number().positive().optional(),
      z0: z.number().positive().optional(),
    })
    .optional(),
  sectors: z
    .array(
      z.looseObject({
        direction: z.number().min(0).lt(360),
        path: z.string().refine(isSafeKey, "must be a relative path such as sectors/90"),
        results: z.looseObject({ latestTime: z.string().regex(TIME_NAME) }).optional(),
      }),
    )
    .optional(),
});

export interface CaseRecord {
  status: string;
  /** U_ref of the CFD inlet profile, m/s, at `referenceHeight`, m. */
  referenceSpeed: number;
  referenceHeight: number;
  /** Aerodynamic roughness length of the approaching terrain, m, when the case states it. */
  z0?: number;
}

export interface Sector {
  /** Wind direction, degrees clockwise from north, the wind blowing FROM it. */
  direction: number;
  /** Its OpenFOAM case, relative to the case (`sectors/90`). */
  path: string;
  /** The latest time directory (the converged solution). */
  time: string;
}

export interface OpenCase {
  id: string;
  record: CaseRecord;
  /** Ascending by direction. */
  sectors: Sector[];
}

export interface Mesh {
  /** Cell centres, x y z per cell. */
  centres: Float64Array;
  cells: number;
  index(): PointIndex;
}

export class CaseReader {
  private readonly fields: ByteLru<FoamField>;
  private readonly indexes = new WeakMap<Float64Array, PointIndex>();

  constructor(
    readonly source: CaseSource,
    cacheBytes: number,
  ) {
    this.fields = new ByteLru<FoamField>(cacheBytes);
  }

  /** The case, checked finished and complete: 404 unknown, 409 not finished or missing output. */
  async open(caseId: string): Promise<OpenCase> {
    const raw = await this.source.read(`${caseId}/case.json`);
    if (!raw) throw new HttpProblem(404, "case_not_found", `No case '${caseId}'.`, { caseId });
    let json: unknown;
    try {
      json = JSON.parse(raw.toString("utf8"));
    } catch (error) {
      throw unreadable(caseId, "case.json", (error as Error).message);
    }
    const parsed = CaseRecordSchema.safeParse(json);
    if (!parsed.success) {
      throw unreadable(caseId, "case.json", parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
    }
    const { status, request } = parsed.data;
    if (status !== FINISHED_STATUS) {
      throw new HttpProblem(409, "case_not_finished", `Case '${caseId}' is ${status}; post-processing needs a ${FINISHED_STATUS} case.`, { caseId, status });
    }
    if (!request?.referenceSpeed || !request.referenceHeight) {
      throw new HttpProblem(409, "not_a_wind_case", `Case '${caseId}' has no reference wind (a ${parsed.data.kind ?? "mesh-only"} run); nothing to post-process.`, { caseId });
    }
    const record: CaseRecord = { status, referenceSpeed: request.referenceSpeed, referenceHeight: request.referenceHeight, z0: request.z0 };
    const sectors: Sector[] = [];
    const unsolved: number[] = [];
    if (parsed.data.sectors) {
      for (const s of parsed.data.sectors) {
        if (s.results) sectors.push({ direction: s.direction, path: s.path, time: s.results.latestTime });
        else unsolved.push(s.direction);
      }
    } else {
      const names = (await this.source.list(`${caseId}/sectors`)).filter((n) => /^\d{1,3}$/.test(n) && Number(n) < 360);
      for (const name of names) {
        const time = latestTime(await this.source.list(`${caseId}/sectors/${name}`));
        if (time === undefined) unsolved.push(Number(name));
        else sectors.push({ direction: Number(name), path: `sectors/${name}`, time });
      }
    }
    if (unsolved.length > 0) {
      throw incomplete(caseId, `sector(s) ${unsolved.join(", ")} have no solution time`, { sectors: unsolved });
    }
    if (sectors.length === 0) throw incomplete(caseId, "it has no sector results under sectors/<direction>/");
    sectors.sort((a, b) => a.direction - b.direction);
    return { id: caseId, record, sectors };
  }

  /** Field names present in a sector's solution time (for "no such field" answers). */
  async fieldNames(c: OpenCase, sector: Sector): Promise<string[]> {
    const names = await this.source.list(`${c.id}/${sector.path}/${sector.time}`);
    return names.map((n) => n.replace(/\.gz$/, "")).filter((n) => /^[A-Za-z][\w.:]*$/.test(n) && n !== "uniform").sort();
  }

  /** A parsed field of one sector; undefined when the file is not there. */
  async field(c: OpenCase, sector: Sector, name: string): Promise<FoamField | undefined> {
    const base = `${c.id}/${sector.path}/${sector.time}/${name}`;
    for (const key of [base, `${base}.gz`]) {
      const info = await this.source.info(key);
      if (!info) continue;
      return this.fields.getOrLoad(`${key}@${info.version}`, async () => {
        const raw = await this.source.read(key);
        if (!raw) throw incomplete(c.id, `${key} disappeared while reading`);
        let field: FoamField;
        try {
          field = parseFoamField(key.endsWith(".gz") ? gunzipSync(raw) : raw);
        } catch (error) {
          if (error instanceof FoamParseError || (error as NodeJS.ErrnoException).code?.startsWith("Z_")) {
            throw unreadable(c.id, `${sector.path}/${sector.time}/${name}`, (error as Error).message);
          }
          throw error;
        }
        return { value: field, bytes: fieldBytes(field) };
      });
    }
    return undefined;
  }

  /** A field that must exist (U, C…): 409 naming the missing file otherwise. */
  async requiredField(c: OpenCase, sector: Sector, name: string, hint = ""): Promise<FoamField> {
    const field = await this.field(c, sector, name);
    if (!field) throw incomplete(c.id, `sector ${sector.direction} has no field '${name}' in time ${sector.time}${hint}`, { sector: sector.direction, field: name });
    return field;
  }

  /**
   * A field's value at every cell of the mesh (a uniform field expanded); 422 when its size or
   * its type (`components` per value, when given) does not fit.
   */
  cellValues(c: OpenCase, sector: Sector, name: string, field: FoamField, mesh: Mesh, components?: number): Float64Array {
    const internal = field.internalField;
    if ((components !== undefined && internal.components !== components) || (internal.kind === "nonuniform" && internal.size !== mesh.cells)) {
      throw unreadable(
        c.id,
        `${sector.path}/${sector.time}/${name}`,
        `${internal.size} values of ${internal.components} component(s) for a mesh of ${mesh.cells} cells${components ? ` (expected ${components} per value)` : ""}`,
      );
    }
    return cellValues(internal, mesh.cells);
  }

  /** The sector's velocity U at every cell. */
  async velocity(c: OpenCase, sector: Sector, mesh: Mesh): Promise<Float64Array> {
    return this.cellValues(c, sector, "U", await this.requiredField(c, sector, "U"), mesh, 3);
  }

  /** The cell centres of a sector's mesh (the `C` field `postProcess -func writeCellCentres` writes). */
  async mesh(c: OpenCase, sector: Sector): Promise<Mesh> {
    const field = await this.requiredField(c, sector, "C", " (run `postProcess -func writeCellCentres -latestTime`)");
    const centres = field.internalField.values;
    if (field.internalField.components !== 3 || field.internalField.kind !== "nonuniform") {
      throw unreadable(c.id, `${sector.path}/${sector.time}/C`, "cell centres must be a nonuniform vector field");
    }
    return {
      centres,
      cells: field.internalField.size,
      index: () => {
        let index = this.indexes.get(centres);
        if (!index) {
          index = new PointIndex(centres);
          this.indexes.set(centres, index);
        }
        return index;
      },
    };
  }
}

/** The largest time directory name above 0, or undefined. */
export function latestTime(names: string[]): string | undefined {
  let best: string | undefined;
  let bestValue = 0;
  for (const name of names) {
    if (!TIME_NAME.test(name)) continue;
    const value = Number(name);
    if (value > bestValue) {
      bestValue = value;
      best = name;
    }
  }
  return best;
}

function fieldBytes(field: FoamField): number {
  let bytes = field.internalField.values.byteLength;
  for (const patch of Object.values(field.boundaryField)) bytes += patch.value?.values.byteLength ?? 0;
  return bytes + 1024;
}

function incomplete(caseId: string, reason: string, details: Record<string, unknown> = {}): HttpProblem {
  return new HttpProblem(409, "case_incomplete", `Case '${caseId}' cannot be post-processed: ${reason}.`, { caseId, ...details });
}

function unreadable(caseId: string, file: string, reason: string): HttpProblem {
  return new HttpProblem(422, "unreadable_case_file", `Case '${caseId}': ${file} cannot be read: ${reason}`, { caseId, file });
}
