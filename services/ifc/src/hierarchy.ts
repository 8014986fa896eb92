/**
 * The IFC entity hierarchy of a schema. web-ifc ships it as generated tables
 * (`InheritanceDef[schema][type]` = every descendant type, transitively) and uses the same
 * tables for `GetLineIDsWithType(model, type, true)`; we read them once per schema and also
 * derive each type's ancestors, so "IfcWall" counts IfcWallStandardCase too.
 */
import { InheritanceDef, SchemaNames } from "web-ifc";

export interface TypeHierarchy {
  /** web-ifc's schema index (1 = IFC2X3, 2 = IFC4, 3 = IFC4X3). */
  readonly schemaIndex: number;
  /** True when `type` is `ancestor` or one of its subtypes. */
  isA(type: number, ancestor: number): boolean;
  /** Every subtype of `type` (not including itself). */
  descendants(type: number): readonly number[];
  /** Every supertype of `type` (not including itself). */
  ancestors(type: number): readonly number[];
}

const tables = InheritanceDef as Record<number, Record<string, number[]>>;
const cache = new Map<number, TypeHierarchy>();

/** web-ifc's index of the schema family a FILE_SCHEMA name belongs to. */
export function schemaIndexOf(schemaName: string): number | undefined {
  const name = schemaName.toUpperCase();
  const index = SchemaNames.findIndex((names) => Array.isArray(names) && names.includes(name));
  return index >= 0 ? index : undefined;
}

export function hierarchyFor(schemaIndex: number): TypeHierarchy {
  const cached = cache.get(schemaIndex);
  if (cached) return cached;
  const table = tables[schemaIndex];
  if (!table) throw new Error(`web-ifc has no inheritance table for schema index ${schemaIndex}`);
  const descendants = new Map<number, Set<number>>();
  const ancestors = new Map<number, number[]>();
  for (const [key, subtypes] of Object.entries(table)) {
    const type = Number(key);
    descendants.set(type, new Set(subtypes));
    for (const sub of subtypes) {
      const list = ancestors.get(sub);
      if (list) list.push(type);
      else ancestors.set(sub, [type]);
    }
  }
  const hierarchy: TypeHierarchy = {
    schemaIndex,
    isA: (type, ancestor) => type === ancestor || (descendants.get(ancestor)?.has(type) ?? false),
    descendants: (type) => table[type] ?? [],
    ancestors: (type) => ancestors.get(type) ?? [],
  };
  cache.set(schemaIndex, hierarchy);
  return hierarchy;
}
