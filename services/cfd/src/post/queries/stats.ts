/** `GET /cases/:id/fields/:field/stats`: statistics of a field's cell values, per sector. */
import { describeField, type Stats } from "../analysis/stats";
import type { CaseReader, OpenCase } from "../case/reader";
import { namedField, selectSectors } from "./sectors";

export interface SectorStats {
  direction: number;
  time: string;
  /** Cells of the mesh (from C when present; a nonuniform field's own size otherwise). */
  cells: number | null;
  uniform: boolean;
  /** `value` for scalars; `magnitude` and each component (`x`, `y`, `z`…) otherwise. */
  quantities: Record<string, Stats>;
}

export async function fieldStats(reader: CaseReader, c: OpenCase, name: string, options: { sector?: number; percentiles?: number[] }) {
  const sectors = selectSectors(c, options.sector === undefined ? undefined : [options.sector]);
  let className = "";
  let dimensions: number[] = [];
  const out: SectorStats[] = [];
  for (const sector of sectors) {
    const field = await namedField(reader, c, sector, name);
    className = field.header.class ?? "";
    dimensions = field.dimensions;
    const internal = field.internalField;
    const centres = internal.kind === "uniform" ? await reader.field(c, sector, "C") : undefined;
    out.push({
      direction: sector.direction,
      time: sector.time,
      cells: internal.kind === "nonuniform" ? internal.size : (centres?.internalField.size ?? null),
      uniform: internal.kind === "uniform",
      quantities: describeField(internal.values, internal.components, options.percentiles),
    });
  }
  return { caseId: c.id, field: name, class: className, dimensions, weighting: "per cell (not volume-weighted)", sectors: out };
}
