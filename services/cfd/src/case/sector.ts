/** All files of one sector's OpenFOAM case (one wind direction), by path relative to the sector. */
import type { TriangleMesh } from "../geometry/mesh";
import { writeObj } from "../geometry/obj";
import * as dict from "./dictionaries";
import { approachProbe, type DomainPlan } from "./domain";
import { initialFields } from "./fields";
import type { AtmosphericBoundaryLayer } from "./wind";

export interface SectorCaseInput {
  buildings: TriangleMesh;
  domain: DomainPlan;
  /** snappyHexMesh stops refining beyond this many cells (a safety net under the estimate check). */
  maxCells: number;
  processes: number;
  /** Absent for a mesh-only case. */
  flow?: AtmosphericBoundaryLayer & { iterations: number; residualTarget: number };
}

export function sectorFiles(input: SectorCaseInput): Record<string, string> {
  const { domain, flow } = input;
  const files: Record<string, string> = {
    [`constant/triSurface/${dict.SURFACE_FILE}`]: writeObj(input.buildings, dict.PATCHES.buildings),
    "system/blockMeshDict": dict.blockMeshDict(domain),
    "system/surfaceFeatureExtractDict": dict.surfaceFeatureExtractDict(),
    "system/snappyHexMeshDict": dict.snappyHexMeshDict(domain, input.maxCells),
    "system/controlDict": dict.controlDict({ iterations: flow?.iterations ?? 1, probe: approachProbe(domain, flow?.referenceHeight ?? domain.buildingHeight) }),
    "system/fvSchemes": dict.fvSchemes(),
    "system/fvSolution": dict.fvSolution({ residualTarget: flow?.residualTarget ?? 1e-4 }),
    "constant/transportProperties": dict.transportProperties(),
    "constant/turbulenceProperties": dict.turbulenceProperties(),
  };
  if (input.processes > 1) files["system/decomposeParDict"] = dict.decomposeParDict(input.processes);
  if (flow) {
    for (const [name, text] of Object.entries(initialFields({ ...flow, flowDirection: domain.flowDirection }))) files[`0/${name}`] = text;
  }
  return files;
}
