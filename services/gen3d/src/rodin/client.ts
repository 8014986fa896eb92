/**
 * Rodin (Hyper3D) API v2: POST /rodin (multipart) → task; POST /status → job states;
 * POST /download → short-lived links. Nothing is retried: a submit costs credits, and
 * clients poll status and links anyway.
 */
import { HttpProblem, fieldProblems } from "@abode/service-kit";
import { z } from "zod";
import { rodinErrorField, rodinFailure } from "./failures";

export const JOB_STATUSES = ["Waiting", "Generating", "Done", "Failed"] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

const SubmitResponse = z.object({
  uuid: z.string().min(1),
  jobs: z.object({ uuids: z.array(z.string().min(1)), subscription_key: z.string().min(1) }),
});
const StatusResponse = z.object({ jobs: z.array(z.object({ uuid: z.string().min(1), status: z.enum(JOB_STATUSES) })).min(1) });
const DownloadResponse = z.object({ list: z.array(z.object({ name: z.string(), url: z.url() })) });

export type Submitted = z.infer<typeof SubmitResponse>;

export interface RodinOptions {
  apiKey: string;
  baseUrl: string;
  timeoutMs: number;
}

const EXCERPT_CHARS = 300;

export class RodinClient {
  constructor(private readonly options: RodinOptions) {}

  submit(form: FormData): Promise<Submitted> {
    return this.call("task submission", "/rodin", form, SubmitResponse);
  }

  async status(subscriptionKey: string) {
    return (await this.call("status", "/status", JSON.stringify({ subscription_key: subscriptionKey }), StatusResponse)).jobs;
  }

  async download(taskUuid: string) {
    return (await this.call("download", "/download", JSON.stringify({ task_uuid: taskUuid }), DownloadResponse)).list;
  }

  private async call<S extends z.ZodType>(operation: string, path: string, body: FormData | string, schema: S): Promise<z.infer<S>> {
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    const headers: Record<string, string> = { authorization: `Bearer ${this.options.apiKey}`, accept: "application/json" };
    // FormData sets its own multipart content type with the boundary.
    if (typeof body === "string") headers["content-type"] = "application/json";
    let response: Response;
    let text: string;
    try {
      response = await fetch(`${this.options.baseUrl.replace(/\/+$/, "")}${path}`, { method: "POST", headers, body, signal: timeout, redirect: "error" });
      text = await response.text();
    } catch (error) {
      if (timeout.aborted) {
        throw new HttpProblem(502, "rodin_timeout", `Rodin did not answer ${operation} within ${this.options.timeoutMs} ms (RODIN_TIMEOUT_MS).`);
      }
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new HttpProblem(502, "rodin_unreachable", `Rodin is unreachable (${cause?.code ?? cause?.message ?? (error as Error).message}).`);
    }
    if (!response.ok) throw rodinFailure(operation, response.status, text, response.headers.get("retry-after"));
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new HttpProblem(502, "rodin_bad_response", `Rodin answered ${operation} with a body that is not JSON.`, { bodyExcerpt: text.slice(0, EXCERPT_CHARS) });
    }
    if (rodinErrorField(json)) throw rodinFailure(operation, response.status, text);
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      throw new HttpProblem(502, "rodin_bad_response", `Rodin's ${operation} answer does not have the documented shape.`, {
        fields: fieldProblems(parsed.error),
        bodyExcerpt: text.slice(0, EXCERPT_CHARS),
      });
    }
    return parsed.data;
  }
}
