import { boxMesh, boxesMesh } from "../src/geometry/boxes";
import { meshBounds, rotateAboutZ, surfaceMeasures, triangleCount, weldTriangles } from "../src/geometry/mesh";
import { parseObj, writeObj } from "../src/geometry/obj";
import { parseGeometry, sniffFormat } from "../src/geometry/parse";
import { GeometryError } from "../src/geometry/problems";
import { isBinaryStl, parseStl } from "../src/geometry/stl";
import { geometryProblems } from "../src/geometry/validate";
import { asciiStl, binaryStl, corners } from "./geometry-fixtures";

const cube = boxMesh({ x: 0, y: 0, width: 10, depth: 10, height: 10 });

describe("parametric boxes", () => {
  test("a box is a closed surface of 12 outward triangles enclosing its volume", () => {
    expect(triangleCount(cube)).toBe(12);
    expect(geometryProblems(cube)).toEqual([]);
    const m = surfaceMeasures(cube);
    expect(m.volume).toBeCloseTo(1000, 9);
    expect(m.area).toBeCloseTo(600, 9);
    // The bottom lies on the ground: not in the flow.
    expect(m.exposedArea).toBeCloseTo(500, 9);
  });

  test("rotation turns the footprint about its centre, counter-clockwise", () => {
    const b = meshBounds(boxMesh({ x: 100, y: 50, width: 20, depth: 2, height: 5, rotation: 90, base: 3 }));
    expect(b.min.x).toBeCloseTo(99, 9);
    expect(b.max.x).toBeCloseTo(101, 9);
    expect(b.min.y).toBeCloseTo(40, 9);
    expect(b.max.y).toBeCloseTo(60, 9);
    expect([b.min.z, b.max.z]).toEqual([3, 8]);
  });

  test("several boxes stay separate closed shells", () => {
    const site = boxesMesh([
      { x: 0, y: 0, width: 10, depth: 10, height: 30 },
      { x: 4, y: 0, width: 20, depth: 20, height: 8 },
    ]);
    expect(triangleCount(site)).toBe(24);
    expect(geometryProblems(site)).toEqual([]);
  });
});

describe("STL", () => {
  test("ASCII: corners weld into shared vertices, so the box is watertight", () => {
    const mesh = parseStl(Buffer.from(asciiStl(cube)));
    expect(triangleCount(mesh)).toBe(12);
    expect(mesh.positions.length / 3).toBe(8);
    expect(geometryProblems(mesh)).toEqual([]);
  });

  test("binary is recognised by its size even when its header starts with 'solid'", () => {
    const data = binaryStl(cube, "solid exported by a CAD tool");
    expect(isBinaryStl(data)).toBe(true);
    expect(sniffFormat(data)).toBe("stl");
    const mesh = parseStl(data);
    expect(mesh.positions.length / 3).toBe(8);
    expect(geometryProblems(mesh)).toEqual([]);
  });

  test("a facet with four vertices and non-numeric coordinates are named with their line", () => {
    expect(() => parseStl(Buffer.from("solid x\nfacet normal 0 0 1\nouter loop\nvertex 0 0 0\nvertex 1 0 0\nvertex 1 1 0\nvertex 0 1 0\nendloop\nendfacet\nendsolid"))).toThrow(
      /line 7: a facet has more than three vertices/,
    );
    expect(() => parseStl(Buffer.from("solid x\nfacet normal 0 0 1\nouter loop\nvertex 0 zero 0\n"))).toThrow(/line 4: vertex coordinates are not numbers/);
    expect(() => parseStl(Buffer.from("hello"))).toThrow(GeometryError);
  });
});

