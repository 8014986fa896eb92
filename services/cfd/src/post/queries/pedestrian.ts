/** `GET /cases/:id/pedestrian`: wind speed and speed ratio at pedestrian level, per sector. */
import { unprocessable } from "@abode/service-kit";
import { cellsInBand, nearestHeights, ratiosOf, speedsAt, type Band } from "../analysis/pedestrian";
import { describe } from "../analysis/stats";
import type { CaseReader, OpenCase } from "../case/reader";

export async function pedestrianLevel(reader: CaseReader, c: OpenCase, band: Band) {
  const sectors = [];
  for (const sector of c.sectors) {
    const mesh = await reader.mesh(c, sector);
    const cells = cellsInBand(mesh.centres, band);
    if (cells.length === 0) {
      throw unprocessable(
        `Sector ${sector.direction}: no cell centre lies within ${band.height} ± ${band.halfWidth} m; the nearest cell-centre heights are ${nearestHeights(mesh.centres, band.height).join(", ")} m.`,
        { field: "band", sector: sector.direction, nearestHeights: nearestHeights(mesh.centres, band.height) },
      );
    }
    const velocity = await reader.velocity(c, sector, mesh);
    const speeds = speedsAt(velocity, cells);
    sectors.push({
      direction: sector.direction,
      time: sector.time,
      cells: cells.length,
      speed: describe(speeds),
      ratio: describe(ratiosOf(speeds, c.record.referenceSpeed)),
    });
  }
  return {
    caseId: c.id,
    height: band.height,
    band: band.halfWidth,
    reference: { speed: c.record.referenceSpeed, height: c.record.referenceHeight },
    sectors,
  };
}
