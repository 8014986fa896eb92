/**
 * The life of cases, shared by the solver and the mesher: a bounded queue, sectors run one
 * after the other through a `CaseRunner`, progress parsed from the streamed log, divergence and
 * timeouts turned into failures, cancellation, and recovery after a restart. All state lives in
 * case.json on the cases volume; memory holds only what is running.
 */
import { randomUUID } from "node:crypto";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { HttpProblem, type Logger } from "@abode/service-kit";
import { meshBounds, triangleCount, type TriangleMesh } from "../geometry/mesh";
import { parseObj, writeObj } from "../geometry/obj";
import type { CaseRunner, RunningCase, RunOutcome } from "../runner/types";
import { parseCheckMesh } from "./check-mesh";
import { approachProbe, planDomain, type DomainPlan } from "./domain";
import { divergenceIn, fatalErrorIn, phaseOfLine, SolverLogParser, snappyCells, type RunPhase } from "./logs";
import { caseSteps, logFileOf } from "./plan";
import { isFinished, type CaseKind, type CaseRecord, type CaseRequestRecord, type CaseStore, type GeometryRecord, type SectorRecord } from "./record";
import { approachVelocity, fieldsAt, latestTime } from "./results";
import { sectorFiles } from "./sector";

export interface CaseJobsOptions {
  store: CaseStore;
  kind: CaseKind;
  runner: CaseRunner;
  /** Cases running at once. */
  concurrency: number;
  /** Cases waiting at most; more is a 503. */
  maxQueued: number;
  /** A sector running longer is stopped and the case failed. */
  sectorTimeoutMs: number;
  /** MPI ranks per run. */
  processes: number;
  /** Refuse cases whose mesh estimate exceeds this. */
  maxCells: number;
  log: Pick<Logger, "info" | "warn" | "error">;
  /** How often progress parsed from the log is written to case.json. @default 1000 */
  persistIntervalMs?: number;
}

export interface NewCase {
  request: CaseRequestRecord;
  buildings: TriangleMesh;
  geometry: Pick<GeometryRecord, "source" | "geometryId" | "format">;
}

const SURFACE = "buildings.obj";
/** Lines of a failure's log tail in case.json, and lines of a running case's stream kept in memory. */
const TAIL_LINES = 40;
const STREAM_LINES = 500;
/** Weight of each phase in a sector's progress. */
const PHASE_PROGRESS: Record<RunPhase, number> = { meshing: 0.05, solving: 0.1, post: 0.95 };

interface ActiveRun {
  running?: RunningCase;
  /** Why this run is being stopped: the client, a failure we detected, or shutdown. */
  stop?: { by: "client" } | { by: "failure"; reason: string } | { by: "shutdown" };
  finished: Promise<void>;
  tail: string[];
}

const now = () => new Date().toISOString();
const stopOf = (run: ActiveRun) => run.stop;

export class CaseJobs {
  private readonly queue: string[] = [];
  private readonly active = new Map<string, ActiveRun>();
  private readonly writes = new Map<string, Promise<void>>();
  private closing = false;

  constructor(private readonly options: CaseJobsOptions) {}

  get store(): CaseStore {
    return this.options.store;
  }

  get kind(): CaseKind {
    return this.options.kind;
  }

  /** The last lines a running case streamed (all of them once its log files are gone or remote). */
  streamedTail(id: string): string[] {
    return [...(this.active.get(id)?.tail ?? [])];
  }

  /** Plans every sector; refuses (422) what cannot run: a mesh over the cell limit, a reference height above the domain. */
  plan(newCase: NewCase): DomainPlan[] {
    const domains = newCase.request.directions.map((direction) => planDomain(newCase.buildings, direction, newCase.request.meshLevel));
    const largest = Math.max(...domains.map((d) => d.estimatedCells));
    if (largest > this.options.maxCells) {
      throw new HttpProblem(422, "mesh_too_large", `mesh estimate of ${largest} cells exceeds the limit of ${this.options.maxCells} (CFD_MAX_CELLS); choose a coarser meshLevel or a smaller site`, {
        estimatedCells: largest,
        maxCells: this.options.maxCells,
        sectors: domains.map((d) => ({ direction: d.direction, estimatedCells: d.estimatedCells })),
      });
    }
    const height = newCase.request.referenceHeight;
    const top = Math.min(...domains.map((d) => d.size.z));
    if (height !== undefined && height >= top) {
      throw new HttpProblem(422, "unprocessable", `referenceHeight ${height} m is above the domain top at ${Math.round(top)} m (6 x the tallest building)`, { field: "referenceHeight" });
    }
    return domains;
  }