describe("OBJ", () => {
  test("v/f with texture and normal references, negative indices and a quad fanned into triangles", () => {
    const text = [
      "# a unit cube",
      "o cube",
      "v 0 0 0", "v 1 0 0", "v 1 1 0", "v 0 1 0",
      "v 0 0 1", "v 1 0 1", "v 1 1 1", "v 0 1 1",
      "vn 0 0 1", "vt 0 0",
      "f 1/1/1 4/1/1 3/1/1 2/1/1", // bottom quad
      "f -4//1 -3//1 -2//1 -1//1", // top quad, relative to the 8th vertex
      "f 1 2 6 5", "f 2 3 7 6", "f 3 4 8 7", "f 4 1 5 8",
      "usemtl concrete", "s off",
    ].join("\r\n");
    const mesh = parseObj(text);
    expect(triangleCount(mesh)).toBe(12);
    expect(geometryProblems(mesh)).toEqual([]);
    expect(surfaceMeasures(mesh).volume).toBeCloseTo(1, 12);
  });

  test("a face referring past the vertices read so far is an error naming the line", () => {
    expect(() => parseObj("v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 4\n")).toThrow("geometry: line 4: face refers to vertex 4, but 3 vertices are defined so far");
    expect(() => parseObj("v 0 0 0\nf 1 -5 1\n")).toThrow(/line 2/);
  });

  test("written and read back, the surface is the same", () => {
    const site = boxesMesh([{ x: 12.5, y: -3.25, width: 7, depth: 3, height: 21.75, rotation: 17 }]);
    const back = corners(parseObj(writeObj(site))).flat(2);
    const original = corners(site).flat(2);
    expect(back).toHaveLength(original.length);
    back.forEach((v, i) => expect(v).toBeCloseTo(original[i], 6));
  });

  test("format sniffing and explicit formats", () => {
    expect(sniffFormat(Buffer.from("# comment\nv 1 2 3\n"))).toBe("obj");
    expect(sniffFormat(Buffer.from("solid s\nendsolid s\n"))).toBe("stl");
    expect(sniffFormat(Buffer.from("PK\u0003\u0004 zip"))).toBeUndefined();
    expect(() => parseGeometry(Buffer.from("PK zip"), undefined)).toThrow(/unknown format/);
    expect(parseGeometry(Buffer.from(writeObj(cube)), "obj").format).toBe("obj");
  });
});

describe("validation names every problem and where", () => {
  test("empty", () => {
    expect(geometryProblems({ positions: new Float64Array(), triangles: new Uint32Array() })).toEqual(["geometry: no triangles (empty surface)"]);
  });

  test("open: a box without its roof has 4 open edges, the first located on the roof outline", () => {
    // Triangles 2 and 3 are the roof.
    const open = { positions: cube.positions, triangles: Uint32Array.from([...cube.triangles.slice(0, 6), ...cube.triangles.slice(12)]) };
    expect(geometryProblems(open)).toEqual(["geometry: 4 open edges (surface not closed), first at (0, -5, 10)"]);
  });

  test("degenerate faces and non-manifold edges", () => {
    // Two boxes sharing one edge exactly: that edge has four faces.
    const twins = weldTriangles(corners(boxesMesh([{ x: 0, y: 0, width: 2, depth: 2, height: 2 }, { x: 2, y: 2, width: 2, depth: 2, height: 2 }])).flat(2));
    expect(geometryProblems(twins)).toEqual(["geometry: 1 edges shared by more than two faces (non-manifold), first at (1, 1, 1)"]);

    const sliver = weldTriangles([...corners(cube).flat(2), 0, 0, 0, 1, 1, 1, 2, 2, 2]);
    expect(geometryProblems(sliver)[0]).toBe("geometry: 1 degenerate (zero-area) faces, first at (1, 1, 1)");
  });

  test("out of bounds: below ground, too tall, too wide, far from the origin, too small", () => {
    expect(geometryProblems(boxMesh({ x: 0, y: 0, width: 10, depth: 10, height: 10, base: 0 }))).toEqual([]);
    const sunk = { positions: cube.positions.map((v, i) => (i % 3 === 2 ? v - 2 : v)), triangles: cube.triangles };
    expect(geometryProblems(sunk)).toEqual(["geometry: out of bounds: below ground, lowest point at (-5, -5, -2); buildings stand on z >= 0"]);
    expect(geometryProblems(boxMesh({ x: 0, y: 0, width: 10, depth: 10, height: 1200 }))).toEqual(["geometry: out of bounds: tallest point z = 1200 m (limit 1000 m)"]);
    expect(geometryProblems(boxMesh({ x: 0, y: 0, width: 6000, depth: 10, height: 10 }))).toEqual(["geometry: out of bounds: site is 6000 m across (limit 5000 m)"]);
    expect(geometryProblems(boxMesh({ x: 500_000, y: 4_000_000, width: 10, depth: 10, height: 10 }))[0]).toMatch(/a coordinate is 4000005 m from the origin/);
    expect(geometryProblems(boxMesh({ x: 0, y: 0, width: 0.01, depth: 0.01, height: 0.02 }))).toEqual([
      "geometry: tallest point is z = 0.02 m (at least 1 m; coordinates are metres, z up)",
    ]);
  });
});

test("rotating about z keeps the triangles and turns +x into +y at 90°", () => {
  const turned = rotateAboutZ(boxMesh({ x: 10, y: 0, width: 2, depth: 2, height: 1 }), 90);
  const b = meshBounds(turned);
  expect(b.min.x).toBeCloseTo(-1, 9);
  expect(b.min.y).toBeCloseTo(9, 9);
  expect(geometryProblems(turned)).toEqual([]);
});
