/**
 * Routes the solver (`/cases`) and the mesher (`/meshes`) share: list, status, log tail and
 * cancel; and the readiness checks (OpenFOAM or the cluster through the runner, a writable
 * cases volume).
 */
import { access, constants, mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { HttpProblem, type Service } from "@abode/service-kit";
import type { CaseRunner } from "../runner/types";
import type { CaseJobs } from "./jobs";
import { tailFiles } from "./logs";
import type { CaseRecord } from "./record";

export const DEFAULT_TAIL = 100;
export const MAX_TAIL = 10_000;

/** A case as the API shows it: case.json plus where to find its log. */
export function caseView(record: CaseRecord, base: string) {
  return { ...record, links: { self: `${base}/${record.id}`, log: `${base}/${record.id}/log` } };
}

export function caseSummary(record: CaseRecord, base: string) {
  return {
    id: record.id,
    status: record.status,
    progress: record.progress,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    directions: record.request.directions,
    meshLevel: record.request.meshLevel,
    estimatedCells: record.mesh.estimatedCells,
    reason: record.reason,
    links: { self: `${base}/${record.id}` },
  };
}

const notFound = (base: string, id: string) => new HttpProblem(404, "not_found", `No ${base.slice(1, -1)} ${id}`, { id });

export function registerCaseRoutes(service: Service, jobs: CaseJobs, base: "/cases" | "/meshes"): void {
  service.route({
    method: "GET",
    url: base,
    handler: async () => ({ [base.slice(1)]: (await jobs.list()).reverse().map((r) => caseSummary(r, base)) }),
  });

  service.route({
    method: "GET",
    url: `${base}/:id`,
    handler: async ({ request }) => {
      const { id } = request.params as { id: string };
      const record = await jobs.get(id);
      if (!record || record.kind !== jobs.kind) throw notFound(base, id);
      return caseView(record, base);
    },
  });

  service.route({
    method: "DELETE",
    url: `${base}/:id`,
    handler: async ({ request }) => {
      const { id } = request.params as { id: string };
      const record = await jobs.cancel(id);
      if (!record) throw notFound(base, id);
      return caseView(record, base);
    },
  });

  // Plain text, so `curl …/log` reads like the OpenFOAM log it is.
  service.app.get(`${base}/:id/log`, async (request, reply) => {
    const { id } = request.params as { id: string };
    const query = request.query as { tail?: string; sector?: string };
    const tail = query.tail === undefined ? DEFAULT_TAIL : Number(query.tail);
    if (!Number.isInteger(tail) || tail < 1 || tail > MAX_TAIL) {
      throw new HttpProblem(400, "invalid_request", `tail: must be an integer from 1 to ${MAX_TAIL}`, { fields: [{ field: "tail", message: `integer 1..${MAX_TAIL}` }] });
    }
    const record = await jobs.get(id);
    if (!record || record.kind !== jobs.kind) throw notFound(base, id);
    let sector = record.sectors.filter((s) => s.status !== "queued" && s.status !== "cancelled").at(-1) ?? record.sectors[0];
    if (query.sector !== undefined) {
      const wanted = record.sectors.find((s) => String(s.direction) === query.sector);
      if (!wanted) {
        throw new HttpProblem(400, "invalid_request", `sector: this case has sectors ${record.sectors.map((s) => s.direction).join(", ")}`, {
          fields: [{ field: "sector", message: "not a sector of this case" }],
        });
      }
      sector = wanted;
    }
    let lines = await tailFiles(jobs.logFiles(record, sector), tail);
    // A remote run's log files arrive with its results; until then, what it streamed.
    if (lines.length === 0) lines = jobs.streamedTail(id).slice(-tail);
    return reply
      .type("text/plain; charset=utf-8")
      .header("x-case-status", record.status)
      .header("x-sector", String(sector.direction))
      .send(lines.length > 0 ? `${lines.join("\n")}\n` : "");
  });
}

/** /readyz: the runner can run (OpenFOAM present, or the cluster reachable) and the cases volume takes writes. */
export function registerReadiness(service: Service, runner: CaseRunner, casesDir: string): void {
  if (runner.readiness) service.addReadinessCheck({ name: "runner", check: () => runner.readiness!() });
  service.addReadinessCheck({ name: "cases volume", check: () => writable(casesDir) });
}

export async function writable(dir: string): Promise<string | undefined> {
  const probe = path.join(dir, `.ready-${process.pid}`);
  try {
    await mkdir(dir, { recursive: true });
    await access(dir, constants.W_OK);
    await writeFile(probe, "");
    await rm(probe, { force: true });
    return undefined;
  } catch (error) {
    return `${dir} is not writable: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`;
  }
}
