/**
 * POST /elements: what the model holds. Counts by type include subtypes (IfcWall counts
 * IfcWallStandardCase), storeys with their elevation and contents, spaces with the floor areas
 * and volumes their quantity sets state, and one element's property sets on request.
 */
import { IFCBUILDINGSTOREY, IFCELEMENT, IFCELEMENTQUANTITY, IFCOBJECT, IFCPRODUCT, IFCROOT, IFCSPACE } from "web-ifc";
import { number, refs, text, type IfcModel, type Line } from "./model";
import { notInModel } from "./problem";
import { readPropertySet, type PropertySetView } from "./properties";
import { indexRelations, type Relations } from "./relations";
import { projectUnits, unitScale, type UnitScales } from "./units";

export interface StoreyView {
  expressId: number;
  globalId?: string;
  name?: string;
  /** Metres above the project's zero, as the storey states it; null when it does not. */
  elevation: number | null;
  /** Elements contained in the storey (IfcRelContainedInSpatialStructure). */
  elements: number;
  /** Spaces aggregated into the storey. */
  spaces: number;
}

export interface SpaceView {
  expressId: number;
  globalId?: string;
  name?: string;
  longName?: string;
  /** GlobalId of the storey the space is aggregated into, if any. */
  storey: string | null;
  /** m², from the space's quantity sets; null when no set states it. */
  netFloorArea: number | null;
  grossFloorArea: number | null;
  /** m³, likewise. */
  netVolume: number | null;
  grossVolume: number | null;
}

export interface ElementView {
  expressId: number;
  globalId?: string;
  type: string;
  name?: string;
  propertySets: PropertySetView[];
}

export interface ElementsAnswer {
  schema: string;
  /** Product instances per type, subtypes included (IfcWall = IfcWall + IfcWallStandardCase + ...). */
  counts: Record<string, number>;
  /** Product instances of exactly each type. */
  exactCounts: Record<string, number>;
  storeys: StoreyView[];
  spaces: SpaceView[];
  element?: ElementView;
}

const sorted = (record: Map<string, number>) => Object.fromEntries([...record].sort(([a], [b]) => a.localeCompare(b)));

export function countProducts(model: IfcModel): { counts: Record<string, number>; exactCounts: Record<string, number> } {
  const counts = new Map<string, number>();
  const exact = new Map<string, number>();
  // Not web-ifc's GetAllTypesOfModel: it leaks one wasm vector per schema type on every call.
  for (const typeID of [IFCPRODUCT, ...model.hierarchy.descendants(IFCPRODUCT)]) {
    const n = model.ids(typeID, false).length;
    if (n === 0) continue;
    exact.set(model.typeName(typeID), n);
    for (const type of [typeID, ...model.hierarchy.ancestors(typeID)]) {
      if (!model.hierarchy.isA(type, IFCPRODUCT)) continue;
      const name = model.typeName(type);
      counts.set(name, (counts.get(name) ?? 0) + n);
    }
  }
  return { counts: sorted(counts), exactCounts: sorted(exact) };
}

const optional = <K extends string>(key: K, value: string | undefined) => (value === undefined || value === "" ? {} : ({ [key]: value } as Record<K, string>));

export function storeys(model: IfcModel, rel: Relations, units: UnitScales): StoreyView[] {
  return model
    .ids(IFCBUILDINGSTOREY)
    .map((id) => {
      const line = model.line(id);
      const elevation = number(line?.Elevation);
      return {
        expressId: id,
        ...optional("globalId", text(line?.GlobalId)),
        ...optional("name", text(line?.Name)),
        elevation: elevation === undefined ? null : elevation * units.length,
        elements: (rel.contains.get(id) ?? []).filter((e) => model.isA(e, IFCELEMENT)).length,
        spaces: (rel.parts.get(id) ?? []).filter((p) => model.isA(p, IFCSPACE)).length,
      };
    })
    .sort((a, b) => (a.elevation ?? 0) - (b.elevation ?? 0));
}

const SPACE_QUANTITIES = {
  netFloorArea: { name: "NetFloorArea", attribute: "AreaValue", scale: "area" },
  grossFloorArea: { name: "GrossFloorArea", attribute: "AreaValue", scale: "area" },
  netVolume: { name: "NetVolume", attribute: "VolumeValue", scale: "volume" },
  grossVolume: { name: "GrossVolume", attribute: "VolumeValue", scale: "volume" },
} as const;

