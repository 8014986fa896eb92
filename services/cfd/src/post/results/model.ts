/** A stored comfort result: what `POST /cases/:id/comfort` computes and every export reads. */
import type { CriteriaSet } from "../comfort/criteria";
import type { Climate } from "../comfort/climate";

export interface SectorUse {
  direction: number;
  /** The solution time read. */
  time: string;
  /** Normalised climate frequency (0 when the climate gives it no wind). */
  frequency: number;
  /** How pedestrian cells were matched to this sector's cells. */
  mapping: "same-mesh" | "nearest-cell";
  /** Largest distance between a pedestrian cell and the cell read for it, m. */
  maxMappingDistance: number;
}

export interface ClassCount {
  class: string;
  cells: number;
  percent: number;
}

export interface ComfortResult {
  id: string;
  caseId: string;
  kind: "wind-comfort";
  createdAt: string;
  /** The whole criteria set used (names are not standard across vendors). */
  criteria: CriteriaSet;
  safety: CriteriaSet | null;
  /** The climate as the request gave it. */
  climate: Climate & { referenceHeight?: number };
  /** Log-law move of the climate from its height to the CFD reference height (speeds × factor). */
  climateHeightConversion: { from: number; to: number; z0: number; factor: number } | null;
  method: string;
  reference: { speed: number; height: number };
  pedestrianLevel: { height: number; band: number; cells: number };
  /** Speeds whose exceedance was computed, m/s. */
  thresholds: number[];
  sectors: SectorUse[];
  /** CFD directions the climate gives no wind to. */
  unusedSectors: number[];
  summary: {
    comfort: ClassCount[];
    safety: ClassCount[] | null;
  };
  cells: ResultCells;
}

/** Column-wise per-cell data, one entry per pedestrian-level cell. */
export interface ResultCells {
  /** Cell index in the reference (first used) sector's mesh. */
  cell: ArrayLike<number>;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  z: ArrayLike<number>;
  /** Speed ratio |U| / U_ref per CFD direction (key: direction in degrees). */
  ratio: Record<string, ArrayLike<number>>;
  /** P(V > threshold) in percent of the time, per threshold (key: speed in m/s). */
  exceedancePercent: Record<string, ArrayLike<number>>;
  /** Index into `criteria.classes`. */
  comfortClass: ArrayLike<number>;
  /** Index into `safety.classes`; absent without a safety set. */
  safetyClass?: ArrayLike<number>;
}

export type ResultSummary = Omit<ComfortResult, "cells">;
