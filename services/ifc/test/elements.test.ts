/**
 * POST /elements on the real sample models: the counts stated in shared/fixtures/ifc/SOURCE.md,
 * inherited counts checked against web-ifc's own inherited lookup, storeys, spaces with their
 * quantity sets, and one element's property sets.
 */
import { IfcAPI, LogLevel } from "web-ifc";
import { edit, fixture, linesOf, startIfc } from "./helpers";

let ifc: Awaited<ReturnType<typeof startIfc>>;
beforeAll(async () => {
  ifc = await startIfc();
}, 30_000);
afterAll(() => ifc.close());

const elements = (data: Buffer, query = "") => ifc.post(`/elements${query}`, data);

describe("counts from SOURCE.md", () => {
  test("AC20-FZK-Haus.ifc (IFC4): 13 walls (IfcWallStandardCase), 7 spaces, 5 doors, 11 windows, 4 slabs, 1 stair, 2 storeys", async () => {
    const { status, body } = await elements(fixture("AC20-FZK-Haus.ifc"));
    expect(status).toBe(200);
    expect(body.schema).toBe("IFC4");
    expect(body.counts).toMatchObject({ IfcWall: 13, IfcSpace: 7, IfcDoor: 5, IfcWindow: 11, IfcSlab: 4, IfcStair: 1, IfcBuildingStorey: 2 });
    expect(body.exactCounts.IfcWallStandardCase).toBe(13);
    expect(body.exactCounts.IfcWall).toBeUndefined();
  });

  test("duplex.ifc (IFC2X3): 57 walls (56 IfcWallStandardCase + 1 IfcWall), 21 spaces, 14 doors, 24 windows, 21 slabs, 2 stairs, 4 storeys", async () => {
    const { status, body } = await elements(fixture("duplex.ifc"));
    expect(status).toBe(200);
    expect(body.schema).toBe("IFC2X3");
    expect(body.counts).toMatchObject({ IfcWall: 57, IfcSpace: 21, IfcDoor: 14, IfcWindow: 24, IfcSlab: 21, IfcStair: 2, IfcBuildingStorey: 4 });
    expect(body.exactCounts).toMatchObject({ IfcWallStandardCase: 56, IfcWall: 1 });
  });

  test.each(["AC20-FZK-Haus.ifc", "duplex.ifc", "IfcOpenHouse_IFC4.ifc"] as const)(
    "%s: every inherited count equals web-ifc's own GetLineIDsWithType(type, includeInherited)",
    async (name) => {
      const { body } = await elements(fixture(name));
      const api = new IfcAPI();
      await api.Init();
      api.SetLogLevel(LogLevel.LOG_LEVEL_OFF);
      const id = api.OpenModel(fixture(name));
      try {
        for (const [type, count] of Object.entries(body.counts as Record<string, number>)) {
          expect([type, api.GetLineIDsWithType(id, api.GetTypeCodeFromName(type.toUpperCase()), true).size()]).toEqual([type, count]);
        }
        for (const [type, count] of Object.entries(body.exactCounts as Record<string, number>)) {
          expect([type, api.GetLineIDsWithType(id, api.GetTypeCodeFromName(type.toUpperCase()), false).size()]).toEqual([type, count]);
        }
      } finally {
        api.CloseModel(id);
      }
      // Every product is counted once under IfcProduct.
      const exactTotal = Object.values(body.exactCounts as Record<string, number>).reduce((a, b) => a + b, 0);
      expect(body.counts.IfcProduct).toBe(exactTotal);
    },
  );
});

