/** Log parsing on real OpenFOAM v1912 output (test/solver-logs, test/mesher-logs: produced by running the tools on cases these modules wrote). */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseCheckMesh } from "../src/case/check-mesh";
import { divergenceIn, fatalErrorIn, parseSolverLog, phaseOfLine, snappyCells, SolverLogParser, tailFiles } from "../src/case/logs";
import { parseProbeVelocity } from "../src/case/results";

const fixture = (name: string) => readFileSync(path.join(__dirname, name), "utf8");

describe("simpleFoam logs", () => {
  test("a run that used its whole budget: last iteration and each field's first initial residual", () => {
    const progress = parseSolverLog(fixture("solver-logs/log.simpleFoam.budget"));
    expect(progress.iteration).toBe(50);
    expect(progress.converged).toBe(false);
    expect(Object.keys(progress.residuals).sort()).toEqual(["Ux", "Uy", "Uz", "epsilon", "k", "p"]);
    // Iteration 50's p is solved twice (one non-orthogonal corrector): the first solve counts.
    const text = fixture("solver-logs/log.simpleFoam.budget");
    const last = text.slice(text.lastIndexOf("Time = 50"));
    const firstP = Number(/Solving for p, Initial residual = ([^,]+)/.exec(last)![1]);
    expect(progress.residuals.p).toBe(firstP);
    expect(progress.residuals.Ux).toBe(Number(/Solving for Ux, Initial residual = ([^,]+)/.exec(last)![1]));
    for (const value of Object.values(progress.residuals)) expect(value).toBeGreaterThan(0);
  });

  test("a converged run reports convergence and the iteration it stopped at", () => {
    const progress = parseSolverLog(fixture("solver-logs/log.simpleFoam.converged"));
    expect(progress.converged).toBe(true);
    const stated = Number(/SIMPLE solution converged in (\d+) iterations/.exec(fixture("solver-logs/log.simpleFoam.converged"))![1]);
    expect(progress.iteration).toBe(stated);
    expect(Math.max(...Object.values(progress.residuals))).toBeLessThan(0.002);
  });

  test("a diverging run: the floating point exception is found in the stream, not the banner that mentions FPE trapping", () => {
    const lines = fixture("solver-logs/log.simpleFoam.diverged").split("\n");
    const parser = new SolverLogParser();
    let found: { line: number; reason: string } | undefined;
    lines.forEach((line, i) => {
      parser.push(line);
      const reason = divergenceIn(line);
      if (reason && !found) found = { line: i, reason };
    });
    expect(lines.some((l) => l.startsWith("trapFpe: Floating point exception trapping enabled"))).toBe(true);
    expect(found?.reason).toBe("solver diverged: floating point exception");
    expect(lines[found!.line]).toMatch(/sigFpe::sigHandler/);
    expect(parser.iteration).toBeGreaterThan(1);
    expect(parser.converged).toBe(false);
  });

  test("NaN residuals and capped linear solvers are divergence; ordinary lines are not", () => {
    expect(divergenceIn("smoothSolver:  Solving for Ux, Initial residual = nan, Final residual = nan, No Iterations 1000")).toBe("solver diverged: Ux residual is nan");
    expect(divergenceIn("GAMG:  Maximum number of iterations exceeded")).toBe("solver diverged: maximum number of iterations exceeded");
    for (const line of fixture("solver-logs/log.simpleFoam.budget").split("\n")) expect(divergenceIn(line)).toBeUndefined();
  });
});