  async submit(newCase: NewCase): Promise<CaseRecord> {
    if (this.closing) throw new HttpProblem(503, "shutting_down", "The service is shutting down; submit again shortly.");
    const domains = this.plan(newCase);
    if (this.queue.length >= this.options.maxQueued) {
      throw new HttpProblem(503, "queue_full", `${this.queue.length} cases are already waiting (CFD_MAX_QUEUED); try again later`);
    }
    const id = randomUUID();
    const first = domains[0];
    const stamp = now();
    const record: CaseRecord = {
      id,
      kind: this.options.kind,
      frame: "world",
      status: "queued",
      progress: 0,
      createdAt: stamp,
      updatedAt: stamp,
      request: newCase.request,
      geometry: { ...newCase.geometry, triangles: triangleCount(newCase.buildings), bounds: meshBounds(newCase.buildings), file: SURFACE },
      mesh: {
        level: newCase.request.meshLevel,
        processes: this.options.processes,
        estimatedCells: Math.max(...domains.map((d) => d.estimatedCells)),
        backgroundCellSize: first.cellSize,
        surfaceCellSize: first.surfaceCellSize,
        domainSize: first.size,
        blockage: Math.max(...domains.map((d) => d.blockage)),
      },
      sectors: domains.map((d) => ({
        direction: d.direction,
        path: `sectors/${d.direction}`,
        status: "queued",
        flowAngle: d.flowAngle,
        flowDirection: d.flowDirection,
        estimatedCells: d.estimatedCells,
      })),
      notes: [],
    };
    await mkdir(this.store.caseDir(id), { recursive: true });
    await writeFile(path.join(this.store.caseDir(id), SURFACE), writeObj(newCase.buildings));
    await this.store.write(record);
    this.queue.push(id);
    this.pump();
    return record;
  }

  get(id: string): Promise<CaseRecord | undefined> {
    return this.store.read(id);
  }

  list(): Promise<CaseRecord[]> {
    return this.store.list(this.options.kind);
  }

  /** Queued: dropped. Running: its process group is killed. Finished: 409. Unknown: undefined. */
  async cancel(id: string): Promise<CaseRecord | undefined> {
    const record = await this.store.read(id);
    if (!record || record.kind !== this.options.kind) return undefined;
    if (isFinished(record.status)) throw new HttpProblem(409, "already_finished", `case ${id} already ${record.status}`, { status: record.status });
    const run = this.active.get(id);
    if (run) {
      run.stop ??= { by: "client" };
      await run.running?.cancel();
      await run.finished;
      return this.store.read(id);
    }
    const index = this.queue.indexOf(id);
    if (index >= 0) this.queue.splice(index, 1);
    this.finish(record, "cancelled", "cancelled by the client before it started");
    await this.save(record);
    return record;
  }

  /**
   * After a restart: queued cases queue again, and cases that were running are re-queued from
   * the sector that was interrupted (finished sectors are kept).
   */
  async recover(): Promise<void> {
    for (const record of await this.store.list(this.options.kind)) {
      if (isFinished(record.status)) continue;
      if (record.status !== "queued") {
        const interrupted = record.sectors.filter((s) => !isFinished(s.status) && s.status !== "queued");
        for (const sector of interrupted) Object.assign(sector, { status: "queued", iteration: undefined, residuals: undefined, startedAt: undefined });
        record.status = "queued";
        record.notes.push(`${now()}: re-queued after a service restart (interrupted: sector ${interrupted.map((s) => s.direction).join(", ") || "none"})`);
        this.options.log.warn({ case_id: record.id }, "re-queued a case interrupted by a restart");
        await this.save(record);
      }
      if (!this.queue.includes(record.id)) this.queue.push(record.id);
    }
    this.pump();
  }

  /**
   * Shutdown: detaches from runs that can go on without us (Jobs) and stops the others (local
   * process groups); either way the cases stay unfinished in case.json and are re-queued on the
   * next start.
   */
  async close(): Promise<void> {
    this.closing = true;
    this.queue.length = 0;
    await Promise.all(
      [...this.active.values()].map(async (run) => {
        run.stop ??= { by: "shutdown" };
        const running = run.running;
        if (running?.detach) await running.detach();
        else await running?.cancel();
        await run.finished;
      }),
    );
    await Promise.all(this.writes.values());
  }

  /** The log files of a sector, in the order its steps run. */
  logFiles(record: CaseRecord, sector: SectorRecord): string[] {
    return caseSteps(record.kind, record.mesh.processes).map((step) => path.join(this.store.sectorDir(record.id, sector), logFileOf(step)));
  }

