/**
 * POST /validate: checks an open model and reports findings. Each check is a function from
 * the model (and the indexed relationships) to findings; the report caps how many findings of
 * one code it lists, and counts all of them.
 */
import {
  FILE_DESCRIPTION,
  FILE_NAME,
  FILE_SCHEMA,
  IFCBUILDING,
  IFCBUILDINGSTOREY,
  IFCELEMENT,
  IFCOBJECTDEFINITION,
  IFCPORT,
  IFCPRODUCT,
  IFCPROJECT,
  IFCPROPERTYSET,
  IFCPROPERTYSETDEFINITION,
  IFCROOT,
  IFCSITE,
  IFCSPACE,
  IFCSPATIALSTRUCTUREELEMENT,
  IFCTYPEOBJECT,
} from "web-ifc";
import { refs, text, type EntityRef, type IfcModel } from "./model";
import { memberIds } from "./properties";
import { indexRelations, type Relations } from "./relations";

export type Severity = "error" | "warning" | "info";

export interface Finding {
  severity: Severity;
  code: string;
  message: string;
  entities: EntityRef[];
}

export interface ValidationReport {
  schema: string;
  findings: Finding[];
  summary: {
    /** No error findings. */
    valid: boolean;
    errors: number;
    warnings: number;
    infos: number;
    /** Every finding counted by code, including those left out of `findings`. */
    byCode: Record<string, number>;
    /** Findings per code left out of `findings` (at most MAX_FINDINGS_PER_CODE are listed). */
    omitted: Record<string, number>;
    lines: number;
    products: number;
    elements: number;
  };
}

export const MAX_FINDINGS_PER_CODE = 50;
/** Entities listed in one finding (a GlobalId shared by thousands of lines lists the first ones). */
export const MAX_ENTITIES_PER_FINDING = 50;

/** IFC's compressed GUID: 22 characters of its base-64 alphabet; the first carries 2 bits only. */
const GLOBAL_ID = /^[0-3][0-9A-Za-z_$]{21}$/;

const finding = (severity: Severity, code: string, message: string, entities: EntityRef[] = []): Finding => ({
  severity,
  code,
  message,
  entities: entities.slice(0, MAX_ENTITIES_PER_FINDING),
});

const describe = (ref: EntityRef) => `${ref.type} #${ref.expressId}${ref.name ? ` '${ref.name}'` : ""}`;

export function headerFindings(model: IfcModel): Finding[] {
  const out: Finding[] = [];
  for (const [kind, name] of [
    [FILE_DESCRIPTION, "FILE_DESCRIPTION"],
    [FILE_NAME, "FILE_NAME"],
    [FILE_SCHEMA, "FILE_SCHEMA"],
  ] as const) {
    const line = model.header(kind);
    if (!line || !Array.isArray(line.arguments) || line.arguments.length === 0) {
      out.push(finding("error", "header_missing", `The HEADER section has no ${name}.`));
    }
  }
  const schemas = model.header(FILE_SCHEMA)?.arguments?.[0];
  if (Array.isArray(schemas) && schemas.length > 1) {
    out.push(finding("warning", "header_multiple_schemas", `FILE_SCHEMA lists ${schemas.length} schemas; only ${model.schema} is used.`));
  }
  return out;
}

export function truncationFindings(complete: boolean): Finding[] {
  return complete
    ? []
    : [finding("error", "file_truncated", "The file does not end with END-ISO-10303-21; it is cut off, and entities after the cut are missing.")];
}

export function globalIdFindings(model: IfcModel): Finding[] {
  const out: Finding[] = [];
  const byGlobalId = new Map<string, number[]>();
  for (const id of model.ids(IFCROOT)) {
    const globalId = text(model.line(id)?.GlobalId);
    if (globalId === undefined || globalId === "") {
      out.push(finding("error", "globalid_missing", `${describe(model.ref(id))} has no GlobalId.`, [model.ref(id)]));
      continue;
    }
    if (!GLOBAL_ID.test(globalId)) {
      out.push(finding("error", "globalid_invalid", `${describe(model.ref(id))} has GlobalId '${globalId}', which is not 22 characters of IFC's base-64 alphabet.`, [model.ref(id)]));
    }
    const list = byGlobalId.get(globalId);
    if (list) list.push(id);
    else byGlobalId.set(globalId, [id]);
  }
  for (const [globalId, ids] of byGlobalId) {
    if (ids.length < 2) continue;
    out.push(finding("error", "globalid_duplicate", `GlobalId '${globalId}' is used by ${ids.length} entities.`, ids.map((id) => model.ref(id))));
  }
  return out;
}

/** Which wholes a spatial element of each kind may be aggregated into. */
const SPATIAL_PARENTS: { type: number; name: string; parents: number[] }[] = [
  { type: IFCSITE, name: "IfcSite", parents: [IFCPROJECT, IFCSITE] },
  { type: IFCBUILDING, name: "IfcBuilding", parents: [IFCSITE, IFCBUILDING, IFCPROJECT] },
  { type: IFCBUILDINGSTOREY, name: "IfcBuildingStorey", parents: [IFCBUILDING, IFCBUILDINGSTOREY] },
  { type: IFCSPACE, name: "IfcSpace", parents: [IFCBUILDINGSTOREY, IFCSPACE, IFCBUILDING, IFCSITE] },
];

