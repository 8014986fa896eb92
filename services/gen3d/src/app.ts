/** Routes of the 3D generation service: submit to Rodin, poll a task, fetch fresh download links. */
import { HttpProblem, type Service } from "@abode/service-kit";
import type { FastifyRequest } from "fastify";
import type { Gen3dConfig } from "./config";
import { RodinClient } from "./rodin/client";
import { GENERATE_BODY_LIMIT_BYTES, GenerateRequest, rodinForm } from "./schemas";
import { overallStatus } from "./tasks/status";
import type { TaskRecord, TaskStore } from "./tasks/store";

/** Rodin's documented lifetime of a download link. */
export const LINK_LIFETIME_SECONDS = 600;

const TASK_ID = /^[A-Za-z0-9-]{1,100}$/;

export function registerGen3dRoutes(service: Service, config: Gen3dConfig, store: TaskStore): void {
  const rodin = config.apiKey ? new RodinClient({ apiKey: config.apiKey, baseUrl: config.baseUrl, timeoutMs: config.timeoutMs }) : undefined;
  service.addReadinessCheck({ name: "rodin", check: () => (rodin ? undefined : "RODIN_API_KEY is not set") });

  const client = (): RodinClient => {
    if (!rodin) throw new HttpProblem(503, "rodin_not_configured", "3D generation is not available: RODIN_API_KEY is not set.");
    return rodin;
  };

  const knownTask = (request: FastifyRequest): TaskRecord => {
    const { id } = request.params as { id: string };
    if (!TASK_ID.test(id)) {
      throw new HttpProblem(400, "invalid_request", "Invalid task id: params.id", { fields: [{ field: "params.id", message: "letters, digits and dashes, at most 100" }] });
    }
    const task = store.get(id);
    if (!task) {
      const memory = store.persistent ? "" : " Tasks are kept in memory only (GEN3D_DATA_DIR is not set) and are forgotten on restart.";
      throw new HttpProblem(404, "task_not_found", `No task ${id} was submitted through this service.${memory}`);
    }
    return task;
  };

  service.route({
    method: "POST",
    url: "/generate",
    body: GenerateRequest,
    bodyLimitBytes: GENERATE_BODY_LIMIT_BYTES,
    handler: async ({ body, log }) => {
      const submitted = await client().submit(rodinForm(body));
      const task: TaskRecord = { taskId: submitted.uuid, subscriptionKey: submitted.jobs.subscription_key, jobs: submitted.jobs.uuids, createdAt: new Date().toISOString() };
      await store.add(task);
      log.info({ task_id: task.taskId, jobs: task.jobs.length, images: body.images?.length ?? 0 }, "rodin task submitted");
      return { taskId: task.taskId, subscriptionKey: task.subscriptionKey, jobs: task.jobs, statusUrl: `/tasks/${task.taskId}`, filesUrl: `/tasks/${task.taskId}/files` };
    },
  });

  service.route({
    method: "GET",
    url: "/tasks/:id",
    handler: async ({ request }) => {
      const task = knownTask(request);
      const jobs = await client().status(task.subscriptionKey);
      return { taskId: task.taskId, status: overallStatus(jobs), jobs, createdAt: task.createdAt, checkedAt: new Date().toISOString() };
    },
  });

  service.route({
    method: "GET",
    url: "/tasks/:id/files",
    handler: async ({ request }) => {
      const task = knownTask(request);
      const issued = Date.now();
      const files = await client().download(task.taskId);
      if (files.length === 0) {
        throw new HttpProblem(409, "files_not_ready", `Rodin lists no files for task ${task.taskId} yet; poll GET /tasks/${task.taskId} until it is Done.`);
      }
      return {
        taskId: task.taskId,
        files,
        issuedAt: new Date(issued).toISOString(),
        expiresAt: new Date(issued + LINK_LIFETIME_SECONDS * 1000).toISOString(),
        note: `Rodin's links expire about ${LINK_LIFETIME_SECONDS / 60} minutes after they are issued and are not cached here: download now, or call this endpoint again for fresh ones.`,
      };
    },
  });
}