  private pump(): void {
    while (!this.closing && this.active.size < this.options.concurrency && this.queue.length > 0) {
      const id = this.queue.shift()!;
      const run: ActiveRun = { finished: Promise.resolve(), tail: [] };
      this.active.set(id, run);
      run.finished = this.runCase(id, run)
        .catch((error: unknown) => this.options.log.error({ err: error, case_id: id }, "case run crashed"))
        .finally(() => {
          this.active.delete(id);
          this.pump();
        });
    }
  }

  private async runCase(id: string, run: ActiveRun): Promise<void> {
    const record = await this.store.read(id);
    if (!record || record.status !== "queued") return;
    try {
      const buildings = parseObj(await readFile(path.join(this.store.caseDir(id), SURFACE), "utf8"));
      record.startedAt ??= now();
      for (const sector of record.sectors) {
        if (sector.status === "succeeded") continue;
        if (run.stop) break;
        const outcome = await this.runSector(record, sector, buildings, run);
        if (outcome === "stopped") break;
        if (outcome === "failed") return;
      }
      if (run.stop?.by === "shutdown") return; // left as is: re-queued on the next start
      if (run.stop?.by === "client") {
        this.finish(record, "cancelled", "cancelled by the client");
      } else {
        this.finish(record, "succeeded");
      }
      await this.save(record);
    } catch (error) {
      this.finish(record, "failed", `internal error: ${(error as Error).message}`);
      record.logTail = run.tail.slice(-TAIL_LINES);
      await this.save(record);
      throw error;
    }
  }

  /** One sector through the runner; "stopped" when the client or shutdown stopped it. */
  private async runSector(record: CaseRecord, sector: SectorRecord, buildings: TriangleMesh, run: ActiveRun): Promise<"succeeded" | "failed" | "stopped"> {
    const { runner, maxCells, sectorTimeoutMs } = this.options;
    // The case keeps the process count it was planned with, across restarts too.
    const processes = record.mesh.processes;
    const dir = this.store.sectorDir(record.id, sector);
    const domain = planDomain(buildings, sector.direction, record.request.meshLevel);
    await rm(dir, { recursive: true, force: true });
    const files = sectorFiles({
      buildings,
      domain,
      maxCells: maxCells * 2,
      processes,
      flow:
        record.kind === "solve"
          ? {
              referenceSpeed: record.request.referenceSpeed!,
              referenceHeight: record.request.referenceHeight!,
              z0: record.request.z0!,
              iterations: record.request.iterations!,
              residualTarget: record.request.residualTarget!,
            }
          : undefined,
    });
    for (const [file, text] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
      await writeFile(path.join(dir, file), text);
    }

    Object.assign(sector, { status: "meshing", startedAt: now(), reason: undefined });
    if (record.kind === "solve") Object.assign(sector, { iteration: 0, iterations: record.request.iterations, residuals: {}, converged: false });
    record.status = "meshing";
    record.reason = undefined;
    this.updateProgress(record);
    await this.save(record);
    // Stopped while the files were being written: nothing to start.
    if (run.stop) return "stopped";

    run.tail.length = 0;
    const parser = new SolverLogParser();
    let dirty = false;
    const flush = setInterval(() => {
      if (!dirty) return;
      dirty = false;
      void this.save(record);
    }, this.options.persistIntervalMs ?? 1000);
    const stopFor = (reason: string) => {
      if (run.stop) return;
      run.stop = { by: "failure", reason };
      void run.running?.cancel();
    };
    const onLog = (line: string) => {
      run.tail.push(line);
      if (run.tail.length > STREAM_LINES) run.tail.shift();
      const phase = phaseOfLine(line);
      if (phase && phase !== sector.status) {
        sector.status = phase;
        record.status = phase;
        this.updateProgress(record);
        void this.save(record);
      }
      if (sector.status !== "solving") return;
      parser.push(line);
      Object.assign(sector, { iteration: parser.iteration, residuals: parser.residuals, converged: parser.converged });
      this.updateProgress(record);
      dirty = true;
      const divergence = divergenceIn(line);
      if (divergence) stopFor(`${divergence} at iteration ${parser.iteration}`);
    };

    run.running = runner.start({ caseId: record.id, caseDir: dir, steps: caseSteps(record.kind, processes), processes, estimatedCells: sector.estimatedCells, onLog });
    const timer = setTimeout(() => stopFor(`timed out after ${Math.round(sectorTimeoutMs / 1000)} s (CFD_RUN_TIMEOUT_SECONDS)`), sectorTimeoutMs);
    let outcome: RunOutcome;
    try {
      outcome = await run.running.done;
    } finally {
      clearTimeout(timer);
      clearInterval(flush);
      run.running = undefined;
    }

    // Read through a call: the stop was set while we awaited, which narrowing cannot see.
    const stop = stopOf(run);
    if (stop?.by === "failure") return this.failSector(record, sector, run, stop.reason);
    if (outcome.status === "failed") return this.failSector(record, sector, run, outcome.reason);
    if (outcome.status === "cancelled" || stop) {
      if (stop?.by === "client") Object.assign(sector, { status: "cancelled", finishedAt: now() });
      return "stopped";
    }

    try {
      await this.collect(record, sector, dir, domain);
    } catch (error) {
      return this.failSector(record, sector, run, `the run left no usable results: ${(error as Error).message}`);
    }
    sector.status = "succeeded";
    sector.finishedAt = now();
    this.updateProgress(record);
    await this.save(record);
    return "succeeded";
  }

