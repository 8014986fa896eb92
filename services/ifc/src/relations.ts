/**
 * The objectified relationships a report needs, indexed once per request in both directions.
 * Reading each relationship line is far cheaper than web-ifc's inverse-attribute lookups.
 */
import {
  IFCRELAGGREGATES,
  IFCRELCONTAINEDINSPATIALSTRUCTURE,
  IFCRELDEFINESBYPROPERTIES,
  IFCRELDEFINESBYTYPE,
  IFCRELFILLSELEMENT,
  IFCRELNESTS,
  IFCRELPROJECTSELEMENT,
  IFCRELVOIDSELEMENT,
} from "web-ifc";
import { refs, type IfcModel } from "./model";

/** One IfcRelDefinesByProperties: which objects get which property set definitions. */
export interface PropertyRelation {
  expressId: number;
  objects: number[];
  definitions: number[];
}

export interface Relations {
  /** Part → whole (IfcRelAggregates); a well-formed part has exactly one. */
  aggregatedBy: Map<number, number[]>;
  /** Whole → parts (IfcRelAggregates). */
  parts: Map<number, number[]>;
  /** Element → spatial structures containing it (IfcRelContainedInSpatialStructure). */
  containedIn: Map<number, number[]>;
  /** Spatial structure → elements it contains. */
  contains: Map<number, number[]>;
  /**
   * Element → the element it hangs off without being contained itself: nested in
   * (IfcRelNests), the host an opening voids, the opening a door or window fills, the
   * element a projection belongs to.
   */
  hosts: Map<number, number[]>;
  /** Object → property set definitions (IfcRelDefinesByProperties). */
  definedBy: Map<number, number[]>;
  /** Object occurrence → its type object (IfcRelDefinesByType). */
  typedBy: Map<number, number>;
  propertyRelations: PropertyRelation[];
  /** Every other indexed relationship with all the ids it refers to, to find dangling ones. */
  references: { expressId: number; ids: number[] }[];
}

function add(map: Map<number, number[]>, key: number, value: number): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export function indexRelations(model: IfcModel): Relations {
  const r: Relations = {
    aggregatedBy: new Map(),
    parts: new Map(),
    containedIn: new Map(),
    contains: new Map(),
    hosts: new Map(),
    definedBy: new Map(),
    typedBy: new Map(),
    propertyRelations: [],
    references: [],
  };
  const each = (type: number, visit: (line: Record<string, unknown>) => void) => {
    for (const id of model.ids(type)) {
      const line = model.line(id);
      if (!line) continue;
      visit(line);
      if (type !== IFCRELDEFINESBYPROPERTIES) {
        r.references.push({ expressId: id, ids: Object.entries(line).flatMap(([key, value]) => (key === "OwnerHistory" ? [] : refs(value))) });
      }
    }
  };
  each(IFCRELAGGREGATES, (rel) => {
    for (const whole of refs(rel.RelatingObject)) {
      for (const part of refs(rel.RelatedObjects)) {
        add(r.aggregatedBy, part, whole);
        add(r.parts, whole, part);
      }
    }
  });
  each(IFCRELCONTAINEDINSPATIALSTRUCTURE, (rel) => {
    for (const structure of refs(rel.RelatingStructure)) {
      for (const element of refs(rel.RelatedElements)) {
        add(r.containedIn, element, structure);
        add(r.contains, structure, element);
      }
    }
  });
  each(IFCRELNESTS, (rel) => {
    for (const host of refs(rel.RelatingObject)) for (const nested of refs(rel.RelatedObjects)) add(r.hosts, nested, host);
  });
  each(IFCRELVOIDSELEMENT, (rel) => {
    for (const host of refs(rel.RelatingBuildingElement)) for (const opening of refs(rel.RelatedOpeningElement)) add(r.hosts, opening, host);
  });
  each(IFCRELFILLSELEMENT, (rel) => {
    for (const opening of refs(rel.RelatingOpeningElement)) for (const filler of refs(rel.RelatedBuildingElement)) add(r.hosts, filler, opening);
  });
  each(IFCRELPROJECTSELEMENT, (rel) => {
    for (const host of refs(rel.RelatingElement)) for (const feature of refs(rel.RelatedFeatureElement)) add(r.hosts, feature, host);
  });
  each(IFCRELDEFINESBYPROPERTIES, (rel) => {
    // IFC4 allows a set of definitions (IfcPropertySetDefinitionSet) where IFC2X3 has one.
    const relation = { expressId: rel.expressID as number, objects: refs(rel.RelatedObjects), definitions: refs(rel.RelatingPropertyDefinition) };
    r.propertyRelations.push(relation);
    for (const object of relation.objects) for (const definition of relation.definitions) add(r.definedBy, object, definition);
  });
  each(IFCRELDEFINESBYTYPE, (rel) => {
    for (const type of refs(rel.RelatingType)) for (const object of refs(rel.RelatedObjects)) r.typedBy.set(object, type);
  });
  return r;
}
