/**
 * The OpenFOAM commands of one sector, in order, as in the windAroundBuildings tutorial's
 * Allrun/Allrun-parallel. With several processes the mesh is snapped and the flow solved under
 * MPI (decomposePar method `simple`), then reconstructed so every result lies in one case.
 */
import type { RunStep } from "../runner/types";
import type { CaseKind } from "./record";

/** Functions run after simpleFoam so the latest time holds cell centres `C` and volumes `V`. */
export const POST_FUNCTIONS = ["writeCellCentres", "writeCellVolumes"] as const;

export function meshSteps(processes: number): RunStep[] {
  const background: RunStep[] = [
    { command: "blockMesh", args: [] },
    { command: "surfaceFeatureExtract", args: [] },
  ];
  if (processes <= 1) return [...background, { command: "snappyHexMesh", args: ["-overwrite"] }];
  return [
    ...background,
    // Fields in 0/ are left alone: they are decomposed with the final mesh below.
    { command: "decomposePar", args: ["-force", "-noZero"], log: "decomposePar.background" },
    { command: "snappyHexMesh", args: ["-overwrite"], parallel: true },
    { command: "reconstructParMesh", args: ["-constant"] },
  ];
}

export function solveSteps(processes: number): RunStep[] {
  const post: RunStep = { command: "postProcess", args: ["-funcs", `(${POST_FUNCTIONS.join(" ")})`, "-latestTime"] };
  if (processes <= 1) return [{ command: "simpleFoam", args: [] }, post];
  return [
    { command: "decomposePar", args: ["-force"] },
    { command: "simpleFoam", args: [], parallel: true },
    { command: "reconstructPar", args: ["-latestTime"] },
    post,
  ];
}

export const checkMeshStep: RunStep = { command: "checkMesh", args: ["-constant"] };

/** The log file a step writes in the sector directory. */
export const logFileOf = (step: RunStep) => `log.${step.log ?? step.command}`;

/** Every step of one sector: a wind case meshes, solves and writes C and V; a mesh case meshes and is checked. */
export function caseSteps(kind: CaseKind, processes: number): RunStep[] {
  return kind === "solve" ? [...meshSteps(processes), ...solveSteps(processes)] : [...meshSteps(processes), checkMeshStep];
}
