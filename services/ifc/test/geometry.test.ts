/**
 * POST /geometry: the GLB is parsed back (container, accessor bounds, node names) and checked
 * against the JSON mode's bounding boxes; selections by type and GlobalId; the writer on its own.
 */
import { writeGlb } from "../src/glb";
import { fixture, linesOf, startIfc } from "./helpers";
import { parseGlb } from "./glb";

let ifc: Awaited<ReturnType<typeof startIfc>>;
beforeAll(async () => {
  ifc = await startIfc();
}, 30_000);
afterAll(() => ifc.close());

const GLOBAL_ID = /^[0-3][0-9A-Za-z_$]{21}$/;
const geometry = (data: Buffer, query = "") => ifc.post(`/geometry${query}`, data);

describe("all elements as GLB", () => {
  test("AC20-FZK-Haus.ifc: a valid GLB, one node per drawn element named by its GlobalId, accessor bounds true to the data", async () => {
    const glb = await geometry(fixture("AC20-FZK-Haus.ifc"));
    expect(glb.status).toBe(200);
    expect(glb.headers.get("content-type")).toBe("model/gltf-binary");
    const { json, accessor } = parseGlb(glb.raw);
    expect(json.asset.version).toBe("2.0");
    const summary = (await geometry(fixture("AC20-FZK-Haus.ifc"), "?format=json")).body;
    expect(glb.headers.get("x-ifc-elements")).toBe(String(summary.elements.length));
    expect(json.nodes.map((n: any) => n.name)).toEqual(summary.elements.map((e: any) => e.globalId));
    expect(json.nodes.every((n: any) => GLOBAL_ID.test(n.name))).toBe(true);
    expect(json.scenes[json.scene].nodes).toHaveLength(json.nodes.length);
    // Web-ifc draws the products, not the spaces and openings: 13 walls, 11 windows, 5 doors, 4 slabs...
    const drawn = summary.elements.reduce((m: Record<string, number>, e: any) => ({ ...m, [e.type]: (m[e.type] ?? 0) + 1 }), {});
    expect(drawn).toMatchObject({ IfcWallStandardCase: 13, IfcWindow: 11, IfcDoor: 5, IfcSlab: 4 });
    expect(drawn.IfcSpace).toBeUndefined();

    let triangles = 0;
    let worstNormal = 0;
    json.nodes.forEach((node: any, i: number) => {
      const element = summary.elements[i];
      const min = [Infinity, Infinity, Infinity];
      const max = [-Infinity, -Infinity, -Infinity];
      let vertices = 0;
      for (const primitive of json.meshes[node.mesh].primitives) {
        const position = json.accessors[primitive.attributes.POSITION];
        const positions = accessor(primitive.attributes.POSITION) as Float32Array;
        const normals = accessor(primitive.attributes.NORMAL) as Float32Array;
        const indices = accessor(primitive.indices) as Uint32Array;
        expect(primitive.mode).toBe(4);
        expect(indices.length % 3).toBe(0);
        expect(indices.reduce((m, v) => Math.max(m, v), 0)).toBeLessThan(position.count);
        const actualMin = [Infinity, Infinity, Infinity];
        const actualMax = [-Infinity, -Infinity, -Infinity];
        for (let j = 0; j < positions.length; j++) {
          actualMin[j % 3] = Math.min(actualMin[j % 3]!, positions[j]!);
          actualMax[j % 3] = Math.max(actualMax[j % 3]!, positions[j]!);
        }
        expect(position.min).toEqual(actualMin);
        expect(position.max).toEqual(actualMax);
        for (let j = 0; j < normals.length; j += 3) worstNormal = Math.max(worstNormal, Math.abs(Math.hypot(normals[j]!, normals[j + 1]!, normals[j + 2]!) - 1));
        expect(json.materials[primitive.material].pbrMetallicRoughness.baseColorFactor).toHaveLength(4);
        // glTF is Y up; the IFC box is Z up: IFC (x, y, z) = glTF (x, −z, y).
        for (let k = 0; k < 3; k++) {
          min[k] = Math.min(min[k]!, [actualMin[0]!, -actualMax[2]!, actualMin[1]!][k]!);
          max[k] = Math.max(max[k]!, [actualMax[0]!, -actualMin[2]!, actualMax[1]!][k]!);
        }
        vertices += position.count;
        triangles += indices.length / 3;
      }
      expect(node.extras).toMatchObject({ expressId: element.expressId, type: element.type });
      expect(element.vertices).toBe(vertices);
      for (let k = 0; k < 3; k++) {
        expect(element.bbox.min[k]).toBeCloseTo(min[k]!, 5);
        expect(element.bbox.max[k]).toBeCloseTo(max[k]!, 5);
      }
    });
    expect(worstNormal).toBeLessThan(1e-4);
    expect(triangles).toBe(summary.elements.reduce((n: number, e: any) => n + e.triangles, 0));
  });

  test("bounding boxes are in IFC axes: the ground slab sits at z ≤ 0, the upper storey's elements above its 2.7 m elevation", async () => {
    const { body } = await geometry(fixture("AC20-FZK-Haus.ifc"), "?format=json");
    const slab = body.elements.find((e: any) => e.name === "Bodenplatte");
    expect(slab.bbox.max[2]).toBeCloseTo(0, 5);
    expect(slab.bbox.min[2]).toBeCloseTo(-0.2, 5);
    const upperWalls = body.elements.filter((e: any) => e.type === "IfcWallStandardCase" && e.bbox.min[2] > 2.6);
    expect(upperWalls.length).toBeGreaterThan(0);
    expect(body.bbox.min[2]).toBeLessThan(0);
    expect(body.bbox.max[2]).toBeGreaterThan(6);
  });
});

