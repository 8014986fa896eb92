/** Results on the case store: `<caseId>/results/<resultId>.json`, the criteria set inside. */
import type { CaseSource } from "../case/source";
import type { ComfortResult, ResultCells, ResultSummary } from "./model";

export function resultKey(caseId: string, resultId: string): string {
  return `${caseId}/results/${resultId}.json`;
}

/** Six decimals: µm-, 1e-6-ratio- and 1e-6 %-resolution, and a compact file. */
const round6 = (v: number) => Math.round(v * 1e6) / 1e6;

function column(values: ArrayLike<number>, round = false): number[] {
  return round ? Array.from(values, round6) : Array.from(values);
}

function storedCells(cells: ResultCells): ResultCells {
  const mapValues = (record: Record<string, ArrayLike<number>>) => Object.fromEntries(Object.entries(record).map(([k, v]) => [k, column(v, true)]));
  return {
    cell: column(cells.cell),
    x: column(cells.x),
    y: column(cells.y),
    z: column(cells.z),
    ratio: mapValues(cells.ratio),
    exceedancePercent: mapValues(cells.exceedancePercent),
    comfortClass: column(cells.comfortClass),
    ...(cells.safetyClass ? { safetyClass: column(cells.safetyClass) } : {}),
  };
}

export async function saveResult(source: CaseSource, result: ComfortResult): Promise<void> {
  const stored: ComfortResult = { ...result, cells: storedCells(result.cells) };
  await source.write(resultKey(result.caseId, result.id), JSON.stringify(stored));
}

export function parseResult(stored: Buffer): ComfortResult {
  return JSON.parse(stored.toString("utf8")) as ComfortResult;
}

export function summaryOf(result: ComfortResult): ResultSummary {
  const { cells: _cells, ...summary } = result;
  return summary;
}