/** Standard quantity sets first, so their values win over tool-specific ones with the same names. */
const STANDARD_QTO = /^(Qto_SpaceBaseQuantities|BaseQuantities)$/;

function spaceQuantities(model: IfcModel, rel: Relations, units: UnitScales, spaceId: number) {
  const sets = (rel.definedBy.get(spaceId) ?? [])
    .filter((id) => model.isA(id, IFCELEMENTQUANTITY))
    .map((id) => model.line(id)!)
    .sort((a, b) => Number(!STANDARD_QTO.test(text(a.Name) ?? "")) - Number(!STANDARD_QTO.test(text(b.Name) ?? "")));
  const found: Record<keyof typeof SPACE_QUANTITIES, number | null> = { netFloorArea: null, grossFloorArea: null, netVolume: null, grossVolume: null };
  for (const set of sets) {
    for (const quantityId of refs(set.Quantities)) {
      const quantity = model.line(quantityId);
      for (const [key, spec] of Object.entries(SPACE_QUANTITIES) as [keyof typeof SPACE_QUANTITIES, (typeof SPACE_QUANTITIES)[keyof typeof SPACE_QUANTITIES]][]) {
        if (found[key] !== null || text(quantity?.Name) !== spec.name) continue;
        const value = number(quantity?.[spec.attribute]);
        if (value === undefined) continue;
        // A quantity may carry its own unit; otherwise the project's applies.
        const own = refs(quantity?.Unit).map((u) => model.line(u) as Line | undefined)[0];
        found[key] = value * (unitScale(model, own) ?? units[spec.scale]);
      }
    }
  }
  return found;
}

/** The storey a spatial element sits in, following IfcRelAggregates upwards. */
function storeyOf(model: IfcModel, rel: Relations, id: number): number | undefined {
  const seen = new Set<number>();
  let current: number | undefined = id;
  while (current !== undefined && !seen.has(current)) {
    seen.add(current);
    if (current !== id && model.isA(current, IFCBUILDINGSTOREY)) return current;
    current = rel.aggregatedBy.get(current)?.[0];
  }
  return undefined;
}

export function spaces(model: IfcModel, rel: Relations, units: UnitScales): SpaceView[] {
  return model.ids(IFCSPACE).map((id) => {
    const line = model.line(id);
    const storey = storeyOf(model, rel, id);
    return {
      expressId: id,
      ...optional("globalId", text(line?.GlobalId)),
      ...optional("name", text(line?.Name)),
      ...optional("longName", text(line?.LongName)),
      storey: storey === undefined ? null : (text(model.line(storey)?.GlobalId) ?? null),
      ...spaceQuantities(model, rel, units, id),
    };
  });
}

/** Finds an object by GlobalId or express id; a 422 naming `field` when the model has none. */
export function findObject(model: IfcModel, key: string, field: string): number {
  // A GlobalId is 22 characters and may be all digits; an express id is at most 10 digits.
  if (/^\d{1,10}$/.test(key)) {
    const id = Number(key);
    if (!model.isA(id, IFCOBJECT)) throw notInModel(field, `#${id} is not an object (element, space, storey, ...) in this model`);
    return id;
  }
  const id = model.ids(IFCROOT).find((candidate) => text(model.line(candidate)?.GlobalId) === key);
  if (id === undefined || !model.isA(id, IFCOBJECT)) throw notInModel(field, `no object with GlobalId ${key} in this model`);
  return id;
}

export function describeElement(model: IfcModel, rel: Relations, id: number): ElementView {
  const line = model.line(id)!;
  const own = (rel.definedBy.get(id) ?? []).map((set) => readPropertySet(model, set, "occurrence"));
  const typeId = rel.typedBy.get(id);
  const inherited = typeId === undefined ? [] : refs(model.line(typeId)?.HasPropertySets).map((set) => readPropertySet(model, set, "type"));
  return {
    expressId: id,
    ...optional("globalId", text(line.GlobalId)),
    type: model.typeName(line.type),
    ...optional("name", text(line.Name)),
    propertySets: [...own, ...inherited].filter((set): set is PropertySetView => set !== undefined),
  };
}

export function describeModel(model: IfcModel, options: { element?: string }): ElementsAnswer {
  const rel = indexRelations(model);
  const units = projectUnits(model);
  const answer: ElementsAnswer = {
    schema: model.schema,
    ...countProducts(model),
    storeys: storeys(model, rel, units),
    spaces: spaces(model, rel, units),
  };
  if (options.element !== undefined) answer.element = describeElement(model, rel, findObject(model, options.element, "query.element"));
  return answer;
}
