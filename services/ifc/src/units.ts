/**
 * The project's length, area and volume units as factors to metres, m² and m³, read from the
 * IfcProject's IfcUnitAssignment: SI units with a prefix (MILLI METRE → 0.001) and
 * conversion-based units (FOOT → 0.3048 × METRE). Missing units default to SI, as IFC says.
 */
import { IFCCONVERSIONBASEDUNIT, IFCPROJECT, IFCSIUNIT } from "web-ifc";
import { number, refs, text, type IfcModel, type Line } from "./model";

export interface UnitScales {
  length: number;
  area: number;
  volume: number;
}

const PREFIX: Record<string, number> = {
  EXA: 1e18, PETA: 1e15, TERA: 1e12, GIGA: 1e9, MEGA: 1e6, KILO: 1e3, HECTO: 1e2, DECA: 1e1,
  DECI: 1e-1, CENTI: 1e-2, MILLI: 1e-3, MICRO: 1e-6, NANO: 1e-9, PICO: 1e-12, FEMTO: 1e-15, ATTO: 1e-18,
};

/** The power the unit's prefix applies with: a MILLI SQUARE_METRE is (1 mm)². */
const DIMENSION: Record<string, number> = { LENGTHUNIT: 1, AREAUNIT: 2, VOLUMEUNIT: 3 };

const enumValue = (attribute: unknown) => text(attribute) ?? (attribute as { value?: unknown } | null)?.value;

/** Factor from the unit to its SI base (m, m², m³), or undefined if it cannot be read. */
export function unitScale(model: IfcModel, unit: Line | undefined, depth = 0): number | undefined {
  if (!unit || depth > 4) return undefined;
  const dimension = DIMENSION[String(enumValue(unit.UnitType))] ?? 1;
  if (model.hierarchy.isA(unit.type, IFCSIUNIT)) {
    const prefix = unit.Prefix == null ? 1 : PREFIX[String(enumValue(unit.Prefix))];
    return prefix === undefined ? undefined : prefix ** dimension;
  }
  if (model.hierarchy.isA(unit.type, IFCCONVERSIONBASEDUNIT)) {
    // ConversionFactor is an IfcMeasureWithUnit: so many of its unit component.
    const measure = refs(unit.ConversionFactor).map((id) => model.line(id))[0];
    const value = number(measure?.ValueComponent);
    const base = unitScale(model, refs(measure?.UnitComponent).map((id) => model.line(id))[0], depth + 1);
    return value === undefined || base === undefined ? undefined : value * base;
  }
  return undefined;
}

export function projectUnits(model: IfcModel): UnitScales {
  const scales: UnitScales = { length: 1, area: 1, volume: 1 };
  const project = model.ids(IFCPROJECT).map((id) => model.line(id))[0];
  const assignment = refs(project?.UnitsInContext).map((id) => model.line(id))[0];
  for (const unitId of refs(assignment?.Units)) {
    const unit = model.line(unitId);
    const kind = String(enumValue(unit?.UnitType));
    const scale = unitScale(model, unit);
    if (scale === undefined) continue;
    if (kind === "LENGTHUNIT") scales.length = scale;
    else if (kind === "AREAUNIT") scales.area = scale;
    else if (kind === "VOLUMEUNIT") scales.volume = scale;
  }
  return scales;
}
