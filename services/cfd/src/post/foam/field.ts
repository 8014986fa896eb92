/**
 * OpenFOAM ASCII field files (`volScalarField`, `volVectorField`, … as solvers and
 * `postProcess` write them): the FoamFile header, `dimensions`, `internalField` and
 * `boundaryField` with its patches.
 */
import { FoamParseError, Scanner } from "./scanner";

export { FoamParseError };

/** A field's values: one tuple for `uniform`, `size` tuples for `nonuniform`. */
export interface FieldValues {
  kind: "uniform" | "nonuniform";
  /** Numbers per value: 1 scalar, 3 vector, 6 symmTensor, 9 tensor. */
  components: number;
  /** Number of values (1 for uniform). */
  size: number;
  /** `size × components` numbers, value-major: x0 y0 z0 x1 y1 z1 … */
  values: Float64Array;
}

export interface Patch {
  type: string;
  /** The patch's `value` entry; absent for patches that write none (zeroGradient, slip, empty…). */
  value?: FieldValues;
  /** Every other entry: field-valued ones (`inletValue`, `refValue`…) parsed, the rest as text. */
  entries: Record<string, FieldValues | string>;
}

export interface FoamField {
  /** The `FoamFile` header entries (`version`, `format`, `class`, `object`, `location`…). */
  header: Record<string, string>;
  /** Exponents of [kg m s K mol A cd]. */
  dimensions: number[];
  internalField: FieldValues;
  /** In file order; empty when parsed with `internalOnly`. */
  boundaryField: Record<string, Patch>;
  /** Other top-level entries (e.g. `referenceLevel`) as text. */
  entries: Record<string, string>;
}

export interface ParseOptions {
  /** Stop after `internalField` (the boundary is not needed for cell data). @default false */
  internalOnly?: boolean;
}

const COMPONENTS: Record<string, number> = {
  scalar: 1,
  label: 1,
  sphericalTensor: 1,
  vector: 3,
  symmTensor: 6,
  tensor: 9,
};

/** Components per value from a class such as `volVectorField`, if it names a known type. */
export function componentsOfClass(className: string | undefined): number | undefined {
  const match = /^(?:vol|surface|point)?(Scalar|Vector|SymmTensor|SphericalTensor|Tensor)Field$/.exec(className ?? "");
  if (!match) return undefined;
  const type = match[1];
  return COMPONENTS[type.charAt(0).toLowerCase() + type.slice(1)];
}

const OPEN_PAREN = 40;
const CLOSE_PAREN = 41;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const SEMICOLON = 59;
const QUOTE = 34;

export function parseFoamField(buf: Uint8Array, options: ParseOptions = {}): FoamField {
  // Annotated so that `sc.fail(…): never` narrows like a throw.
  const sc: Scanner = new Scanner(buf);
  const header: Record<string, string> = {};
  const entries: Record<string, string> = {};
  let dimensions: number[] | undefined;
  let internalField: FieldValues | undefined;
  let boundaryField: Record<string, Patch> = {};
  let components: number | undefined;

  while (!sc.atEnd()) {
    const keyAt = sc.pos;
    const key = keyword(sc);
    if (key === "FoamFile") {
      Object.assign(header, textDictionary(sc));
      if (header.format && header.format !== "ascii") {
        sc.fail(`format '${header.format}' is not supported: write fields with 'writeFormat ascii'`, keyAt);
      }
      components = componentsOfClass(header.class);
    } else if (key === "dimensions") {
      dimensions = readDimensions(sc);
    } else if (key === "internalField") {
      internalField = readFieldValues(sc, components);
      sc.expect(SEMICOLON, "after internalField");
      if (options.internalOnly) break;
    } else if (key === "boundaryField") {
      boundaryField = readBoundary(sc, components);
    } else if (sc.peek() === OPEN_BRACE) {
      textDictionary(sc);
    } else {
      entries[key] = sc.rawValue();
      sc.expect(SEMICOLON, `after '${key}'`);
    }
  }
  if (!internalField) sc.fail("no internalField: not an OpenFOAM field file");
  return { header, dimensions: dimensions ?? [], internalField, boundaryField, entries };
}

/** An entry's keyword; `#include`-style directives and `$macros` mean an unexpanded input file. */
function keyword(sc: Scanner): string {
  const at = sc.pos;
  const key = sc.peek() === QUOTE ? sc.quoted() : sc.word();
  if (key.startsWith("#") || key.startsWith("$")) {
    sc.fail(`directive '${key}' is not supported: read solver output, not an input file with includes or macros`, at);
  }
  return key;
}

/** A dictionary of plain entries (the FoamFile header, unknown sub-dictionaries), values as text. */
function textDictionary(sc: Scanner): Record<string, string> {
  sc.expect(OPEN_BRACE, "opening a dictionary");
  const out: Record<string, string> = {};
  while (!sc.accept(CLOSE_BRACE)) {
    if (sc.atEnd()) sc.fail("unterminated dictionary");
    const key = keyword(sc);
    if (sc.peek() === OPEN_BRACE) {
      textDictionary(sc);
      continue;
    }
    const value = sc.rawValue();
    sc.expect(SEMICOLON, `after '${key}'`);
    out[key] = value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
  }
  return out;
}

function readDimensions(sc: Scanner): number[] {
  sc.expect(OPEN_BRACKET, "opening dimensions");
  const dims: number[] = [];
  while (!sc.accept(CLOSE_BRACKET)) {
    if (sc.atEnd()) sc.fail("unterminated dimensions");
    dims.push(sc.number());
  }
  sc.expect(SEMICOLON, "after dimensions");
  return dims;
}

