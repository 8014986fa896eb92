/**
 * A comfort result as CSV (one row per pedestrian-level cell) or as legacy VTK (POLYDATA: one
 * vertex per cell centre with its data as point data, for ParaView).
 */
import type { ComfortResult } from "./model";

interface Column {
  name: string;
  values: ArrayLike<number>;
  integer: boolean;
}

/** Every per-cell number of a result as named columns (shared by CSV and VTK). */
function columnsOf(result: ComfortResult): Column[] {
  const { cells } = result;
  const columns: Column[] = [
    { name: "cell", values: cells.cell, integer: true },
    { name: "x", values: cells.x, integer: false },
    { name: "y", values: cells.y, integer: false },
    { name: "z", values: cells.z, integer: false },
  ];
  for (const [direction, ratios] of Object.entries(cells.ratio)) {
    columns.push({ name: `ratio_${direction}`, values: ratios, integer: false });
  }
  for (const [direction, ratios] of Object.entries(cells.ratio)) {
    // The speed in the CFD run itself (at the case's reference speed).
    columns.push({ name: `speed_${direction}`, values: Array.from(ratios, (r) => Math.round(r * result.reference.speed * 1e6) / 1e6), integer: false });
  }
  for (const [speed, percent] of Object.entries(cells.exceedancePercent)) {
    columns.push({ name: `exceedance_${speed}ms_pct`, values: percent, integer: false });
  }
  columns.push({ name: "comfort_class", values: cells.comfortClass, integer: true });
  if (cells.safetyClass) columns.push({ name: "safety_class", values: cells.safetyClass, integer: true });
  return columns;
}

function csvField(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(result: ComfortResult): string {
  const columns = columnsOf(result);
  const header = [...columns.map((c) => c.name), "comfort_class_name", ...(result.safety ? ["safety_class_name"] : [])];
  const comfortNames = result.criteria.classes.map((c) => csvField(c.name));
  const safetyNames = result.safety?.classes.map((c) => csvField(c.name)) ?? [];
  const rows: string[] = [header.join(",")];
  const n = result.pedestrianLevel.cells;
  for (let i = 0; i < n; i++) {
    const row = columns.map((c) => String(c.values[i]));
    row.push(comfortNames[result.cells.comfortClass[i]]);
    if (result.safety && result.cells.safetyClass) row.push(safetyNames[result.cells.safetyClass[i]]);
    rows.push(row.join(","));
  }
  return `${rows.join("\n")}\n`;
}

export function toVtk(result: ComfortResult): string {
  const n = result.pedestrianLevel.cells;
  const legend = (set: ComfortResult["criteria"]) => set.classes.map((c, k) => `${k}=${c.name}`).join(" ");
  // The title line is the only free text legacy VTK has: the class legends go there (≤ 256 chars).
  const title = `Abode wind comfort ${result.id}; ${result.criteria.name}: ${legend(result.criteria)}${result.safety ? `; ${result.safety.name}: ${legend(result.safety)}` : ""}`
    .replace(/[\r\n]/g, " ")
    .slice(0, 255);
  const out: string[] = ["# vtk DataFile Version 3.0", title, "ASCII", "DATASET POLYDATA", `POINTS ${n} double`];
  for (let i = 0; i < n; i++) out.push(`${result.cells.x[i]} ${result.cells.y[i]} ${result.cells.z[i]}`);
  out.push(`VERTICES ${n} ${2 * n}`);
  for (let i = 0; i < n; i++) out.push(`1 ${i}`);
  out.push(`POINT_DATA ${n}`);
  for (const column of columnsOf(result)) {
    if (column.name === "x" || column.name === "y" || column.name === "z") continue;
    out.push(`SCALARS ${column.name} ${column.integer ? "int" : "double"} 1`, "LOOKUP_TABLE default");
    const values: string[] = new Array(n);
    for (let i = 0; i < n; i++) values[i] = String(column.values[i]);
    out.push(values.join("\n"));
  }
  return `${out.join("\n")}\n`;
}