describe("phases, mesh size and errors", () => {
  test("each tool's banner names the phase it starts", () => {
    expect(phaseOfLine("Exec   : snappyHexMesh -overwrite")).toBe("meshing");
    expect(phaseOfLine("Exec   : simpleFoam -parallel")).toBe("solving");
    expect(phaseOfLine("Exec   : postProcess -funcs (writeCellCentres writeCellVolumes) -latestTime")).toBe("post");
    expect(phaseOfLine("Exec   : decomposePar -force")).toBeUndefined();
    expect(phaseOfLine("Time = 3")).toBeUndefined();
    const banner = fixture("solver-logs/log.simpleFoam.budget").split("\n").find((l) => l.startsWith("Exec"));
    expect(phaseOfLine(banner!)).toBe("solving");
  });

  test("snappyHexMesh's final cell count", () => {
    expect(snappyCells(fixture("mesher-logs/log.snappyHexMesh"))).toBe(17186);
    expect(snappyCells("nothing here")).toBeUndefined();
  });

  test("a FOAM FATAL ERROR's message", () => {
    expect(fatalErrorIn(fixture("mesher-logs/log.blockMesh.fatal").split("\n"))).toMatch(/system\/blockMeshDict"$/);
    expect(fatalErrorIn(fixture("solver-logs/log.simpleFoam.budget").split("\n"))).toBeUndefined();
  });

  test("the approach-flow probe's last sample", () => {
    const text = "# Probe 0 (-47.5 0 10)\n#         Probe               0\n#          Time\n             30               (9.3668827 0.0056974796 0.016999653)\n";
    expect(parseProbeVelocity(text)).toEqual({ x: 9.3668827, y: 0.0056974796, z: 0.016999653 });
    expect(parseProbeVelocity("# only comments\n")).toBeUndefined();
  });
});

describe("checkMesh reports", () => {
  test("a snapped building mesh: sizes, quality figures and an ok verdict", () => {
    const report = parseCheckMesh(fixture("mesher-logs/log.checkMesh.ok"));
    expect(report).toMatchObject({ cells: 17186, faces: 54684, points: 20434, failedChecks: [], verdict: "ok" });
    expect(report.cellTypes.hexahedra).toBeGreaterThan(15000);
    expect(report.maxNonOrthogonality).toBeGreaterThan(20);
    expect(report.maxNonOrthogonality).toBeLessThan(65);
    expect(report.maxSkewness).toBeGreaterThan(0);
    expect(report.maxAspectRatio).toBeGreaterThan(1);
  });

  test("a bad mesh: the failed checks, the remarks and a failed verdict", () => {
    const report = parseCheckMesh(fixture("mesher-logs/log.checkMesh.failed"));
    expect(report.verdict).toBe("failed");
    expect(report.failedChecks).toEqual([
      "High aspect ratio cells found, Max aspect ratio: 2000, number of cells 32",
      "Max skewness = 9.000009, 18 highly skew faces detected which may impair the quality of the results",
    ]);
    expect(report.maxAspectRatio).toBe(2000);
    expect(report.maxSkewness).toBe(9.000009);
    expect(report.maxNonOrthogonality).toBeCloseTo(83.66, 2);
    expect(report.warnings).toEqual(
      expect.arrayContaining(["Number of regions: 2", "Number of severely non-orthogonal (> 70 degrees) faces: 36.", "max non-orthogonality 83.659808° > 65°"]),
    );
  });

  test("warnings only: checks passed, thresholds exceeded", () => {
    const text = fixture("mesher-logs/log.checkMesh.ok").replace(/Mesh non-orthogonality Max: [\d.]+/, "Mesh non-orthogonality Max: 68.2");
    const report = parseCheckMesh(text);
    expect(report.verdict).toBe("warnings");
    expect(report.warnings).toEqual(["max non-orthogonality 68.2° > 65°"]);
  });

  test("a checkMesh that never concluded is a failure", () => {
    const cut = fixture("mesher-logs/log.checkMesh.ok").split("Checking geometry")[0];
    expect(parseCheckMesh(cut).verdict).toBe("failed");
  });
});

test("tailFiles reads the last lines across a sector's log files, newest last", async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "cfd-tail-"));
  try {
    const big = Array.from({ length: 30_000 }, (_, i) => `line ${i}`).join("\n");
    writeFileSync(path.join(dir, "log.a"), "a1\na2\n");
    writeFileSync(path.join(dir, "log.b"), `${big}\n`);
    const files = ["log.a", "log.missing", "log.b"].map((f) => path.join(dir, f));
    expect(await tailFiles(files, 3)).toEqual(["line 29997", "line 29998", "line 29999"]);
    const all = await tailFiles(files, 30_001);
    expect(all[0]).toBe("a2");
    expect(all).toHaveLength(30_001);
    expect(await tailFiles([path.join(dir, "log.missing")], 5)).toEqual([]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
