/**
 * The system/ and constant/ dictionaries of a wind case, modelled on OpenFOAM's
 * `incompressible/simpleFoam/windAroundBuildings` (mesh) and `turbineSiting` (atmospheric
 * boundary layer) tutorials. Pure: parameters in, file text out. Self-contained (no
 * `#includeEtc`), so a case reads the same on any OpenFOAM v1912+ installation.
 */
import { CELLS_BETWEEN_LEVELS, type DomainPlan } from "./domain";
import type { Vec3 } from "../geometry/mesh";
import { foamFile, num, vec } from "./foam";

/** The buildings surface in constant/triSurface, and its extracted feature edges. */
export const SURFACE_FILE = "buildings.obj";
export const FEATURE_FILE = "buildings.eMesh";
/** Patch names; the post-processor reads them from the field files' boundaryField. */
export const PATCHES = { inlet: "inlet", outlet: "outlet", ground: "ground", sides: "sides", top: "top", buildings: "buildings" } as const;

const dictionary = (object: string, body: string, location = "system") => foamFile({ class: "dictionary", object, location }, body);

export function blockMeshDict(domain: DomainPlan): string {
  const [nx, ny, nz] = domain.cells;
  return dictionary(
    "blockMeshDict",
    `
// Background mesh aligned with the wind (flow along the first edge), in world coordinates.
// Sector ${domain.direction} deg: flow towards ${num(domain.flowAngle)} deg counter-clockwise from +x.
scale 1;

vertices
(
${domain.corners.map((c) => `    ${vec(c)}`).join("\n")}
);

blocks
(
    hex (0 1 2 3 4 5 6 7) (${nx} ${ny} ${nz}) simpleGrading (1 1 1)
);

edges
(
);

boundary
(
    ${PATCHES.inlet}
    {
        type patch;
        faces ((0 3 7 4));
    }
    ${PATCHES.outlet}
    {
        type patch;
        faces ((1 5 6 2));
    }
    ${PATCHES.ground}
    {
        type wall;
        faces ((0 1 2 3));
    }
    ${PATCHES.sides}
    {
        type symmetry;
        faces ((0 4 5 1) (3 2 6 7));
    }
    ${PATCHES.top}
    {
        type symmetry;
        faces ((4 7 6 5));
    }
);

mergePatchPairs
(
);
`,
  );
}

/** v1912 name and keywords: `surfaceFeatureExtractDict`, `extractionMethod extractFromSurface`. */
export function surfaceFeatureExtractDict(): string {
  return dictionary(
    "surfaceFeatureExtractDict",
    `
${SURFACE_FILE}
{
    extractionMethod    extractFromSurface;
    // Edges between faces meeting at less than this angle are features (building corners).
    includedAngle       150;
    geometricTestOnly   no;
    subsetFeatures
    {
        nonManifoldEdges    yes;
        openEdges           yes;
    }
    trimFeatures
    {
        minElem     0;
        minLen      0;
    }
    writeObj            no;
}
`,
  );
}

/** snappyHexMesh's quality limits (OpenFOAM's caseDicts/mesh/generation/meshQualityDict.cfg). */
export const MESH_QUALITY = {
  maxNonOrtho: 65,
  maxBoundarySkewness: 20,
  maxInternalSkewness: 4,
  maxConcave: 80,
  minVol: 1e-13,
  minTetQuality: 1e-15,
  minArea: -1,
  minTwist: 0.02,
  minDeterminant: 0.001,
  minFaceWeight: 0.05,
  minVolRatio: 0.01,
  minTriangleTwist: -1,
} as const;

export function snappyHexMeshDict(domain: DomainPlan, maxGlobalCells: number): string {
  const quality = Object.entries(MESH_QUALITY)
    .map(([key, value]) => `    ${key.padEnd(20)} ${num(value)};`)
    .join("\n");
  return dictionary(
    "snappyHexMeshDict",
    `
castellatedMesh true;
snap            true;
addLayers       false;

geometry
{
    ${SURFACE_FILE}
    {
        type triSurfaceMesh;
        name ${PATCHES.buildings};
    }
    wake
    {
        type    searchableRotatedBox;
        origin  ${vec(domain.wake.origin)};
        span    ${vec(domain.wake.span)};
        e1      ${vec(domain.wake.e1)};
        e3      ${vec(domain.wake.e3)};
    }
}

castellatedMeshControls
{
    maxLocalCells       ${Math.max(100000, Math.ceil(maxGlobalCells))};
    maxGlobalCells      ${Math.ceil(maxGlobalCells)};
    minRefinementCells  10;
    maxLoadUnbalance    0.10;
    nCellsBetweenLevels ${CELLS_BETWEEN_LEVELS};
    features
    (
        { file "${FEATURE_FILE}"; level ${domain.surfaceLevel}; }
    );
    refinementSurfaces
    {
        ${PATCHES.buildings}
        {
            level (${domain.surfaceLevel} ${domain.surfaceLevel});
            patchInfo { type wall; }
        }
    }
    resolveFeatureAngle 30;
    refinementRegions
    {
        wake
        {
            mode    inside;
            levels  ((1e15 ${domain.wake.level}));
        }
    }
    locationInMesh ${vec(domain.locationInMesh)};
    allowFreeStandingZoneFaces true;
}

snapControls
{
    nSmoothPatch        3;
    tolerance           2.0;
    nSolveIter          100;
    nRelaxIter          5;
    nFeatureSnapIter    10;
    explicitFeatureSnap     true;
    implicitFeatureSnap     false;
    multiRegionFeatureSnap  false;
}

addLayersControls
{
    relativeSizes       true;
    layers
    {
    }
    expansionRatio      1.2;
    finalLayerThickness 0.5;
    minThickness        0.1;
    nGrow               0;
    featureAngle        60;
    nRelaxIter          3;
    nSmoothSurfaceNormals 1;
    nSmoothNormals      3;
    nSmoothThickness    10;
    maxFaceThicknessRatio 0.5;
    maxThicknessToMedialRatio 0.3;
    minMedialAxisAngle  90;
    nBufferCellsNoExtrude 0;
    nLayerIter          50;
}

meshQualityControls
{
${quality}
    nSmoothScale        4;
    errorReduction      0.75;
    relaxed
    {
        maxNonOrtho     75;
    }
}

mergeTolerance 1e-6;
`,
  );
}

