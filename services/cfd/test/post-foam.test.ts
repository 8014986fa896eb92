/**
 * The OpenFOAM ASCII field parser on real OpenFOAM v1912 output (test/fixtures/openfoam, made by
 * its generate.sh — see SOURCE.md), plus the forms solvers rarely write, built by hand.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { cellValues, FoamParseError, parseFoamField, type FieldValues } from "../src/post/foam/field";

const fixtures = path.join(__dirname, "fixtures/openfoam");
const read = (relative: string) => readFileSync(path.join(fixtures, relative));
const parse = (text: string) => parseFoamField(Buffer.from(text, "latin1"));

/** Every number of the internalField list, read with Number() from the text: the reference. */
function referenceNumbers(text: string): number[] {
  const start = text.indexOf("internalField");
  const open = text.indexOf("(", start);
  const end = text.indexOf("\n)\n;", open);
  return (text.slice(open, end).match(/[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/g) ?? []).map(Number);
}

describe("real solver output (cube-in-wind, simpleFoam k-epsilon, 588 cells)", () => {
  test.each(["U", "p", "k", "epsilon", "nut"])("sector 270 %s: every internal value equals Number() of its token", (name) => {
    const bytes = read(`cube-in-wind/sectors/270/${name}`);
    const field = parseFoamField(bytes);
    const expected = referenceNumbers(bytes.toString("latin1"));
    expect(field.internalField.kind).toBe("nonuniform");
    expect(field.internalField.size).toBe(588);
    expect(Array.from(field.internalField.values)).toEqual(expected);
  });

  test("vector field: header, dimensions, first and last cells", () => {
    const u = parseFoamField(read("cube-in-wind/sectors/270/U"));
    expect(u.header).toMatchObject({ version: "2.0", format: "ascii", class: "volVectorField", location: "400", object: "U" });
    expect(u.dimensions).toEqual([0, 1, -1, 0, 0, 0, 0]);
    expect(u.internalField.components).toBe(3);
    expect(u.internalField.values.length).toBe(588 * 3);
    expect(Array.from(u.internalField.values.subarray(0, 3))).toEqual(referenceNumbers(read("cube-in-wind/sectors/270/U").toString("latin1")).slice(0, 3));
  });

  test("boundary patches: types in file order, values where written, none where not", () => {
    const u = parseFoamField(read("cube-in-wind/sectors/270/U"));
    expect(Object.keys(u.boundaryField)).toEqual(["west", "east", "south", "north", "ground", "top", "building"]);
    expect(Object.fromEntries(Object.entries(u.boundaryField).map(([n, p]) => [n, p.type]))).toEqual({
      west: "atmBoundaryLayerInletVelocity",
      east: "inletOutlet",
      south: "slip",
      north: "slip",
      ground: "noSlip",
      top: "slip",
      building: "noSlip",
    });
    for (const name of ["south", "north", "ground", "top", "building"]) expect(u.boundaryField[name].value).toBeUndefined();
    // 10 × 6 faces on each side of the 50 × 50 × 18 m box.
    expect(u.boundaryField.west.value).toMatchObject({ kind: "nonuniform", size: 60, components: 3 });
    expect(u.boundaryField.east.value).toMatchObject({ kind: "nonuniform", size: 60, components: 3 });
    expect(u.boundaryField.east.entries.inletValue).toMatchObject({ kind: "uniform", components: 3 });
    // Plain entries stay text, whitespace collapsed.
    expect(u.boundaryField.west.entries).toMatchObject({ z0: "constant 0.1", flowDir: "constant (1 0 0)", kappa: "0.41", Uref: "constant 10", Zref: "constant 10" });
  });

  test("the inlet profile read back is the log law its own patch entries describe", () => {
    const u = parseFoamField(read("cube-in-wind/sectors/270/U"));
    const c = parseFoamField(read("cube-in-wind/mesh/C"));
    const inlet = u.boundaryField.west.value as FieldValues;
    const faces = c.boundaryField.west.value as FieldValues;
    // atmBoundaryLayerInletVelocity: U(z) = u*/κ ln((z + z0)/z0), u* = κ Uref / ln((Zref + z0)/z0).
    const kappa = 0.41;
    const z0 = 0.1;
    const uStar = (kappa * 10) / Math.log((10 + z0) / z0);
    for (let f = 0; f < inlet.size; f++) {
      const z = faces.values[3 * f + 2];
      expect(inlet.values[3 * f]).toBeCloseTo((uStar / kappa) * Math.log((z + z0) / z0), 4);
      expect(inlet.values[3 * f + 1]).toBe(0);
    }
  });

  test("scalar wall-function patches carry nonuniform values; the building patch has 28 faces", () => {
    const k = parseFoamField(read("cube-in-wind/sectors/270/k"));
    expect(k.header.class).toBe("volScalarField");
    expect(k.boundaryField.ground).toMatchObject({ type: "kqRWallFunction", value: { kind: "nonuniform", size: 96, components: 1 } });
    // Building: 4 roof faces + 4 walls × 2 × 3 faces.
    expect(k.boundaryField.building.value?.size).toBe(28);
    expect(k.boundaryField.east.entries.inletValue).toMatchObject({ kind: "uniform", values: Float64Array.of(1.3) });
    const nut = parseFoamField(read("cube-in-wind/sectors/270/nut"));
    expect(nut.boundaryField.ground.entries).toMatchObject({ Cmu: "0.09", kappa: "0.41", E: "9.8" });
  });

  test("uniform internal fields as OpenFOAM writes them: V on a uniform mesh, time-0 U and p", () => {
    const v = parseFoamField(read("cube-in-wind/mesh/V"));
    expect(v.internalField).toEqual({ kind: "uniform", components: 1, size: 1, values: Float64Array.of(75) }); // 5 × 5 × 3 m cells
    expect(v.boundaryField.ground.value).toEqual({ kind: "uniform", components: 1, size: 1, values: Float64Array.of(0) });
    expect(Array.from(cellValues(v.internalField, 4))).toEqual([75, 75, 75, 75]);

    const u0 = parseFoamField(read("cube-in-wind/time0/U"));
    expect(u0.dimensions).toEqual([0, 1, -1, 0, 0, 0, 0]); // written as "[ 0 1 -1 0 0 0 0 ]"
    expect(u0.internalField).toEqual({ kind: "uniform", components: 3, size: 1, values: Float64Array.of(5, 0, 0) });
    expect(u0.boundaryField.west.entries.z0).toEqual({ kind: "uniform", components: 1, size: 1, values: Float64Array.of(0.1) });
    expect(Array.from(cellValues(u0.internalField, 2))).toEqual([5, 0, 0, 5, 0, 0]);
    expect(parseFoamField(read("cube-in-wind/time0/p")).internalField.values).toEqual(Float64Array.of(0));
  });

  test("cell centres: the first layer at 1.5 m, twelve building cells missing from 10 × 10 × 6", () => {
    const c = parseFoamField(read("cube-in-wind/mesh/C"));
    const zs = new Set<number>();
    for (let i = 0; i < c.internalField.size; i++) zs.add(c.internalField.values[3 * i + 2]);
    expect([...zs].sort((a, b) => a - b)).toEqual([1.5, 4.5, 7.5, 10.5, 13.5, 16.5]);
    expect(c.internalField.size).toBe(600 - 12);
  });
});

describe("real solver output (pitzDaily tutorial, coarsened, 2-D)", () => {
  test("one-line short lists, empty patches, and values equal to Number()", () => {
    const bytes = read("pitzDaily-coarse/C");
    const c = parseFoamField(bytes);
    expect(c.internalField.size).toBe(355);
    expect(Array.from(c.internalField.values)).toEqual(referenceNumbers(bytes.toString("latin1")));
    // `value nonuniform List<vector> 5((-0.0206 0.000846667 0) …);` on one line.
    expect(c.boundaryField.inlet.value?.size).toBe(5);
    expect(Array.from(c.boundaryField.inlet.value?.values.subarray(0, 3) ?? [])).toEqual([-0.0206, 0.000846667, 0]);
    expect(c.boundaryField.outlet.value?.size).toBe(10);
    expect(c.boundaryField.frontAndBack).toEqual({ type: "empty", entries: {} });
    const nut = parseFoamField(read("pitzDaily-coarse/nut"));
    expect(nut.boundaryField.outlet.value?.values[9]).toBe(8.53834e-5); // "8.53834e-05"
  });

  test.each(["U", "p", "k", "epsilon", "nut"])("%s parses with the internal field only, stopping before the boundary", (name) => {
    const full = parseFoamField(read(`pitzDaily-coarse/${name}`));
    const internal = parseFoamField(read(`pitzDaily-coarse/${name}`), { internalOnly: true });
    expect(internal.internalField.values).toEqual(full.internalField.values);
    expect(internal.boundaryField).toEqual({});
    expect(Object.keys(full.boundaryField)).toEqual(["inlet", "outlet", "upperWall", "lowerWall", "frontAndBack"]);
  });
});

describe("forms solvers rarely write", () => {
  const header = (cls: string) => `FoamFile { version 2.0; format ascii; class ${cls}; object x; }\n`;

  test("N{value} (a list whose values are all equal) and 0() (an empty patch)", () => {
    // v1912's Field::writeEntry writes equal values as `uniform`, so no fixture holds these.
    const f = parse(`${header("volVectorField")}dimensions [0 1 -1 0 0 0 0];
internalField nonuniform List<vector> 3{(1 2 3)};
boundaryField { a { type fixedValue; value nonuniform List<vector> 0(); } b { type calculated; value nonuniform List<vector> 2{(0 0 -1.5)}; } }`);
    expect(Array.from(f.internalField.values)).toEqual([1, 2, 3, 1, 2, 3, 1, 2, 3]);
    expect(f.boundaryField.a.value).toEqual({ kind: "nonuniform", components: 3, size: 0, values: new Float64Array(0) });
    expect(Array.from(f.boundaryField.b.value?.values ?? [])).toEqual([0, 0, -1.5, 0, 0, -1.5]);
    const s = parse(`${header("volScalarField")}internalField nonuniform List<scalar> 4{2.5};`);
    expect(Array.from(s.internalField.values)).toEqual([2.5, 2.5, 2.5, 2.5]);
  });

  test("comments anywhere, nan/inf, signs, exponents and long mantissas parse like Number()", () => {
    const f = parse(`/* banner */ ${header("volScalarField")}
// a line comment
internalField nonuniform List<scalar> 10 ( 1 /* inline */ -2.5e+3 // to the end of the line
  +0.125 nan -inf 3.14159265358979323846 1e-300 .5 -0 7.
);`);
    expect(Array.from(f.internalField.values)).toEqual([1, -2500, 0.125, NaN, -Infinity, Number("3.14159265358979323846"), 1e-300, 0.5, -0, 7]);
    expect(Object.is(f.internalField.values[8], -0)).toBe(true);
  });

  test("a list without a size prefix", () => {
    const f = parse(`${header("volVectorField")}internalField nonuniform List<vector> ((1 0 0) (0 1 0));`);
    expect(f.internalField.size).toBe(2);
  });
});

describe("errors name the problem and its line", () => {
  const header = (cls: string, format = "ascii") => `FoamFile\n{\n    format ${format};\n    class ${cls};\n}\n`;

  const failure = (text: string) => {
    try {
      parse(text);
    } catch (error) {
      expect(error).toBeInstanceOf(FoamParseError);
      return error as FoamParseError;
    }
    throw new Error("parsed without error");
  };

  test("binary files are refused with the remedy", () => {
    expect(failure(`${header("volScalarField", "binary")}internalField uniform 0;`).message).toMatch(/format 'binary' is not supported: write fields with 'writeFormat ascii' \(line 1\)/);
  });

  test("input files with includes or macros are refused", () => {
    expect(failure(`${header("volVectorField")}#include "initialConditions"\ninternalField uniform (0 0 0);`).message).toMatch(/directive '#include' is not supported.*\(line 6\)/);
    expect(failure(`${header("volScalarField")}internalField uniform $kInlet;`).message).toMatch(/expected a number, found '\$kInlet'/);
  });

  test("a truncated list, a list longer than declared, a malformed number", () => {
    expect(failure(`${header("volScalarField")}internalField nonuniform List<scalar> 3\n(\n1\n2\n`).message).toMatch(/expected a number, found 'the end of the file'|found the end of the file/);
    expect(failure(`${header("volScalarField")}internalField nonuniform List<scalar> 2 (1 2 3);`).message).toMatch(/list longer than its declared size 2/);
    expect(failure(`${header("volScalarField")}internalField nonuniform List<scalar> 2\n(\n1\n2.5.1\n);`).message).toMatch(/malformed number '2\.5\.'.*\(line 9\)/);
  });

  test("the value type must match the field class", () => {
    expect(failure(`${header("volVectorField")}internalField nonuniform List<scalar> 1 (1);`).message).toMatch(/List<scalar> does not match the field class \(3 components per value\)/);
    expect(failure(`${header("volVectorField")}internalField uniform 1;`).message).toMatch(/uniform value has 1 components, the field class needs 3/);
    expect(failure(`${header("volScalarField")}dimensions [0 2 -2 0 0 0 0];`).message).toMatch(/no internalField/);
  });
});