export function spatialFindings(model: IfcModel, rel: Relations): Finding[] {
  const out: Finding[] = [];
  const projects = model.ids(IFCPROJECT);
  if (projects.length === 0) out.push(finding("error", "project_missing", "The model has no IfcProject."));
  if (projects.length > 1) out.push(finding("error", "project_multiple", `The model has ${projects.length} IfcProject entities; IFC allows one.`, projects.map((id) => model.ref(id))));
  for (const level of SPATIAL_PARENTS.slice(0, 3)) {
    if (model.ids(level.type).length === 0) {
      out.push(finding("warning", "spatial_level_missing", `The model has no ${level.name}: the spatial structure IfcProject → IfcSite → IfcBuilding → IfcBuildingStorey is incomplete.`));
    }
  }
  for (const id of model.ids(IFCSPATIALSTRUCTUREELEMENT)) {
    const ref = model.ref(id);
    const parents = rel.aggregatedBy.get(id) ?? [];
    if (parents.length === 0) {
      out.push(finding("error", "spatial_not_aggregated", `${describe(ref)} is not aggregated into the spatial structure (no IfcRelAggregates names it as a part).`, [ref]));
      continue;
    }
    if (parents.length > 1) {
      out.push(finding("error", "spatial_multiple_parents", `${describe(ref)} is aggregated into ${parents.length} wholes; it may have one.`, [ref, ...parents.map((p) => model.ref(p))]));
      continue;
    }
    const rule = SPATIAL_PARENTS.find((r) => model.isA(id, r.type));
    const parent = parents[0]!;
    if (rule && !rule.parents.some((type) => model.isA(parent, type))) {
      const expected = rule.parents.map((type) => model.typeName(type)).join(" or ");
      out.push(finding("error", "spatial_wrong_parent", `${describe(ref)} is aggregated into ${describe(model.ref(parent))}; expected ${expected}.`, [ref, model.ref(parent)]));
    }
  }
  return out;
}

