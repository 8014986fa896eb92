/**
 * POST /validate on the real models and on broken files derived from them in the test:
 * each defect produces its finding; unreadable bytes are a 400, oversized uploads a 413.
 */
import { IfcEngine } from "../src/engine";
import { edit, fixture, linesOf, startIfc } from "./helpers";

let ifc: Awaited<ReturnType<typeof startIfc>>;
beforeAll(async () => {
  ifc = await startIfc();
}, 30_000);
afterAll(() => ifc.close());

const validate = (data: Uint8Array | string, contentType?: string) => ifc.post("/validate", data, contentType);
const codes = (body: any) => body.findings.map((f: any) => f.code);
const findingsOf = (body: any, code: string) => body.findings.filter((f: any) => f.code === code);
const fzk = () => fixture("AC20-FZK-Haus.ifc");

describe("the real sample models", () => {
  test.each(["AC20-FZK-Haus.ifc", "duplex.ifc", "IfcOpenHouse_IFC4.ifc"] as const)("%s has no errors", async (name) => {
    const { status, body, headers } = await validate(fixture(name));
    expect(status).toBe(200);
    expect(body.summary).toMatchObject({ valid: true, errors: 0 });
    expect(body.summary.lines).toBeGreaterThan(1000);
    expect(headers.get("server-timing")).toMatch(/^ifc;dur=\d+(\.\d)?$/);
  });

  test("AC20-FZK-Haus.ifc: its three IfcVirtualElements are reported as outside the structure and without geometry", async () => {
    const { body } = await validate(fzk());
    expect(body.schema).toBe("IFC4");
    expect(body.summary.byCode).toEqual({ element_not_contained: 3, product_without_geometry: 3 });
    expect(body.findings.every((f: any) => f.severity === "warning" && f.entities[0].type === "IfcVirtualElement")).toBe(true);
  });
});

