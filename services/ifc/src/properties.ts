/**
 * Property sets and quantity sets as plain data: names and values as stored in the file
 * (values are in the project's units; `valueType` names the IFC measure, e.g. IfcLengthMeasure).
 */
import { number, refs, text, type IfcModel, type Line } from "./model";

export interface PropertyView {
  name: string;
  /** A number, string or boolean; a list for enumerated/list/table values; nested for complex properties. */
  value: unknown;
  valueType?: string;
}

export interface PropertySetView {
  expressId: number;
  globalId?: string;
  name: string;
  /** IfcPropertySet, IfcElementQuantity, or another IfcPropertySetDefinition subtype. */
  kind: string;
  /** Attached to the object itself, or inherited from its type object. */
  source: "occurrence" | "type";
  properties: PropertyView[];
}

/** The properties (IfcPropertySet, IfcComplexProperty) or quantities (IfcElementQuantity) a set lists. */
export function memberIds(set: Line): number[] {
  return refs(set.HasProperties ?? set.Quantities);
}

const QUANTITY_VALUES = ["LengthValue", "AreaValue", "VolumeValue", "CountValue", "WeightValue", "TimeValue", "NumberValue"];
const MAX_DEPTH = 4;

/** One typed STEP value: its JS value and, when the file says, its IFC type. */
function typedValue(model: IfcModel, attribute: unknown): { value: unknown; valueType?: string } {
  if (attribute == null) return { value: null };
  if (Array.isArray(attribute)) return { value: attribute.map((item) => typedValue(model, item).value) };
  const typed = attribute as { value?: unknown; type?: number; name?: unknown };
  if (typed.type === 5) return { value: { ref: typed.value } };
  const numeric = number(attribute);
  const value = typed.type === 4 || typed.type === 10 ? numeric ?? typed.value : typed.value;
  return typeof typed.name === "string" ? { value, valueType: typeName(model, typed.name) } : { value };
}

const typeNames = new Map<string, string>();
function typeName(model: IfcModel, upper: string): string {
  let name = typeNames.get(upper);
  if (name === undefined) {
    name = model.typeName(model.api.GetTypeCodeFromName(upper)) || upper;
    typeNames.set(upper, name);
  }
  return name;
}

export function readProperty(model: IfcModel, id: number, depth = 0): PropertyView {
  const line = model.line(id);
  const name = text(line?.Name) ?? "";
  if (!line) return { name, value: null };
  if ("NominalValue" in line) return { name, ...typedValue(model, line.NominalValue) };
  if ("EnumerationValues" in line) return { name, value: typedValue(model, line.EnumerationValues).value };
  if ("ListValues" in line) return { name, value: typedValue(model, line.ListValues).value };
  if ("UpperBoundValue" in line || "LowerBoundValue" in line) {
    return { name, value: { lower: typedValue(model, line.LowerBoundValue).value, upper: typedValue(model, line.UpperBoundValue).value } };
  }
  if ("DefiningValues" in line) {
    return { name, value: { defining: typedValue(model, line.DefiningValues).value, defined: typedValue(model, line.DefinedValues).value } };
  }
  if ("PropertyReference" in line) return { name, value: typedValue(model, line.PropertyReference).value };
  if ("HasProperties" in line) {
    // IfcComplexProperty: a named group of properties.
    return { name, value: depth >= MAX_DEPTH ? null : refs(line.HasProperties).map((child) => readProperty(model, child, depth + 1)) };
  }
  const quantity = QUANTITY_VALUES.find((attribute) => attribute in line);
  if (quantity) return { name, ...typedValue(model, line[quantity]) };
  return { name, value: null };
}

export function readPropertySet(model: IfcModel, id: number, source: PropertySetView["source"]): PropertySetView | undefined {
  const line = model.line(id);
  if (!line) return undefined;
  const view: PropertySetView = {
    expressId: id,
    name: text(line.Name) ?? "",
    kind: model.typeName(line.type),
    source,
    properties: memberIds(line).map((member) => readProperty(model, member)),
  };
  const globalId = text(line.GlobalId);
  if (globalId !== undefined) view.globalId = globalId;
  return view;
}
