/**
 * checkMesh's report as data, with a verdict.
 *
 * Verdict thresholds (documented in the README):
 * - `failed`: checkMesh itself failed a check (`***` lines, "Failed N mesh checks"), or its output
 *   has no "Mesh OK." / "Failed" conclusion (it crashed).
 * - `warnings`: every check passed, but max non-orthogonality > 65° (snappyHexMesh's own limit),
 *   max skewness > 4 (a boundary face; internal faces over 4 already fail), max aspect ratio > 100,
 *   or checkMesh printed a `*` remark (e.g. severely non-orthogonal faces, several mesh regions).
 * - `ok`: none of the above.
 */
export const QUALITY_THRESHOLDS = { maxNonOrthogonality: 65, maxSkewness: 4, maxAspectRatio: 100 } as const;

export type Verdict = "ok" | "warnings" | "failed";

export interface MeshQualityReport {
  cells?: number;
  faces?: number;
  internalFaces?: number;
  points?: number;
  cellTypes: Record<string, number>;
  maxNonOrthogonality?: number;
  averageNonOrthogonality?: number;
  maxSkewness?: number;
  maxAspectRatio?: number;
  minVolume?: number;
  /** Checks checkMesh failed (its `***` lines). */
  failedChecks: string[];
  /** checkMesh's `*` remarks and the thresholds above that were exceeded. */
  warnings: string[];
  verdict: Verdict;
  thresholds: typeof QUALITY_THRESHOLDS;
}

const number = (text: string, pattern: RegExp) => {
  const match = pattern.exec(text);
  return match ? Number(match[1]) : undefined;
};

export function parseCheckMesh(text: string): MeshQualityReport {
  const stats = /Mesh stats([\s\S]*?)\n\s*\n/.exec(text)?.[1] ?? "";
  const cellTypes: Record<string, number> = {};
  const typesBlock = /Overall number of cells of each type:([\s\S]*?)\n\s*\n/.exec(text)?.[1] ?? "";
  for (const match of typesBlock.matchAll(/^\s{4}(hexahedra|prisms|wedges|pyramids|tet wedges|tetrahedra|polyhedra):\s+(\d+)/gm)) cellTypes[match[1]] = Number(match[2]);

  const failedChecks: string[] = [];
  const warnings: string[] = [];
  for (const line of text.split("\n")) {
    const trimmed = line.trim();
    if (trimmed.startsWith("***")) failedChecks.push(trimmed.replace(/^\*+/, "").trim());
    else if (/^\*[^*]/.test(trimmed)) warnings.push(trimmed.replace(/^\*/, "").trim());
  }

  const report: MeshQualityReport = {
    cells: number(stats, /^\s*cells:\s+(\d+)/m),
    faces: number(stats, /^\s*faces:\s+(\d+)/m),
    internalFaces: number(stats, /^\s*internal faces:\s+(\d+)/m),
    points: number(stats, /^\s*points:\s+(\d+)/m),
    cellTypes,
    maxNonOrthogonality: number(text, /Mesh non-orthogonality Max: ([\d.eE+-]+)/),
    averageNonOrthogonality: number(text, /Mesh non-orthogonality Max: [\d.eE+-]+ average: ([\d.eE+-]+)/),
    maxSkewness: number(text, /Max skewness = ([\d.eE+-]+)/),
    maxAspectRatio: number(text, /[Mm]ax aspect ratio\s*[:=]\s*([\d.eE+-]+)/),
    minVolume: number(text, /Min volume = ([\d.eE+-]+)/),
    failedChecks,
    warnings,
    verdict: "ok",
    thresholds: QUALITY_THRESHOLDS,
  };

  const t = QUALITY_THRESHOLDS;
  if ((report.maxNonOrthogonality ?? 0) > t.maxNonOrthogonality) warnings.push(`max non-orthogonality ${report.maxNonOrthogonality}° > ${t.maxNonOrthogonality}°`);
  if ((report.maxSkewness ?? 0) > t.maxSkewness) warnings.push(`max skewness ${report.maxSkewness} > ${t.maxSkewness}`);
  if ((report.maxAspectRatio ?? 0) > t.maxAspectRatio) warnings.push(`max aspect ratio ${report.maxAspectRatio} > ${t.maxAspectRatio}`);

  const concluded = /^Mesh OK\.$/m.test(text) || /^Failed \d+ mesh checks?\.$/m.test(text);
  if (!concluded) failedChecks.push("checkMesh did not finish (no 'Mesh OK.' or 'Failed N mesh checks.')");
  report.verdict = failedChecks.length > 0 ? "failed" : warnings.length > 0 ? "warnings" : "ok";
  return report;
}
