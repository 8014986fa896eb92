/**
 * Pedestrian wind comfort of a finished case: pedestrian-level cells, their speed ratio in every
 * simulated direction, the climate's exceedance of each threshold, and the classes.
 */
import { randomUUID } from "node:crypto";
import { HttpProblem, unprocessable } from "@abode/service-kit";
import { cellsInBand, nearestHeights, ratiosOf, speedsAt } from "../analysis/pedestrian";
import type { CaseReader, Mesh, OpenCase } from "../case/reader";
import { alignClimate, logLawFactor, scaleClimate } from "../comfort/climate";
import { classify, thresholdsOf, type CriteriaSet } from "../comfort/criteria";
import { exceedance } from "../comfort/exceedance";
import { criteriaOf, type ComfortRequest } from "../schemas";
import type { ClassCount, ComfortResult, SectorUse } from "./model";

export const METHOD = [
  "Speed ratio r_s = |U_s| / U_ref at each pedestrian-level cell (cell centre within ±band of the height above z = 0) from the CFD run of direction s;",
  "P(V > v) = Σ_s f_s · P_s(V_ref > v / r_s), the wind climate given at the CFD reference height (Weibull: exp(−(x/c_s)^k_s); table: linear within speed bins);",
  "a climate given at another height is moved to the reference height with the log law over the case's roughness length z0 (V ∝ ln(z / z0));",
  "every climate direction with wind must have a CFD run (no interpolation between directions);",
  "class = the first (most comfortable) class whose threshold's exceedance is within its limit.",
].join(" ");

export interface ComfortLimits {
  /** Most pedestrian-level cells one result may hold. */
  maxCells: number;
}

export async function computeComfort(reader: CaseReader, c: OpenCase, body: ComfortRequest, limits: ComfortLimits): Promise<ComfortResult> {
  const { criteria, safety } = criteriaOf(body);
  const conversion = heightConversion(body, c);
  const climate = conversion ? scaleClimate(body.climate, conversion.factor) : body.climate;
  const directions = c.sectors.map((s) => s.direction);
  const alignment = alignClimate(climate, directions);
  if (alignment.missing.length > 0) {
    throw new HttpProblem(
      422,
      "climate_sectors_not_simulated",
      `The climate has wind from ${alignment.missing.join(", ")}° but the case has no CFD run for ${alignment.missing.length === 1 ? "it" : "them"} (simulated: ${directions.join(", ")}°). Run those directions or give them frequency 0.`,
      { missing: alignment.missing, simulated: directions },
    );
  }
  const used = c.sectors.map((s, i) => ({ sector: s, model: alignment.models[i] })).filter((u) => u.model !== undefined);
  if (used.length === 0) throw unprocessable("The climate gives no wind to any simulated direction.", { simulated: directions });

  const band = { height: body.height, halfWidth: body.band };
  const reference = await reader.mesh(c, used[0].sector);
  const cells = cellsInBand(reference.centres, band);
  if (cells.length === 0) {
    throw unprocessable(`No cell centre lies within ${body.height} ± ${body.band} m; the nearest cell-centre heights are ${nearestHeights(reference.centres, body.height).join(", ")} m.`, {
      field: "band",
      nearestHeights: nearestHeights(reference.centres, body.height),
    });
  }
  if (cells.length > limits.maxCells) {
    throw unprocessable(`${cells.length} cells lie within ${body.height} ± ${body.band} m, more than the limit of ${limits.maxCells}; narrow the band.`, {
      field: "band",
      cells: cells.length,
      limit: limits.maxCells,
    });
  }

  const ratios: (Float64Array | undefined)[] = c.sectors.map(() => undefined);
  const sectorUse: SectorUse[] = [];
  for (let i = 0; i < c.sectors.length; i++) {
    const model = alignment.models[i];
    if (!model) continue;
    const sector = c.sectors[i];
    const mesh = sector === used[0].sector ? reference : await reader.mesh(c, sector);
    const { map, mapping, maxDistance } = mapCells(reference, cells, mesh);
    const velocity = await reader.velocity(c, sector, mesh);
    ratios[i] = ratiosOf(speedsAt(velocity, map), c.record.referenceSpeed);
    sectorUse.push({ direction: sector.direction, time: sector.time, frequency: model.frequency, mapping, maxMappingDistance: maxDistance });
  }

  const thresholds = thresholdsOf(criteria, safety);
  const n = cells.length;
  const exceeded = exceedance(ratios, alignment.models, thresholds, n);
  const comfortClass = classify(criteria, thresholds, exceeded, n);
  const safetyClass = safety ? classify(safety, thresholds, exceeded, n) : undefined;

  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = reference.centres[3 * cells[i]];
    y[i] = reference.centres[3 * cells[i] + 1];
    z[i] = reference.centres[3 * cells[i] + 2];
  }
  const ratio: Record<string, Float64Array> = {};
  c.sectors.forEach((s, i) => {
    if (ratios[i]) ratio[String(s.direction)] = ratios[i] as Float64Array;
  });
  const exceedancePercent: Record<string, Float64Array> = {};
  thresholds.forEach((t, k) => {
    const block = exceeded.slice(k * n, (k + 1) * n);
    for (let i = 0; i < n; i++) block[i] *= 100;
    exceedancePercent[String(t)] = block;
  });

  return {
    id: randomUUID(),
    caseId: c.id,
    kind: "wind-comfort",
    createdAt: new Date().toISOString(),
    criteria,
    safety: safety ?? null,
    climate: body.climate,
    climateHeightConversion: conversion ?? null,
    method: METHOD,
    reference: { speed: c.record.referenceSpeed, height: c.record.referenceHeight },
    pedestrianLevel: { height: body.height, band: body.band, cells: n },
    thresholds,
    sectors: sectorUse,
    unusedSectors: alignment.unused,
    summary: { comfort: countClasses(criteria, comfortClass), safety: safety && safetyClass ? countClasses(safety, safetyClass) : null },
    cells: { cell: cells, x, y, z, ratio, exceedancePercent, comfortClass, ...(safetyClass ? { safetyClass } : {}) },
  };
}