export interface ControlSettings {
  /** simpleFoam iterations at most (SIMPLE steady state: one per unit of time). */
  iterations: number;
  /** Where to record U in the approaching flow when the result is written (see `approachProbe`). */
  probe: Vec3;
}

/** The probes function object's name: its output is postProcessing/<name>/0/U. */
export const PROBE_NAME = "approachFlow";

export function controlDict(settings: ControlSettings): string {
  return dictionary(
    "controlDict",
    `
application     simpleFoam;
// The inlet conditions (atmBoundaryLayerInlet*) and the rough wall function live here.
libs            ("libatmosphericModels.so");

startFrom       startTime;
startTime       0;
stopAt          endTime;
endTime         ${settings.iterations};
deltaT          1;

// Only the final state is written: at convergence (residualControl) or at endTime.
writeControl    timeStep;
writeInterval   ${settings.iterations};
purgeWrite      0;
// ASCII, so the post-processor reads the fields without OpenFOAM.
writeFormat     ascii;
writePrecision  8;
writeCompression off;
timeFormat      general;
timePrecision   6;
runTimeModifiable false;

functions
{
    // U of the undisturbed approaching flow at the reference height: checks the inlet profile.
    ${PROBE_NAME}
    {
        type            probes;
        libs            ("libsampling.so");
        writeControl    writeTime;
        fields          (U);
        probeLocations  (${vec(settings.probe)});
    }
}
`,
  );
}

export function fvSchemes(): string {
  return dictionary(
    "fvSchemes",
    `
ddtSchemes
{
    default         steadyState;
}

gradSchemes
{
    default         Gauss linear;
    limited         cellLimited Gauss linear 1;
    grad(U)         $limited;
    grad(k)         $limited;
    grad(epsilon)   $limited;
}

divSchemes
{
    default         none;
    div(phi,U)      bounded Gauss linearUpwind limited;
    turbulence      bounded Gauss limitedLinear 1;
    div(phi,k)      $turbulence;
    div(phi,epsilon) $turbulence;
    div((nuEff*dev2(T(grad(U))))) Gauss linear;
}

laplacianSchemes
{
    default         Gauss linear limited corrected 0.33;
}

interpolationSchemes
{
    default         linear;
}

snGradSchemes
{
    default         limited corrected 0.33;
}

wallDist
{
    method meshWave;
}
`,
  );
}

export interface SolutionSettings {
  /** Initial residual every equation must fall below for the run to stop as converged. */
  residualTarget: number;
}

export function fvSolution(settings: SolutionSettings): string {
  return dictionary(
    "fvSolution",
    `
solvers
{
    p
    {
        solver          GAMG;
        smoother        GaussSeidel;
        tolerance       1e-7;
        relTol          0.1;
    }

    "(U|k|epsilon)"
    {
        solver          smoothSolver;
        smoother        symGaussSeidel;
        tolerance       1e-8;
        relTol          0.1;
    }
}

SIMPLE
{
    nNonOrthogonalCorrectors 1;
    consistent      false;
    residualControl
    {
        p               ${num(settings.residualTarget)};
        U               ${num(settings.residualTarget)};
        "(k|epsilon)"   ${num(settings.residualTarget)};
    }
}

relaxationFactors
{
    fields
    {
        p               0.3;
    }
    equations
    {
        U               0.7;
        "(k|epsilon)"   0.7;
    }
}
`,
  );
}

/**
 * Method `simple` (scotch is a stub in Debian's build): `n` splits the domain along x, y, z;
 * the product must equal the number of processes.
 */
export function decomposeParDict(processes: number): string {
  const [a, b, c] = simpleSplit(processes);
  return dictionary(
    "decomposeParDict",
    `
numberOfSubdomains ${processes};
method          simple;

simpleCoeffs
{
    n           (${a} ${b} ${c});
    delta       0.001;
}
`,
  );
}

/** Splits n processes over x (along the wind, the longest side) then y: 4 → 2 2 1, 6 → 3 2 1, 7 → 7 1 1. */
export function simpleSplit(processes: number): [number, number, number] {
  for (let y = Math.floor(Math.sqrt(processes)); y > 1; y--) {
    if (processes % y === 0) return [processes / y, y, 1];
  }
  return [processes, 1, 1];
}

export function transportProperties(): string {
  return dictionary(
    "transportProperties",
    `
transportModel  Newtonian;
// Air at about 15 °C.
nu              1.5e-05;
`,
    "constant",
  );
}

/**
 * Standard k-epsilon with sigmaEps = 1.11 so the inlet profile stays in equilibrium with the
 * model (Richards & Hoxey 1993; Hargreaves & Wright 2007), as in the turbineSiting tutorial.
 */
export function turbulenceProperties(): string {
  return dictionary(
    "turbulenceProperties",
    `
simulationType  RAS;

RAS
{
    RASModel        kEpsilon;
    turbulence      on;
    printCoeffs     on;
    kEpsilonCoeffs
    {
        Cmu         0.09;
        C1          1.44;
        C2          1.92;
        sigmak      1.0;
        sigmaEps    1.11;
    }
}
`,
    "constant",
  );
}
