/**
 * The dictionaries, as OpenFOAM reads them: rendered into a case directory and queried with
 * OpenFOAM's own `foamDictionary`, so a syntax slip fails here, not in a solver run.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { decomposeParDict, simpleSplit } from "../src/case/dictionaries";
import { planDomain } from "../src/case/domain";
import { meshSteps, solveSteps, logFileOf } from "../src/case/plan";
import { sectorFiles } from "../src/case/sector";
import { dissipationAt, speedAt, turbulentKineticEnergy } from "../src/case/wind";
import { boxesMesh } from "../src/geometry/boxes";
import { parseObj } from "../src/geometry/obj";
import { geometryProblems } from "../src/geometry/validate";
import { commandLine } from "../src/runner/local";

const site = boxesMesh([
  { x: 0, y: 0, width: 10, depth: 10, height: 20 },
  { x: 25, y: 5, width: 12, depth: 8, height: 9, rotation: 20 },
]);
const flow = { referenceSpeed: 8, referenceHeight: 10, z0: 0.3, iterations: 250, residualTarget: 2e-4 };
const domain = planDomain(site, 45, "coarse");
const files = sectorFiles({ buildings: site, domain, maxCells: 1_000_000, processes: 4, flow });

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "cfd-dicts-"));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `foamDictionary <file> -entry <a/b/c> -value`, OpenFOAM's reading of one entry. */
function entry(file: string, scoped: string): string {
  try {
    return execFileSync("foamDictionary", [file, "-entry", scoped, "-value"], {
      cwd: dir,
      env: { ...process.env, PWD: dir, WM_PROJECT_DIR: process.env.WM_PROJECT_DIR || "/usr/share/openfoam" },
      encoding: "utf8",
    })
      .trim()
      // foamDictionary pads brackets: "( 2 2 1 )".
      .replace(/\(\s+/g, "(")
      .replace(/\s+\)/g, ")");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new Error("OpenFOAM not found: foamDictionary is not on PATH (apt-get install --no-install-recommends openfoam)");
    throw error;
  }
}

const numbers = (text: string) => text.replace(/[()]/g, " ").trim().split(/\s+/).map(Number);

test("a sector case has every file the tools read, and the buildings as a closed OBJ", () => {
  expect(Object.keys(files).sort()).toEqual([
    "0/U", "0/epsilon", "0/k", "0/nut", "0/p",
    "constant/transportProperties", "constant/triSurface/buildings.obj", "constant/turbulenceProperties",
    "system/blockMeshDict", "system/controlDict", "system/decomposeParDict", "system/fvSchemes", "system/fvSolution",
    "system/snappyHexMeshDict", "system/surfaceFeatureExtractDict",
  ]);
  expect(geometryProblems(parseObj(files["constant/triSurface/buildings.obj"]))).toEqual([]);
  const meshOnly = sectorFiles({ buildings: site, domain, maxCells: 1_000_000, processes: 1 });
  expect(Object.keys(meshOnly).filter((f) => f.startsWith("0/") || f.endsWith("decomposeParDict"))).toEqual([]);
});