/**
 * When the climate is given at another height than the CFD reference speed: the log-law factor
 * that moves it there, over the case's roughness (422 when the case states none).
 */
function heightConversion(body: ComfortRequest, c: OpenCase): ComfortResult["climateHeightConversion"] | undefined {
  const from = body.climate.referenceHeight;
  const to = c.record.referenceHeight;
  if (from === undefined || Math.abs(from - to) <= 1e-6 * to) return undefined;
  const z0 = c.record.z0;
  if (z0 === undefined || !(from > z0 && to > z0)) {
    throw unprocessable(
      `The climate is given at ${from} m and the CFD reference speed is at ${to} m; ${z0 === undefined ? "the case states no roughness length z0 to convert with" : `both must exceed the roughness length z0 = ${z0} m`}. Give the climate at ${to} m.`,
      { field: "climate.referenceHeight", climateHeight: from, caseReferenceHeight: to, z0: z0 ?? null },
    );
  }
  return { from, to, z0, factor: logLawFactor(from, to, z0) };
}

/**
 * Which cell of `target` to read for each pedestrian cell of the reference mesh: the same cell
 * when both sectors share the mesh, otherwise the nearest cell centre.
 */
export function mapCells(reference: Mesh, cells: Int32Array, target: Mesh): { map: Int32Array; mapping: SectorUse["mapping"]; maxDistance: number } {
  if (target.centres === reference.centres || sameValues(target.centres, reference.centres)) {
    return { map: cells, mapping: "same-mesh", maxDistance: 0 };
  }
  const index = target.index();
  const map = new Int32Array(cells.length);
  let maxDistance = 0;
  for (let i = 0; i < cells.length; i++) {
    const p = 3 * cells[i];
    const hit = index.nearest(reference.centres[p], reference.centres[p + 1], reference.centres[p + 2]);
    map[i] = hit.index;
    if (hit.distance > maxDistance) maxDistance = hit.distance;
  }
  return { map, mapping: "nearest-cell", maxDistance };
}

function sameValues(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function countClasses(set: CriteriaSet, classes: Uint8Array): ClassCount[] {
  const counts = new Array<number>(set.classes.length).fill(0);
  for (let i = 0; i < classes.length; i++) counts[classes[i]]++;
  return set.classes.map((cls, k) => ({ class: cls.name, cells: counts[k], percent: classes.length === 0 ? 0 : (100 * counts[k]) / classes.length }));
}