function readBoundary(sc: Scanner, components: number | undefined): Record<string, Patch> {
  sc.expect(OPEN_BRACE, "opening boundaryField");
  const patches: Record<string, Patch> = {};
  while (!sc.accept(CLOSE_BRACE)) {
    if (sc.atEnd()) sc.fail("unterminated boundaryField");
    const nameAt = sc.pos;
    const name = keyword(sc);
    sc.expect(OPEN_BRACE, `opening patch '${name}'`);
    const patch: Patch = { type: "", entries: {} };
    while (!sc.accept(CLOSE_BRACE)) {
      if (sc.atEnd()) sc.fail(`unterminated patch '${name}'`);
      const key = keyword(sc);
      if (sc.peek() === OPEN_BRACE) {
        // A sub-dictionary (e.g. a Function1 coefficients block): kept as text.
        patch.entries[key] = "{…}";
        textDictionary(sc);
        continue;
      }
      if (sc.lookingAt("uniform") || sc.lookingAt("nonuniform")) {
        // Only `value` must match the field's type: other entries (z0, zGround…) may be scalars.
        const values = readFieldValues(sc, key === "value" ? components : undefined);
        if (key === "value") patch.value = values;
        else patch.entries[key] = values;
      } else {
        const text = sc.rawValue();
        if (key === "type") patch.type = text;
        else patch.entries[key] = text;
      }
      sc.expect(SEMICOLON, `after '${key}' in patch '${name}'`);
    }
    if (!patch.type) sc.fail(`patch '${name}' has no type`, nameAt);
    patches[name] = patch;
  }
  return patches;
}

/**
 * `uniform <value>` or `nonuniform List<type> N (…)`; also `N{value}` (OpenFOAM's compact form
 * of a list whose values are all equal) and a list without a size prefix.
 */
export function readFieldValues(sc: Scanner, classComponents: number | undefined): FieldValues {
  const at = sc.pos;
  const kind = sc.word();
  if (kind === "uniform") {
    const tuple = readUniform(sc);
    if (classComponents !== undefined && tuple.length !== classComponents) {
      sc.fail(`uniform value has ${tuple.length} components, the field class needs ${classComponents}`, at);
    }
    return { kind: "uniform", components: tuple.length, size: 1, values: tuple };
  }
  if (kind !== "nonuniform") sc.fail(`expected 'uniform' or 'nonuniform', found '${kind}'`, at);
  const typeAt = sc.pos;
  const listType = sc.word();
  const match = /^List<(\w+)>$/.exec(listType);
  const components = match ? COMPONENTS[match[1]] : undefined;
  if (components === undefined) sc.fail(`unsupported list type '${listType}'`, typeAt);
  if (classComponents !== undefined && components !== classComponents) {
    sc.fail(`${listType} does not match the field class (${classComponents} components per value)`, typeAt);
  }
  const next = sc.peek();
  if (next === OPEN_PAREN) return readUnsizedList(sc, components);
  const size = sc.integer("the list size");
  const values = new Float64Array(size * components);
  if (sc.accept(OPEN_BRACE)) {
    // N{value}: every element equal.
    const tuple = components === 1 ? Float64Array.of(sc.number()) : readUniform(sc);
    if (tuple.length !== components) sc.fail(`${listType} element has ${tuple.length} components`);
    for (let i = 0; i < size; i++) values.set(tuple, i * components);
    sc.expect(CLOSE_BRACE, `closing ${size}{…}`);
    return { kind: "nonuniform", components, size, values };
  }
  sc.expect(OPEN_PAREN, `opening a list of ${size}`);
  sc.readValues(values, 0, size, components);
  if (sc.peek() !== CLOSE_PAREN) sc.fail(`list longer than its declared size ${size}: found ${sc.describeNext()}`);
  sc.pos++;
  return { kind: "nonuniform", components, size, values };
}

/** A scalar (`0.5`) or a tuple (`(1 0 0)`). */
function readUniform(sc: Scanner): Float64Array {
  if (!sc.accept(OPEN_PAREN)) return Float64Array.of(sc.number());
  const parts: number[] = [];
  while (!sc.accept(CLOSE_PAREN)) {
    if (sc.atEnd()) sc.fail("unterminated value");
    parts.push(sc.number());
  }
  return Float64Array.from(parts);
}

/** `(…)` without a size prefix: valid OpenFOAM input, never written by solvers. */
function readUnsizedList(sc: Scanner, components: number): FieldValues {
  sc.expect(OPEN_PAREN, "opening a list");
  const parts: number[] = [];
  while (!sc.accept(CLOSE_PAREN)) {
    if (sc.atEnd()) sc.fail("unterminated list");
    if (components === 1) parts.push(sc.number());
    else {
      const tuple = readUniform(sc);
      if (tuple.length !== components) sc.fail(`list element has ${tuple.length} components, expected ${components}`);
      parts.push(...tuple);
    }
  }
  return { kind: "nonuniform", components, size: parts.length / components, values: Float64Array.from(parts) };
}

/** The field's value at every cell: a uniform field expanded to `cells` values. */
export function cellValues(field: FieldValues, cells: number): Float64Array {
  if (field.kind === "nonuniform") {
    if (field.size !== cells) throw new Error(`field has ${field.size} values for ${cells} cells`);
    return field.values;
  }
  const out = new Float64Array(cells * field.components);
  for (let i = 0; i < cells; i++) out.set(field.values, i * field.components);
  return out;
}
