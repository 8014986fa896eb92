/** Picking sectors and fields of a case by what the client named, with answers that list the alternatives. */
import { HttpProblem } from "@abode/service-kit";
import type { FoamField } from "../foam/field";
import type { CaseReader, OpenCase, Sector } from "../case/reader";

/** The sectors asked for (all when none), or 404 naming the ones the case does not have. */
export function selectSectors(c: OpenCase, directions: readonly number[] | undefined): Sector[] {
  if (directions === undefined) return c.sectors;
  const unknown = directions.filter((d) => !c.sectors.some((s) => s.direction === d));
  if (unknown.length > 0) {
    throw new HttpProblem(404, "sector_not_found", `Case '${c.id}' has no sector ${unknown.join(", ")}; it has ${c.sectors.map((s) => s.direction).join(", ")}.`, {
      unknown,
      sectors: c.sectors.map((s) => s.direction),
    });
  }
  return c.sectors.filter((s) => directions.includes(s.direction));
}

/** A field the client named: 404 listing the fields the sector has when it is not there. */
export async function namedField(reader: CaseReader, c: OpenCase, sector: Sector, name: string): Promise<FoamField> {
  const field = await reader.field(c, sector, name);
  if (field) return field;
  const available = await reader.fieldNames(c, sector);
  throw new HttpProblem(404, "field_not_found", `Sector ${sector.direction} of case '${c.id}' has no field '${name}' (time ${sector.time}); it has ${available.join(", ")}.`, {
    field: name,
    sector: sector.direction,
    available,
  });
}