export function relationFindings(model: IfcModel, rel: Relations): Finding[] {
  const out: Finding[] = [];
  for (const relation of rel.references) {
    const missing = relation.ids.filter((id) => !model.exists(id));
    if (missing.length === 0) continue;
    const ref = model.ref(relation.expressId);
    out.push(finding("error", "relation_dangling", `${describe(ref)} refers to ${missing.map((id) => `#${id}`).join(", ")}, which do${missing.length === 1 ? "es" : ""} not exist.`, [ref]));
  }
  return out;
}

export function containmentFindings(model: IfcModel, rel: Relations): Finding[] {
  const out: Finding[] = [];
  // An element is in the structure when contained itself, or through what it hangs off: the
  // assembly it is a part of, the element an opening voids, the opening a window fills, ...
  const placed = new Map<number, boolean>();
  const isPlaced = (id: number, seen: Set<number>): boolean => {
    const known = placed.get(id);
    if (known !== undefined) return known;
    if (seen.has(id)) return false;
    seen.add(id);
    const via = [...(rel.aggregatedBy.get(id) ?? []), ...(rel.hosts.get(id) ?? [])];
    const result = rel.containedIn.has(id) || via.some((host) => isPlaced(host, seen));
    placed.set(id, result);
    return result;
  };
  for (const id of model.ids(IFCELEMENT)) {
    const containers = rel.containedIn.get(id) ?? [];
    if (containers.length > 1) {
      const ref = model.ref(id);
      out.push(finding("error", "element_multiple_containers", `${describe(ref)} is contained in ${containers.length} spatial structures; it may be in one.`, [ref, ...containers.map((c) => model.ref(c))]));
    }
    if (!isPlaced(id, new Set())) {
      const ref = model.ref(id);
      out.push(finding("warning", "element_not_contained", `${describe(ref)} is not in the spatial structure: no IfcRelContainedInSpatialStructure holds it or anything it belongs to.`, [ref]));
    }
  }
  return out;
}

export function geometryFindings(model: IfcModel, rel: Relations): Finding[] {
  const out: Finding[] = [];
  for (const id of model.ids(IFCPRODUCT)) {
    const line = model.line(id);
    if (!line || line.Representation != null) continue;
    // Sites, buildings and storeys are containers; ports are connection points; an assembly's
    // geometry is its parts'.
    const exempt =
      (model.isA(id, IFCSPATIALSTRUCTUREELEMENT) && !model.isA(id, IFCSPACE)) || model.isA(id, IFCPORT) || (rel.parts.get(id)?.length ?? 0) > 0;
    if (exempt) continue;
    const ref = model.ref(id);
    out.push(finding("warning", "product_without_geometry", `${describe(ref)} has no geometry (Representation is unset).`, [ref]));
  }
  return out;
}

export function propertySetFindings(model: IfcModel, rel: Relations): Finding[] {
  const out: Finding[] = [];
  const used = new Set<number>();
  for (const relation of rel.propertyRelations) {
    const relRef = model.ref(relation.expressId);
    for (const object of relation.objects) {
      if (!model.exists(object)) {
        out.push(finding("error", "pset_relation_dangling", `IfcRelDefinesByProperties #${relation.expressId} relates #${object}, which does not exist.`, [relRef]));
      } else if (!model.isA(object, IFCOBJECTDEFINITION)) {
        out.push(finding("error", "pset_relation_invalid", `IfcRelDefinesByProperties #${relation.expressId} relates ${describe(model.ref(object))}, which is not an object.`, [relRef, model.ref(object)]));
      }
    }
    if (relation.definitions.length === 0) {
      out.push(finding("error", "pset_relation_invalid", `IfcRelDefinesByProperties #${relation.expressId} names no property set.`, [relRef]));
    }
    for (const definition of relation.definitions) {
      used.add(definition);
      if (!model.exists(definition)) {
        out.push(finding("error", "pset_relation_dangling", `IfcRelDefinesByProperties #${relation.expressId} names property set #${definition}, which does not exist.`, [relRef]));
      } else if (!model.isA(definition, IFCPROPERTYSETDEFINITION)) {
        out.push(finding("error", "pset_relation_invalid", `IfcRelDefinesByProperties #${relation.expressId} names ${describe(model.ref(definition))}, which is not a property set definition.`, [relRef, model.ref(definition)]));
      }
    }
  }
  for (const typeId of model.ids(IFCTYPEOBJECT)) for (const set of refs(model.line(typeId)?.HasPropertySets)) used.add(set);

  for (const id of model.ids(IFCPROPERTYSETDEFINITION)) {
    const line = model.line(id);
    if (!line) continue;
    const ref = model.ref(id);
    const members = memberIds(line);
    const isSet = "HasProperties" in line || "Quantities" in line;
    const what = model.isA(id, IFCPROPERTYSET) ? "properties" : "quantities";
    if (isSet && members.length === 0) out.push(finding("warning", "pset_empty", `${describe(ref)} has no ${what}.`, [ref]));
    const seen = new Map<string, number>();
    for (const member of members) {
      const name = text(model.line(member)?.Name);
      if (name === undefined) continue;
      seen.set(name, (seen.get(name) ?? 0) + 1);
    }
    const duplicates = [...seen].filter(([, count]) => count > 1).map(([name]) => name);
    if (duplicates.length > 0) {
      out.push(finding("error", "pset_duplicate_property", `${describe(ref)} has ${what} named more than once: ${duplicates.map((n) => `'${n}'`).join(", ")}.`, [ref]));
    }
    if (!used.has(id)) out.push(finding("info", "pset_unused", `${describe(ref)} is attached to no object or type.`, [ref]));
  }
  return out;
}

export function buildReport(model: IfcModel, all: Finding[]): ValidationReport {
  const byCode: Record<string, number> = {};
  const omitted: Record<string, number> = {};
  const findings: Finding[] = [];
  const tally = { error: 0, warning: 0, info: 0 };
  for (const f of all) {
    tally[f.severity]++;
    byCode[f.code] = (byCode[f.code] ?? 0) + 1;
    if (byCode[f.code]! <= MAX_FINDINGS_PER_CODE) findings.push(f);
    else omitted[f.code] = (omitted[f.code] ?? 0) + 1;
  }
  const order: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
  findings.sort((a, b) => order[a.severity] - order[b.severity]);
  return {
    schema: model.schema,
    findings,
    summary: {
      valid: tally.error === 0,
      errors: tally.error,
      warnings: tally.warning,
      infos: tally.info,
      byCode,
      omitted,
      lines: model.lineCount(),
      products: model.ids(IFCPRODUCT).length,
      elements: model.ids(IFCELEMENT).length,
    },
  };
}

/** Every check, in report order. `complete` says whether the bytes end with the STEP trailer. */
export function validateModel(model: IfcModel, complete: boolean): ValidationReport {
  const rel = indexRelations(model);
  return buildReport(model, [
    ...truncationFindings(complete),
    ...headerFindings(model),
    ...globalIdFindings(model),
    ...spatialFindings(model, rel),
    ...relationFindings(model, rel),
    ...containmentFindings(model, rel),
    ...geometryFindings(model, rel),
    ...propertySetFindings(model, rel),
  ]);
}

/** The report for a STEP file whose schema web-ifc cannot read: that is the one finding. */
export function unsupportedSchemaReport(schema: string, supported: readonly string[]): ValidationReport {
  const f = finding("error", "schema_unsupported", `FILE_SCHEMA names ${schema || "no schema"}; supported: ${supported.join(", ")}. Nothing else was checked.`);
  return {
    schema,
    findings: [f],
    summary: { valid: false, errors: 1, warnings: 0, infos: 0, byCode: { schema_unsupported: 1 }, omitted: {}, lines: 0, products: 0, elements: 0 },
  };
}
