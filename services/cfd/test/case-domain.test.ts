import { readFileSync } from "node:fs";
import path from "node:path";
import { approachProbe, CLEARANCE, MAX_BLOCKAGE, planDomain } from "../src/case/domain";
import { snappyCells } from "../src/case/logs";
import { CMU, dissipationAt, flowAngle, flowDirection, frictionVelocity, KAPPA, speedAt, TERRAIN_ROUGHNESS, turbulentKineticEnergy } from "../src/case/wind";
import { boxesMesh, boxMesh } from "../src/geometry/boxes";

const cube = boxMesh({ x: 0, y: 0, width: 10, depth: 10, height: 10 });

describe("wind direction convention: where the wind comes FROM, clockwise from north (+y)", () => {
  test.each([
    [270, 0, { x: 1, y: 0 }], // westerly: blows towards +x (east)
    [0, 270, { x: 0, y: -1 }], // northerly: blows towards -y
    [90, 180, { x: -1, y: 0 }], // easterly
    [180, 90, { x: 0, y: 1 }], // southerly
  ])("from %i° the air moves at %i° counter-clockwise from +x", (direction, angle, vector) => {
    expect(flowAngle(direction)).toBe(angle);
    expect(flowDirection(direction)).toEqual({ ...vector, z: 0 });
  });

  test("45° (north-east wind) blows towards the south-west", () => {
    const d = flowDirection(45);
    expect(d.x).toBeCloseTo(-Math.SQRT1_2, 12);
    expect(d.y).toBeCloseTo(-Math.SQRT1_2, 12);
  });
});

describe("atmospheric boundary layer (Richards & Hoxey)", () => {
  const abl = { referenceSpeed: 10, referenceHeight: 10, z0: 0.1 };

  test("the log profile passes through the reference speed at the reference height", () => {
    expect(speedAt(abl, 10)).toBeCloseTo(10, 12);
    expect(frictionVelocity(abl)).toBeCloseTo((0.41 * 10) / Math.log(101), 12);
    expect(speedAt(abl, 0)).toBe(0);
    expect(speedAt(abl, 100)).toBeGreaterThan(14);
  });

  test("k and epsilon are in equilibrium: P = epsilon with nut = Cmu k²/epsilon", () => {
    const z = 7;
    const k = turbulentKineticEnergy(abl);
    const eps = dissipationAt(abl, z);
    const ustar = frictionVelocity(abl);
    const shear = ustar / (KAPPA * (z + abl.z0));
    const nut = (CMU * k * k) / eps;
    expect(nut * shear * shear).toBeCloseTo(eps, 10);
  });

  test("named terrain classes give Davenport roughness lengths", () => {
    expect(TERRAIN_ROUGHNESS.open).toBe(0.03);
    expect(TERRAIN_ROUGHNESS["very-rough"]).toBe(0.5);
  });
});

describe("domain sizing (COST 732: 5H upstream, sides and above, 15H downstream)", () => {
  test("a 10 m cube at 270°: 210 × 110 × 60 m, coarse cells of H/2", () => {
    const plan = planDomain(cube, 270, "coarse");
    expect(plan.size).toEqual({ x: 210, y: 110, z: 60 });
    expect(plan.cells).toEqual([42, 22, 12]);
    expect(plan.cellSize).toBe(5);
    expect(plan.surfaceCellSize).toBe(1.25);
    expect(plan.corners[0]).toEqual({ x: -55, y: -55, z: 0 });
    expect(plan.corners[6]).toEqual({ x: 155, y: 55, z: 60 });
    expect(plan.blockage).toBeCloseTo(100 / (110 * 60), 12);
    expect(plan.flowDirection).toEqual({ x: 1, y: 0, z: 0 });
  });

  test("a northerly case turns the domain so its inlet faces north", () => {
    const plan = planDomain(cube, 0, "coarse");
    const inlet = [plan.corners[0], plan.corners[3], plan.corners[7], plan.corners[4]];
    for (const c of inlet) expect(c.y).toBeCloseTo(55, 9);
    const outlet = [plan.corners[1], plan.corners[2], plan.corners[6], plan.corners[5]];
    for (const c of outlet) expect(c.y).toBeCloseTo(-155, 9);
    expect(plan.wake.e1).toEqual({ x: 0, y: -1, z: 0 });
  });

  test("the point in the fluid lies inside the domain, upstream of the buildings, off every background face", () => {
    for (const direction of [0, 45, 137, 270]) {
      const plan = planDomain(cube, direction, "medium");
      const p = plan.locationInMesh;
      // Back into the wind frame: upstream of the building (x < -5), inside the box.
      const a = (-plan.flowAngle * Math.PI) / 180;
      const x = Math.cos(a) * p.x - Math.sin(a) * p.y;
      const y = Math.sin(a) * p.x + Math.cos(a) * p.y;
      expect(x).toBeLessThan(-5 - plan.buildingHeight);
      expect(Math.abs(y)).toBeLessThan(plan.size.y / 2);
      expect(p.z).toBeGreaterThan(0);
      const offFace = (v: number, origin: number) => Math.abs(((v - origin) / plan.cellSize) % 1) > 0.05;
      expect(offFace(x, -5 - CLEARANCE.upstream * 10)).toBe(true);
      expect(offFace(p.z, 0)).toBe(true);
    }
  });

  test("a wide, low site gets wider sides so the blockage stays at 3 %", () => {
    const terrace = boxMesh({ x: 0, y: 0, width: 10, depth: 400, height: 10 });
    const plan = planDomain(terrace, 270, "coarse");
    expect(plan.blockage).toBeLessThanOrEqual(MAX_BLOCKAGE + 1e-9);
    expect(plan.size.y).toBeGreaterThan(400 + 2 * CLEARANCE.lateral * 10);
  });

  test("the approach probe sits 1.5 cells downstream of the inlet centre", () => {
    const plan = planDomain(cube, 270, "coarse");
    expect(approachProbe(plan, 10)).toEqual({ x: -47.5, y: 0, z: 10 });
  });

  test("the cell estimate is within 10 % of the mesh snappyHexMesh made for the same site (real log)", () => {
    // test/mesher-logs/log.snappyHexMesh: these two buildings, 45°, coarse.
    const site = boxesMesh([
      { x: 20, y: 5, width: 10, depth: 20, height: 10, rotation: 30 },
      { x: 0, y: 0, width: 10, depth: 10, height: 15 },
    ]);
    const real = snappyCells(readFileSync(path.join(__dirname, "mesher-logs/log.snappyHexMesh"), "utf8"))!;
    expect(real).toBeGreaterThan(10_000);
    const estimate = planDomain(site, 45, "coarse").estimatedCells;
    expect(Math.abs(estimate - real) / real).toBeLessThan(0.1);
  });

  test("finer levels cost more cells, and the estimate scales with the site, not its units", () => {
    const coarse = planDomain(cube, 270, "coarse").estimatedCells;
    const medium = planDomain(cube, 270, "medium").estimatedCells;
    const fine = planDomain(cube, 270, "fine").estimatedCells;
    expect(coarse).toBeLessThan(medium);
    expect(medium).toBeLessThan(fine);
    const bigCube = boxMesh({ x: 0, y: 0, width: 100, depth: 100, height: 100 });
    expect(planDomain(bigCube, 270, "coarse").estimatedCells).toBe(coarse);
  });
});