describe("broken files derived from the real ones", () => {
  test("truncated: file_truncated, and relationships pointing past the cut are dangling", async () => {
    const data = fzk();
    const { status, body } = await validate(data.subarray(0, Math.floor(data.length * 0.6)));
    expect(status).toBe(200);
    expect(findingsOf(body, "file_truncated")).toEqual([expect.objectContaining({ severity: "error" })]);
    expect(body.summary.valid).toBe(false);
    // The upper storey's containment lists elements defined after the cut.
    expect(findingsOf(body, "relation_dangling")).toContainEqual(
      expect.objectContaining({ severity: "error", message: expect.stringContaining("#76112"), entities: [expect.objectContaining({ expressId: 35172, type: "IfcRelContainedInSpatialStructure" })] }),
    );
    const complete = await validate(data);
    expect(complete.body.summary.byCode.relation_dangling).toBeUndefined();
  });

  test("duplicated GlobalId: globalid_duplicate naming both entities", async () => {
    const [first, second] = linesOf(fzk(), "IFCWALLSTANDARDCASE", 2) as [{ expressId: number; globalId: string }, { expressId: number; globalId: string }];
    const data = edit(fzk(), (t) => t.replace(`#${second.expressId}= IFCWALLSTANDARDCASE('${second.globalId}'`, `#${second.expressId}= IFCWALLSTANDARDCASE('${first.globalId}'`));
    const { status, body } = await validate(data);
    expect(status).toBe(200);
    const [duplicate, ...others] = findingsOf(body, "globalid_duplicate");
    expect(others).toEqual([]);
    expect(duplicate).toMatchObject({ severity: "error", message: expect.stringContaining(first.globalId) });
    expect(duplicate.entities.map((e: any) => e.expressId).sort()).toEqual([first.expressId, second.expressId].sort());
    expect(body.summary.valid).toBe(false);
  });

  test("malformed GlobalId: globalid_invalid", async () => {
    const [wall] = linesOf(fzk(), "IFCWALLSTANDARDCASE");
    const data = edit(fzk(), (t) => t.replace(`'${wall!.globalId}'`, "'not-a-guid'"));
    const { body } = await validate(data);
    expect(findingsOf(body, "globalid_invalid")).toEqual([expect.objectContaining({ entities: [expect.objectContaining({ expressId: wall!.expressId, globalId: "not-a-guid" })] })]);
  });

  test("orphan element (taken out of its storey's containment): element_not_contained names it", async () => {
    const [wall] = linesOf(fzk(), "IFCWALLSTANDARDCASE");
    const data = edit(fzk(), (t) => t.replace(/^(#14517= IFCRELCONTAINEDINSPATIALSTRUCTURE\([^\n]*?)#15042,/m, "$1"));
    expect(wall!.expressId).toBe(15042);
    const before = await validate(fzk());
    const { status, body } = await validate(data);
    expect(status).toBe(200);
    const orphans = findingsOf(body, "element_not_contained").map((f: any) => f.entities[0].expressId);
    expect(orphans).toContain(15042);
    expect(findingsOf(before.body, "element_not_contained").map((f: any) => f.entities[0].expressId)).not.toContain(15042);
    expect(body.summary.valid).toBe(true); // a warning, not an error
  });

  test("storey left out of the building's aggregation: spatial_not_aggregated", async () => {
    const data = edit(fzk(), (t) => t.replace("#434,(#479,#35065));", "#434,(#479));"));
    const { body } = await validate(data);
    expect(findingsOf(body, "spatial_not_aggregated")).toEqual([expect.objectContaining({ severity: "error", entities: [expect.objectContaining({ expressId: 35065, type: "IfcBuildingStorey", name: "Dachgeschoss" })] })]);
  });

  test("storey aggregated into the site instead of a building: spatial_wrong_parent", async () => {
    const data = edit(fzk(), (t) => t.replace("#434,(#479,#35065));", "#434,(#479));\r\n#999999= IFCRELAGGREGATES('0Zz1234567890123456789',#12,$,$,#389,(#35065));"));
    const { body } = await validate(data);
    expect(findingsOf(body, "spatial_wrong_parent")).toEqual([
      expect.objectContaining({ message: expect.stringContaining("expected IfcBuilding or IfcBuildingStorey"), entities: [expect.objectContaining({ expressId: 35065 }), expect.objectContaining({ expressId: 389, type: "IfcSite" })] }),
    ]);
  });

  test("property sets: empty set, duplicate property names, relationship to a missing object", async () => {
    const data = edit(fzk(), (t) =>
      t
        .replace("'GSPset_TimeStamp',$,(#77));", "'GSPset_TimeStamp',$,());")
        .replace("#99= IFCPROPERTYSINGLEVALUE('GrossAreaPlanned'", "#99= IFCPROPERTYSINGLEVALUE('BuildingPermitId'")
        .replace("#15082= IFCRELDEFINESBYPROPERTIES('1XHlCNqAFH0tlvMzR6N0fY',#12,$,$,(#15042)", "#15082= IFCRELDEFINESBYPROPERTIES('1XHlCNqAFH0tlvMzR6N0fY',#12,$,$,(#15042,#987654)"),
    );
    const { body } = await validate(data);
    expect(findingsOf(body, "pset_empty")).toEqual([expect.objectContaining({ severity: "warning", entities: [expect.objectContaining({ expressId: 85, name: "GSPset_TimeStamp" })] })]);
    expect(findingsOf(body, "pset_duplicate_property")).toEqual([
      expect.objectContaining({ severity: "error", message: expect.stringContaining("'BuildingPermitId'"), entities: [expect.objectContaining({ expressId: 100, name: "Pset_ProjectCommon" })] }),
    ]);
    expect(findingsOf(body, "pset_relation_dangling")).toEqual([expect.objectContaining({ message: expect.stringContaining("#987654"), entities: [expect.objectContaining({ expressId: 15082 })] })]);
  });

  test("header without FILE_DESCRIPTION: header_missing", async () => {
    const data = edit(fixture("IfcOpenHouse_IFC4.ifc"), (t) => t.replace("FILE_DESCRIPTION(('ViewDefinition [CoordinationView]'),'2;1');\n", ""));
    const { status, body } = await validate(data);
    expect(status).toBe(200);
    expect(codes(body)).toEqual(["header_missing"]);
    expect(body.findings[0].message).toContain("FILE_DESCRIPTION");
  });

  test("a schema web-ifc cannot read (IFC4X1): /validate reports it; /elements refuses with 422", async () => {
    const data = edit(fixture("IfcOpenHouse_IFC4.ifc"), (t) => t.replace("FILE_SCHEMA(('IFC4'));", "FILE_SCHEMA(('IFC4X1'));"));
    const { status, body } = await validate(data);
    expect(status).toBe(200);
    expect(body).toMatchObject({ schema: "IFC4X1", summary: { valid: false, errors: 1 } });
    expect(codes(body)).toEqual(["schema_unsupported"]);
    const elements = await ifc.post("/elements", data);
    expect(elements.status).toBe(422);
    expect(elements.body).toMatchObject({ error: "unsupported_schema", schema: "IFC4X1" });
  });
});

describe("unreadable and unacceptable uploads", () => {
  test.each([
    ["random bytes", Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256))],
    ["a PNG", Buffer.from("89504e470d0a1a0a0000000d4948445200000001", "hex")],
    ["text", Buffer.from("hello, this is not a model\n".repeat(50))],
    ["an empty body", Buffer.alloc(0)],
  ])("%s: 400 not_ifc naming the body", async (_name, data) => {
    for (const route of ["/validate", "/elements", "/geometry"]) {
      const { status, body } = await ifc.post(route, data);
      expect([route, status, body.error]).toEqual([route, 400, "not_ifc"]);
      expect(body.fields[0].field).toBe("(body)");
    }
  });

  test.each([
    ["a STEP header cut off mid-string", () => fzk().subarray(0, 300)],
    ["FILE_SCHEMA with no schema (web-ifc throws on it)", () => Buffer.from("ISO-10303-21;\nHEADER;\nFILE_DESCRIPTION((''),'2;1');\nFILE_NAME('','',(''),(''),'','','');\nFILE_SCHEMA(());\nENDSEC;\nDATA;\nENDSEC;\nEND-ISO-10303-21;\n")],
  ])("%s: 400 unreadable_ifc, and the next file is read normally", async (_name, data) => {
    const { status, body } = await validate(data());
    expect(status).toBe(400);
    expect(body.error).toBe("unreadable_ifc");
    expect((await validate(fixture("IfcOpenHouse_IFC4.ifc"))).status).toBe(200);
  });

  test("wrong content type: 415", async () => {
    const { status } = await validate(JSON.stringify({ file: "model.ifc" }), "application/json");
    expect(status).toBe(415);
  });

  test("accepted content types include model/ifc and application/x-step", async () => {
    expect((await validate(fixture("IfcOpenHouse_IFC4.ifc"), "model/ifc")).status).toBe(200);
    expect((await validate(fixture("IfcOpenHouse_IFC4.ifc"), "application/x-step")).status).toBe(200);
  });

  test("unknown query parameter: 400 naming it", async () => {
    const { status, body } = await ifc.post("/validate?strict=1", fixture("IfcOpenHouse_IFC4.ifc"));
    expect(status).toBe(400);
    expect(body.fields).toEqual([{ field: "query.strict", message: "Unknown field" }]);
  });

  test("over the upload limit: 413 (limit set to 200 KiB here)", async () => {
    const small = await startIfc({ maxUploadBytes: 200 * 1024 });
    try {
      expect((await small.post("/validate", fixture("IfcOpenHouse_IFC4.ifc"))).status).toBe(200); // 113 KB
      const { status, body } = await small.post("/validate", fixture("duplex.ifc")); // 2.4 MB
      expect(status).toBe(413);
      expect(body.error).toBe("FST_ERR_CTP_BODY_TOO_LARGE");
    } finally {
      await small.close();
    }
  });
});

describe("the engine always closes the model", () => {
  test("after a result, a throwing reader and an unreadable header, no model is open", async () => {
    const engine = await IfcEngine.create();
    expect(engine.withModel(fixture("IfcOpenHouse_IFC4.ifc"), (model) => model.schema)).toBe("IFC4");
    expect(engine.openModels()).toBe(0);
    expect(() =>
      engine.withModel(fixture("IfcOpenHouse_IFC4.ifc"), () => {
        throw new Error("reader failed");
      }),
    ).toThrow("reader failed");
    expect(engine.openModels()).toBe(0);
    expect(() => engine.withModel(Buffer.from("ISO-10303-21;\nHEADER;\nFILE_SCHEMA(());\nENDSEC;\n"), () => 1)).toThrow(/could not read/);
    expect(engine.openModels()).toBe(0);
  });
});
