/** Routes of the reasoning service: POST /reason (JSON or server-sent events) and GET /tools. */
import { HttpProblem, type Service } from "@abode/service-kit";
import type { FastifyRequest } from "fastify";
import { z } from "zod";
import { DEFAULT_MAX_STEPS, type ReasoningConfig } from "./config";
import { ChatModel } from "./llm/model";
import { CachedProbe } from "./llm/readiness";
import { Budget } from "./react/budget";
import { runReact, type ReactRun } from "./react/loop";
import { toolSchema } from "./react/prompt";
import { EventStream, registerEventStreamHeaders, wantsEventStream } from "./sse";
import { buildToolset, type Toolset } from "./tools/registry";
import { TOOL_NAMES, type Tool } from "./tools/tool";

export function reasonRequestSchema(toolset: Toolset, maxStepsLimit: number) {
  const unavailable = new Map(toolset.unavailable.map((tool) => [tool.name as string, tool.reason]));
  return z.strictObject({
    question: z.string().trim().min(1).max(4000),
    /** A subset of the tools; all available ones when absent. */
    tools: z
      .array(z.enum(TOOL_NAMES))
      .max(TOOL_NAMES.length)
      .superRefine((names, ctx) => {
        names.forEach((name, index) => {
          const reason = unavailable.get(name);
          if (reason) ctx.addIssue({ code: "custom", path: [index], message: `not available on this deployment: ${reason}` });
        });
      })
      .optional(),
    maxSteps: z.number().int().min(1).max(maxStepsLimit).optional(),
  });
}

const ReasonQuery = z.object({ stream: z.enum(["true", "false"]).optional() });

/** Aborts when the client's connection closes before the answer (stops spending tokens). */
function callerSignal(request: FastifyRequest): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const socket = request.socket;
  const onClose = () => controller.abort(new Error("client went away"));
  if (socket.destroyed) onClose();
  else socket.once("close", onClose);
  return { signal: controller.signal, dispose: () => void socket.off("close", onClose) };
}

function problemEvent(error: unknown): Record<string, unknown> {
  if (error instanceof HttpProblem) return { status: error.statusCode, error: error.code, message: error.message, ...error.details };
  return { status: 500, error: "internal", message: "Internal error; see the service logs." };
}

export function registerReasoningRoutes(service: Service, config: ReasoningConfig): void {
  const toolset = buildToolset(config.tools);
  const { baseUrl, model: modelName } = config.model;
  const model = baseUrl && modelName ? new ChatModel({ ...config.model, baseUrl, model: modelName }) : undefined;
  const missing = !baseUrl ? "LLM_BASE_URL is not set" : !modelName ? "LLM_MODEL is not set" : undefined;
  const probe = new CachedProbe(async () => missing ?? model!.unavailableReason(), config.model.probeTtlMs);
  service.addReadinessCheck({ name: "model", check: () => probe.reason() });
  // Probe once at start so the first readiness check usually finds the answer cached.
  void probe.reason();
  registerEventStreamHeaders(service.app);

  const toolsReport = (offered: readonly Tool[]) => ({ offered: offered.map((tool) => tool.name), unavailable: toolset.unavailable });

  service.route({
    method: "GET",
    url: "/tools",
    handler: () => ({
      available: [...toolset.available.values()].map((tool) => ({ name: tool.name, description: tool.description, inputSchema: JSON.parse(toolSchema(tool)) })),
      unavailable: toolset.unavailable,
    }),
  });

  service.route({
    method: "POST",
    url: "/reason",
    body: reasonRequestSchema(toolset, config.limits.maxStepsLimit),
    bodyLimitBytes: 16 * 1024,
    query: ReasonQuery,
    handler: async ({ body, query, request, log }) => {
      const stream = wantsEventStream(request.headers.accept, query.stream);
      const reason = await probe.reason();
      if (reason || !model) throw new HttpProblem(503, "model_unavailable", `The language model is not available: ${reason ?? missing}.`);
      const names = body.tools ? [...new Set(body.tools)] : [...toolset.available.keys()];
      const tools = names.map((name) => toolset.available.get(name)!);
      const caller = callerSignal(request);
      const budget = new Budget(config.limits.timeBudgetMs, config.limits.tokenBudget, caller.signal);
      const run: ReactRun = {
        question: body.question,
        tools,
        maxSteps: body.maxSteps ?? Math.min(DEFAULT_MAX_STEPS, config.limits.maxStepsLimit),
        model,
        modelBaseUrl: baseUrl!,
        maxTokensPerStep: config.model.maxTokensPerStep,
        budget,
        caller: caller.signal,
        onModelFailure: () => probe.invalidate(),
      };
      const finished = (outcome: string) => {
        budget.dispose();
        caller.dispose();
        log.info({ outcome, model_calls: budget.usage.modelCalls, total_tokens: budget.usage.totalTokens }, "reasoning finished");
      };

      if (!stream) {
        try {
          const result = await runReact(run);
          finished("answer");
          return { answer: result.answer, steps: result.steps, usage: result.usage, model: model.model, tools: toolsReport(tools) };
        } catch (error) {
          finished(error instanceof HttpProblem ? error.code : "internal");
          throw error;
        }
      }

      const events = new EventStream();
      events.send("start", { model: model.model, tools: toolsReport(tools), maxSteps: run.maxSteps });
      runReact({ ...run, onStep: (step) => events.send("step", step) })
        .then(
          (result) => {
            finished("answer");
            events.send("done", { answer: result.answer, usage: result.usage });
          },
          (error: unknown) => {
            if (!(error instanceof HttpProblem)) log.error({ err: error }, "reasoning failed");
            finished(error instanceof HttpProblem ? error.code : "internal");
            events.send("error", problemEvent(error));
          },
        )
        .finally(() => events.finish());
      return events;
    },
  });
}