describe("OpenFOAM reads the dictionaries as meant", () => {
  test("blockMeshDict: the rotated background block with its cell counts and patches", () => {
    const vertices = numbers(entry("system/blockMeshDict", "vertices"));
    expect(vertices).toHaveLength(24);
    expect(vertices[0]).toBeCloseTo(domain.corners[0].x, 4);
    expect(entry("system/blockMeshDict", "blocks")).toContain(`(${domain.cells.join(" ")})`);
    const boundary = entry("system/blockMeshDict", "boundary");
    for (const patch of ["inlet", "outlet", "ground", "sides", "top"]) expect(boundary).toContain(patch);
  });

  test("snappyHexMeshDict: the buildings surface, its features, the rotated wake box and the point in the fluid", () => {
    const snappy = "system/snappyHexMeshDict";
    expect(entry(snappy, "geometry/buildings.obj/name")).toBe("buildings");
    expect(entry(snappy, "geometry/wake/type")).toBe("searchableRotatedBox");
    expect(numbers(entry(snappy, "geometry/wake/e1"))[0]).toBeCloseTo(-Math.SQRT1_2, 6);
    expect(entry(snappy, "castellatedMeshControls/refinementSurfaces/buildings/level")).toBe(`(${domain.surfaceLevel} ${domain.surfaceLevel})`);
    expect(entry(snappy, "castellatedMeshControls/features")).toContain("buildings.eMesh");
    expect(numbers(entry(snappy, "castellatedMeshControls/locationInMesh"))[2]).toBeCloseTo(domain.locationInMesh.z, 3);
    expect(entry(snappy, "castellatedMeshControls/maxGlobalCells")).toBe("1000000");
    expect(entry(snappy, "meshQualityControls/maxNonOrtho")).toBe("65");
    expect(entry("system/surfaceFeatureExtractDict", "buildings.obj/includedAngle")).toBe("150");
  });

  test("controlDict: the iteration budget, ASCII output and the approach-flow probe", () => {
    expect(entry("system/controlDict", "endTime")).toBe("250");
    expect(entry("system/controlDict", "writeInterval")).toBe("250");
    expect(entry("system/controlDict", "writeFormat")).toBe("ascii");
    expect(entry("system/controlDict", "functions/approachFlow/type")).toBe("probes");
    expect(numbers(entry("system/fvSolution", "SIMPLE/residualControl/p"))[0]).toBe(2e-4);
    expect(entry("system/decomposeParDict", "method")).toBe("simple");
    expect(entry("system/decomposeParDict", "simpleCoeffs/n")).toBe("(2 2 1)");
  });

  test("0/: atmospheric boundary layer inlet, rough ground, smooth buildings, symmetry sides and top", () => {
    expect(entry("0/U", "boundaryField/inlet/type")).toBe("atmBoundaryLayerInletVelocity");
    expect(numbers(entry("0/U", "boundaryField/inlet/flowDir")).slice(0, 2).map((v) => Number(v.toFixed(6)))).toEqual([-0.707107, -0.707107]);
    expect(entry("0/U", "boundaryField/inlet/Uref")).toBe("8");
    expect(entry("0/U", "boundaryField/inlet/Zref")).toBe("10");
    expect(entry("0/k", "boundaryField/inlet/type")).toBe("atmBoundaryLayerInletK");
    expect(entry("0/epsilon", "boundaryField/inlet/type")).toBe("atmBoundaryLayerInletEpsilon");
    expect(entry("0/nut", "boundaryField/ground/type")).toBe("nutkAtmRoughWallFunction");
    expect(entry("0/nut", "boundaryField/ground/z0")).toBe("uniform 0.3");
    expect(entry("0/nut", "boundaryField/buildings/type")).toBe("nutkWallFunction");
    expect(entry("0/U", "boundaryField/sides/type")).toBe("symmetry");
    expect(entry("0/p", "boundaryField/outlet/type")).toBe("fixedValue");
    // Uniform initial turbulence from the inlet profile.
    expect(Number(entry("0/k", "internalField").replace("uniform", ""))).toBeCloseTo(turbulentKineticEnergy(flow), 4);
    expect(Number(entry("0/epsilon", "internalField").replace("uniform", ""))).toBeCloseTo(dissipationAt(flow, 10), 4);
    expect(speedAt(flow, 10)).toBeCloseTo(8, 12);
  });
});

describe("run plans", () => {
  test("serial: mesh then solve then cell centres and volumes, as in the tutorial's Allrun", () => {
    expect([...meshSteps(1), ...solveSteps(1)].map((s) => [s.command, ...s.args].join(" "))).toEqual([
      "blockMesh",
      "surfaceFeatureExtract",
      "snappyHexMesh -overwrite",
      "simpleFoam",
      "postProcess -funcs (writeCellCentres writeCellVolumes) -latestTime",
    ]);
  });

  test("parallel: decomposed snapping and solving, reconstructed; each step with its own log file", () => {
    const steps = [...meshSteps(4), ...solveSteps(4)];
    expect(steps.map((s) => `${s.command}${s.parallel ? " (mpi)" : ""}`)).toEqual([
      "blockMesh",
      "surfaceFeatureExtract",
      "decomposePar",
      "snappyHexMesh (mpi)",
      "reconstructParMesh",
      "decomposePar",
      "simpleFoam (mpi)",
      "reconstructPar",
      "postProcess",
    ]);
    const logs = steps.map(logFileOf);
    expect(new Set(logs).size).toBe(logs.length);
    expect(commandLine(steps[6], 4, true)).toEqual(["mpirun", ["-np", "4", "--allow-run-as-root", "simpleFoam", "-parallel"]]);
    expect(commandLine(steps[6], 4, false)).toEqual(["mpirun", ["-np", "4", "simpleFoam", "-parallel"]]);
    expect(commandLine(steps[6], 1, true)).toEqual(["simpleFoam", []]);
  });

  test.each([
    [1, [1, 1, 1]],
    [2, [2, 1, 1]],
    [4, [2, 2, 1]],
    [6, [3, 2, 1]],
    [7, [7, 1, 1]],
    [16, [4, 4, 1]],
  ])("simple decomposition of %i processes: %j", (n, split) => {
    expect(simpleSplit(n)).toEqual(split);
    expect(decomposeParDict(n)).toContain(`numberOfSubdomains ${n};`);
  });
});