describe("selections", () => {
  test("?ids=IfcWall selects the subtypes too: duplex's 57 walls", async () => {
    const { status, body } = await geometry(fixture("duplex.ifc"), "?ids=IfcWall&format=json");
    expect(status).toBe(200);
    expect(body.elements.length + body.withoutGeometry.length).toBe(57);
    expect(new Set(body.elements.map((e: any) => e.type))).toEqual(new Set(["IfcWallStandardCase", "IfcWall"]));
  });

  test("?ids=<GlobalId>,IfcSpace: that one wall plus the 7 spaces web-ifc leaves out by default", async () => {
    const [wall] = linesOf(fixture("AC20-FZK-Haus.ifc"), "IFCWALLSTANDARDCASE");
    const glb = await geometry(fixture("AC20-FZK-Haus.ifc"), `?ids=${encodeURIComponent(wall!.globalId)},IfcSpace`);
    expect(glb.status).toBe(200);
    const { json } = parseGlb(glb.raw);
    expect(json.nodes).toHaveLength(8);
    expect(json.nodes[0]).toMatchObject({ name: wall!.globalId, extras: { expressId: wall!.expressId, type: "IfcWallStandardCase" } });
    expect(json.nodes.slice(1).every((n: any) => n.extras.type === "IfcSpace")).toBe(true);
  });

  test("something the model lacks is a 422 naming query.ids[i]; a malformed id a 400", async () => {
    const missing = await geometry(fixture("AC20-FZK-Haus.ifc"), "?ids=IfcWall,0000000000000000000000");
    expect(missing.status).toBe(422);
    expect(missing.body.fields).toEqual([{ field: "query.ids[1]", message: expect.stringContaining("0000000000000000000000") }]);
    const notAProduct = await geometry(fixture("AC20-FZK-Haus.ifc"), "?ids=IfcPropertySet");
    expect(notAProduct.status).toBe(422);
    const malformed = await geometry(fixture("AC20-FZK-Haus.ifc"), "?ids=IfcWall,wall%201&format=obj");
    expect(malformed.status).toBe(400);
    expect(malformed.body.fields.map((f: any) => f.field).sort()).toEqual(["query.format", "query.ids[1]"]);
  });

  test("a selected product without triangles is listed, not drawn", async () => {
    const { body } = await geometry(fixture("AC20-FZK-Haus.ifc"), "?ids=IfcVirtualElement,IfcBuildingStorey&format=json");
    expect(body.elements).toEqual([]);
    expect(body.bbox).toBeNull();
    expect(body.withoutGeometry.map((e: any) => e.type).sort()).toEqual(["IfcBuildingStorey", "IfcBuildingStorey", "IfcVirtualElement", "IfcVirtualElement", "IfcVirtualElement"]);
  });
});

describe("the GLB writer on its own", () => {
  test("one triangle: exact layout, padding and a blended material for alpha < 1", () => {
    const data = writeGlb(
      [{ name: "0abcdefghijklmnopqrstu", primitives: [{ positions: new Float32Array([0, 0, 0, 1, 0, 0, 0, 2, -1]), normals: new Float32Array([0, 0, 1, 0, 0, 1, 0, 0, 1]), indices: new Uint32Array([0, 1, 2]), color: [1, 0.5, 0, 0.25] }] }],
      { generator: "test" },
    );
    const { json, bin, accessor } = parseGlb(data);
    expect(bin.length).toBe(36 + 36 + 12);
    expect(json.accessors[0]).toMatchObject({ componentType: 5126, count: 3, type: "VEC3", min: [0, 0, -1], max: [1, 2, 0] });
    expect(Array.from(accessor(2))).toEqual([0, 1, 2]);
    expect(json.bufferViews.map((v: any) => v.target)).toEqual([34962, 34962, 34963]);
    expect(json.materials).toEqual([{ name: "rgba(1,0.5,0,0.25)", pbrMetallicRoughness: { baseColorFactor: [1, 0.5, 0, 0.25], metallicFactor: 0, roughnessFactor: 1 }, doubleSided: true, alphaMode: "BLEND" }]);
  });

  test("no geometry at all: a valid GLB with an empty scene and no BIN chunk", () => {
    const data = writeGlb([], { generator: "test" });
    const { json, bin } = parseGlb(data);
    expect(bin.length).toBe(0);
    expect(json).toEqual({ asset: { version: "2.0", generator: "test" }, scene: 0, scenes: [{}] });
  });
});