  /** Fails the sector and the case: the reason (with the divergence or FOAM FATAL ERROR found in the log), the log tail; later sectors are not run. */
  private async failSector(record: CaseRecord, sector: SectorRecord, run: ActiveRun, reason: string): Promise<"failed"> {
    const fatal = fatalErrorIn(run.tail);
    const divergence = run.tail.map(divergenceIn).find(Boolean);
    const full = [divergence && !reason.startsWith("solver diverged") ? divergence : undefined, reason, fatal].filter(Boolean).join(": ");
    Object.assign(sector, { status: "failed", finishedAt: now(), reason: full });
    for (const other of record.sectors) {
      if (other.status === "queued") Object.assign(other, { status: "cancelled", reason: `not run: sector ${sector.direction} failed` });
    }
    this.finish(record, "failed", `sector ${sector.direction}: ${full}`);
    record.logTail = run.tail.slice(-TAIL_LINES);
    await this.save(record);
    this.options.log.warn({ case_id: record.id, sector: sector.direction, reason: full }, "case failed");
    return "failed";
  }

  /** Results of a sector whose steps all succeeded. */
  private async collect(record: CaseRecord, sector: SectorRecord, dir: string, domain: DomainPlan): Promise<void> {
    const read = (file: string) => readFile(path.join(dir, file), "utf8").catch(() => "");
    sector.cells = snappyCells(await read("log.snappyHexMesh"));
    if (record.kind === "mesh") {
      sector.quality = parseCheckMesh(await read("log.checkMesh"));
      return;
    }
    const time = await latestTime(dir);
    if (!time) throw new Error("simpleFoam wrote no time directory");
    const velocity = await approachVelocity(dir);
    const speed = velocity ? Math.hypot(velocity.x, velocity.y, velocity.z) : undefined;
    sector.results = {
      latestTime: time,
      fields: await fieldsAt(dir, time),
      approachFlow:
        velocity && speed !== undefined
          ? { location: approachProbe(domain, record.request.referenceHeight!), velocity, speed, ratioToReference: speed / record.request.referenceSpeed! }
          : undefined,
    };
  }

  private finish(record: CaseRecord, status: "succeeded" | "failed" | "cancelled", reason?: string): void {
    record.status = status;
    record.finishedAt = now();
    if (reason) record.reason = reason;
    for (const sector of record.sectors) {
      if (status === "cancelled" && !isFinished(sector.status)) Object.assign(sector, { status: "cancelled", finishedAt: record.finishedAt });
    }
    this.updateProgress(record);
  }

  private updateProgress(record: CaseRecord): void {
    const fraction = (sector: SectorRecord) => {
      if (sector.status === "succeeded") return 1;
      if (sector.status === "solving" && record.request.iterations) return PHASE_PROGRESS.solving + 0.85 * Math.min(1, (sector.iteration ?? 0) / record.request.iterations);
      if (sector.status === "meshing" || sector.status === "solving" || sector.status === "post") return PHASE_PROGRESS[sector.status];
      return 0;
    };
    const total = record.sectors.reduce((sum, s) => sum + fraction(s), 0) / record.sectors.length;
    record.progress = Math.round(total * 1000) / 1000;
  }

  /** Writes case.json; writes of one case happen in order. */
  private save(record: CaseRecord): Promise<void> {
    record.updatedAt = now();
    const snapshot = structuredClone(record);
    const previous = this.writes.get(record.id) ?? Promise.resolve();
    const next = previous.then(() => this.store.write(snapshot)).catch((error: unknown) => this.options.log.error({ err: error, case_id: record.id }, "could not write case.json"));
    this.writes.set(record.id, next);
    void next.finally(() => {
      if (this.writes.get(record.id) === next) this.writes.delete(record.id);
    });
    return next;
  }
}
