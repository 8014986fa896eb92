/** `POST /cases/:id/probes`: field values at the cell centre nearest to each point, per sector. */
import type { CaseReader, OpenCase } from "../case/reader";
import type { ProbeRequest } from "../schemas";
import { namedField, selectSectors } from "./sectors";

export interface ProbeHit {
  direction: number;
  /** Index of the nearest cell. */
  cell: number;
  centre: { x: number; y: number; z: number };
  /** From the point to that cell centre, m. */
  distance: number;
  /** Scalars as numbers, vectors and tensors as arrays of components. */
  values: Record<string, number | number[]>;
  /** |U| and |U| / U_ref when U is probed. */
  speed?: number;
  ratio?: number;
}

export async function probe(reader: CaseReader, c: OpenCase, body: ProbeRequest) {
  const sectors = selectSectors(c, body.sectors);
  const points = body.points.map((p) => ({ point: p, sectors: [] as ProbeHit[] }));
  for (const sector of sectors) {
    const mesh = await reader.mesh(c, sector);
    const index = mesh.index();
    const fields = [];
    for (const name of body.fields) {
      const field = await namedField(reader, c, sector, name);
      fields.push({ name, components: field.internalField.components, values: reader.cellValues(c, sector, name, field, mesh) });
    }
    for (const entry of points) {
      const { x, y, z } = entry.point;
      const hit = index.nearest(x, y, z);
      const values: Record<string, number | number[]> = {};
      for (const f of fields) {
        const at = hit.index * f.components;
        values[f.name] = f.components === 1 ? f.values[at] : Array.from(f.values.subarray(at, at + f.components));
      }
      const probeHit: ProbeHit = {
        direction: sector.direction,
        cell: hit.index,
        centre: { x: mesh.centres[3 * hit.index], y: mesh.centres[3 * hit.index + 1], z: mesh.centres[3 * hit.index + 2] },
        distance: hit.distance,
        values,
      };
      const u = values.U;
      if (Array.isArray(u) && u.length === 3) {
        probeHit.speed = Math.hypot(u[0], u[1], u[2]);
        probeHit.ratio = probeHit.speed / c.record.referenceSpeed;
      }
      entry.sectors.push(probeHit);
    }
  }
  return { caseId: c.id, reference: { speed: c.record.referenceSpeed, height: c.record.referenceHeight }, points };
}
