/** Tiny real OpenFOAM cases for the Job tests (Debian's OpenFOAM v1912 runs each in well under a second). */
import { promises as fs } from "node:fs";
import path from "node:path";

const header = (object: string, kind = "dictionary") => `FoamFile { version 2.0; format ascii; class ${kind}; object ${object}; }\n`;

const BLOCK =
  `${header("blockMeshDict")}scale 1;\nvertices ( (0 0 0) (4 0 0) (4 2 0) (0 2 0) (0 0 2) (4 0 2) (4 2 2) (0 2 2) );\n` +
  "blocks ( hex (0 1 2 3 4 5 6 7) (4 2 2) simpleGrading (1 1 1) );\n" +
  "boundary ( lid { type wall; faces ( (4 5 6 7) ); } walls { type wall; faces ( (0 4 7 3) (1 2 6 5) (0 1 5 4) (3 7 6 2) (0 3 2 1) ); } );\n";

const SCHEMES =
  `${header("fvSchemes")}ddtSchemes { default Euler; } gradSchemes { default Gauss linear; } divSchemes { default none; div(phi,U) Gauss linear; }\n` +
  "laplacianSchemes { default Gauss linear corrected; } interpolationSchemes { default linear; } snGradSchemes { default corrected; }\n";

async function write(dir: string, files: Record<string, string>): Promise<string> {
  for (const [file, text] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await fs.writeFile(path.join(dir, file), text);
  }
  return dir;
}

/** A 4 x 2 x 2 block: blockMesh, decomposePar (simple, 2 subdomains) and checkMesh succeed; simpleFoam fails (no fields). */
export function writeBlockCase(dir: string): Promise<string> {
  return write(dir, {
    "system/controlDict": `${header("controlDict")}application simpleFoam; startFrom startTime; startTime 0; stopAt endTime; endTime 1; deltaT 1; writeControl timeStep; writeInterval 1;\n`,
    "system/blockMeshDict": BLOCK,
    "system/fvSchemes": SCHEMES,
    "system/fvSolution": header("fvSolution"),
    "system/decomposeParDict": `${header("decomposeParDict")}numberOfSubdomains 2; method simple; coeffs { n (2 1 1); }\n`,
  });
}

/** The same block as a lid-driven cavity for icoFoam that runs `endTime` / 0.01 time steps (a long run, to be stopped). */
export function writeLidDrivenCase(dir: string, endTime: number): Promise<string> {
  const patches = (lid: string, walls: string) => `boundaryField { lid { ${lid} } walls { ${walls} } }\n`;
  return write(dir, {
    "system/controlDict": `${header("controlDict")}application icoFoam; startFrom startTime; startTime 0; stopAt endTime; endTime ${endTime}; deltaT 0.01; writeControl timeStep; writeInterval 100000; runTimeModifiable false;\n`,
    "system/blockMeshDict": BLOCK,
    "system/fvSchemes": SCHEMES,
    "system/fvSolution":
      `${header("fvSolution")}solvers { p { solver PCG; preconditioner DIC; tolerance 1e-06; relTol 0.05; } pFinal { $p; relTol 0; } ` +
      "U { solver smoothSolver; smoother symGaussSeidel; tolerance 1e-05; relTol 0; } }\nPISO { nCorrectors 2; nNonOrthogonalCorrectors 0; pRefCell 0; pRefValue 0; }\n",
    "constant/transportProperties": `${header("transportProperties")}nu 0.01;\n`,
    "0/U": `${header("U", "volVectorField")}dimensions [0 1 -1 0 0 0 0]; internalField uniform (0 0 0);\n${patches("type fixedValue; value uniform (1 0 0);", "type noSlip;")}`,
    "0/p": `${header("p", "volScalarField")}dimensions [0 2 -2 0 0 0 0]; internalField uniform 0;\n${patches("type zeroGradient;", "type zeroGradient;")}`,
  });
}