test("IFC4X3: IfcOpenHouse re-declared as IFC4X3_ADD2 (IfcWallStandardCase, dropped in 4.3, made IfcWall) is read with the 4.3 hierarchy", async () => {
  const data = edit(fixture("IfcOpenHouse_IFC4.ifc"), (t) => t.replace("FILE_SCHEMA(('IFC4'));", "FILE_SCHEMA(('IFC4X3_ADD2'));").replace(/IFCWALLSTANDARDCASE\(/g, "IFCWALL("));
  const { status, body } = await elements(data);
  expect(status).toBe(200);
  expect(body.schema).toBe("IFC4X3_ADD2");
  // IFC 4.3 renamed IfcBuildingElement to IfcBuiltElement and put IfcBuilding under IfcFacility.
  expect(body.counts).toMatchObject({ IfcWall: 4, IfcBuiltElement: 40, IfcFacility: 1, IfcBuildingStorey: 1 });
  expect(body.counts.IfcBuildingElement).toBeUndefined();
  expect((await ifc.post("/validate", data)).body.summary).toMatchObject({ valid: true, errors: 0, warnings: 0 });
});

describe("storeys and spaces", () => {
  test("storeys in elevation order, in metres, with their contained elements and spaces", async () => {
    const { body } = await elements(fixture("duplex.ifc"));
    expect(body.storeys.map((s: any) => s.name)).toEqual(["T/FDN", "Level 1", "Level 2", "Roof"]);
    expect(body.storeys.map((s: any) => s.elevation)).toEqual([-1.25, 0, expect.closeTo(3.1, 9), expect.closeTo(6, 9)]);
    expect(body.storeys.reduce((n: number, s: any) => n + s.spaces, 0)).toBe(21);
    const fzk = (await elements(fixture("AC20-FZK-Haus.ifc"))).body;
    expect(fzk.storeys).toEqual([
      expect.objectContaining({ name: "Erdgeschoss", elevation: 0, spaces: 6 }),
      expect.objectContaining({ name: "Dachgeschoss", elevation: 2.7, spaces: 1 }),
    ]);
    expect(fzk.storeys.every((s: any) => s.elements > 0 && /^[0-3][0-9A-Za-z_$]{21}$/.test(s.globalId))).toBe(true);
  });

  test("a storey elevation in millimetres (IfcSIUnit MILLI METRE) is given in metres", async () => {
    // IfcOpenHouse declares millimetres and leaves the elevation unset; give it 3000 mm.
    const data = edit(fixture("IfcOpenHouse_IFC4.ifc"), (t) => t.replace(/(#38=IFCBUILDINGSTOREY\([^\n]*\.ELEMENT\.,)\$\);/, "$13000.);"));
    const { body } = await elements(data);
    expect(body.storeys).toEqual([expect.objectContaining({ globalId: "38aOKO8_DDkBd1FHm_lVXz", elevation: 3 })]);
    expect((await elements(fixture("IfcOpenHouse_IFC4.ifc"))).body.storeys[0].elevation).toBeNull();
  });

  test("spaces carry floor areas and volumes from their quantity sets, and their storey", async () => {
    const { body } = await elements(fixture("AC20-FZK-Haus.ifc"));
    expect(body.spaces).toHaveLength(7);
    // The file's BaseQuantities for space '4' (Schlafzimmer): #21092 GrossFloorArea 22.0725, #21093 NetFloorArea 21.410325.
    const bedroom = body.spaces.find((s: any) => s.longName === "Schlafzimmer");
    expect(bedroom).toMatchObject({ name: "4", netFloorArea: 21.410325, grossFloorArea: 22.0725, storey: body.storeys[0].globalId });
    expect(bedroom.netVolume).toBeGreaterThan(0);
    expect(body.spaces.every((s: any) => typeof s.netFloorArea === "number")).toBe(true);
    // duplex states its space areas under tool-specific names only: nothing is made up.
    const duplex = (await elements(fixture("duplex.ifc"))).body;
    expect(duplex.spaces).toHaveLength(21);
    expect(duplex.spaces.every((s: any) => s.netFloorArea === null && s.grossVolume === null && s.storey !== null)).toBe(true);
  });
});

describe("property sets of one element", () => {
  const wall = () => linesOf(fixture("AC20-FZK-Haus.ifc"), "IFCWALLSTANDARDCASE")[0]!;

  test("by GlobalId and by express id: the same property and quantity sets", async () => {
    const byGlobalId = await elements(fixture("AC20-FZK-Haus.ifc"), `?element=${wall().globalId}`);
    expect(byGlobalId.status).toBe(200);
    const element = byGlobalId.body.element;
    expect(element).toMatchObject({ expressId: wall().expressId, globalId: wall().globalId, type: "IfcWallStandardCase", name: "Wand-Int-ERDG-4" });
    const pset = element.propertySets.find((s: any) => s.name === "Pset_WallCommon");
    expect(pset).toMatchObject({ kind: "IfcPropertySet", source: "occurrence", properties: [{ name: "ThermalTransmittance", value: 1.5, valueType: "IfcThermalTransmittanceMeasure" }] });
    const qto = element.propertySets.find((s: any) => s.name === "BaseQuantities");
    expect(qto.kind).toBe("IfcElementQuantity");
    expect(qto.properties).toContainEqual({ name: "Length", value: 4.17, valueType: "IfcLengthMeasure" });
    const byExpressId = await elements(fixture("AC20-FZK-Haus.ifc"), `?element=${wall().expressId}`);
    expect(byExpressId.body.element).toEqual(element);
  });

  test("an element the model does not have is a 422 naming query.element; a malformed one a 400", async () => {
    const missing = await elements(fixture("AC20-FZK-Haus.ifc"), "?element=0000000000000000000000");
    expect(missing.status).toBe(422);
    expect(missing.body.fields).toEqual([{ field: "query.element", message: expect.stringContaining("0000000000000000000000") }]);
    const notAnObject = await elements(fixture("AC20-FZK-Haus.ifc"), "?element=1");
    expect(notAnObject.status).toBe(422);
    const malformed = await elements(fixture("AC20-FZK-Haus.ifc"), "?element=wall-1&colour=red");
    expect(malformed.status).toBe(400);
    expect(malformed.body.fields.map((f: any) => f.field).sort()).toEqual(["query.colour", "query.element"]);
  });
});
