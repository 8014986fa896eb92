/**
 * The ReAct loop: ask the model for a Thought and an Action, run the tool, hand the result
 * back as an Observation, until `Finish[answer]` or a limit. A malformed reply gets one
 * correction; tool failures are observations the model can recover from.
 */
import { HttpProblem } from "@abode/service-kit";
import { excerpt } from "../tools/http";
import { invokeTool } from "../tools/registry";
import type { Tool } from "../tools/tool";
import { modelFailure, type ChatMessage, type ChatModel, type Completion } from "../llm/model";
import type { Budget } from "./budget";
import { parseReply, withoutInventedObservation, type ParsedReply } from "./parse";
import { correctionMessage, observationMessage, questionMessage, systemPrompt } from "./prompt";

export interface Step {
  thought: string;
  /** A tool name, or `Finish`. */
  action: string;
  /** The tool input as the model wrote it, or the answer for `Finish`. */
  input: unknown;
  /** What the tool returned (or the error it met); null for `Finish`. */
  observation: string | null;
  outcome: "ok" | "tool_error" | "invalid_input" | "finish";
  durationMs: number;
  /** Present when the first reply of this step was malformed and the model was corrected once. */
  correction?: { problem: string; rawOutput: string };
}

export interface ReasonResult {
  answer: string;
  steps: Step[];
  usage: Budget["usage"];
}

export interface ReactRun {
  question: string;
  tools: readonly Tool[];
  maxSteps: number;
  model: ChatModel;
  /** Where the model lives, for error messages. */
  modelBaseUrl: string;
  maxTokensPerStep: number;
  budget: Budget;
  /** The caller went away: stop without spending more. */
  caller: AbortSignal;
  onStep?(step: Step): void;
  /** A completion failed (network, auth, 5xx): readiness should look again. */
  onModelFailure?(): void;
}

const RAW_OUTPUT_EXCERPT_CHARS = 500;

type Turn = { reply: Exclude<ParsedReply, { kind: "invalid" }>; text: string; correction?: Step["correction"] };

export async function runReact(run: ReactRun): Promise<ReasonResult> {
  const { budget } = run;
  const steps: Step[] = [];
  const toolNames = run.tools.map((tool) => tool.name);
  const byName = new Map(run.tools.map((tool) => [tool.name as string, tool]));
  const messages: ChatMessage[] = [
    { role: "system", content: systemPrompt(run.tools) },
    { role: "user", content: questionMessage(run.question) },
  ];
  const details = () => ({ steps, usage: budget.usage });

  const stopped = (): HttpProblem | undefined => {
    if (budget.timeExceeded) return budget.timeError(details());
    if (run.caller.aborted) return new HttpProblem(499, "client_closed_request", "The client went away; the run was stopped.");
    return undefined;
  };

  const ask = async (conversation: ChatMessage[]): Promise<Completion> => {
    if (budget.tokensLeft <= 0) throw budget.tokenError(details());
    let completion: Completion;
    try {
      completion = await run.model.complete(conversation, { signal: budget.signal, maxTokens: Math.min(run.maxTokensPerStep, budget.tokensLeft) });
    } catch (error) {
      const stop = stopped();
      if (stop) throw stop;
      run.onModelFailure?.();
      throw modelFailure(error, run.modelBaseUrl);
    }
    if (!completion.usage) {
      throw new HttpProblem(502, "model_usage_missing", "The model endpoint reported no token usage, so the token budget cannot be enforced.", details());
    }
    budget.add(completion.usage);
    if (budget.tokensLeft < 0) throw budget.tokenError(details());
    return completion;
  };

  const read = (completion: Completion): ParsedReply =>
    completion.finishReason === "length"
      ? { kind: "invalid", problem: "the reply was cut off at the token limit before the Action was complete" }
      : parseReply(completion.text, toolNames);

  const nextTurn = async (): Promise<Turn> => {
    const first = await ask(messages);
    const parsed = read(first);
    if (parsed.kind !== "invalid") return { reply: parsed, text: first.text };
    const correction = { problem: parsed.problem, rawOutput: excerpt(first.text, RAW_OUTPUT_EXCERPT_CHARS) };
    // The failed reply and the correction are shown once, then dropped from the transcript.
    const second = await ask([...messages, { role: "assistant", content: first.text }, { role: "user", content: correctionMessage(parsed.problem, toolNames) }]);
    const retried = read(second);
    if (retried.kind === "invalid") {
      throw new HttpProblem(502, "model_output_invalid", `The model's reply could not be used after one correction: ${retried.problem}.`, {
        problem: retried.problem,
        rawOutput: excerpt(second.text, RAW_OUTPUT_EXCERPT_CHARS),
        firstAttempt: correction,
        ...details(),
      });
    }
    return { reply: retried, text: second.text, correction };
  };

  for (let number = 1; number <= run.maxSteps; number++) {
    const started = performance.now();
    const turn = await nextTurn();
    const { reply } = turn;
    if (reply.kind === "finish") {
      const step: Step = { thought: reply.thought, action: "Finish", input: reply.answer, observation: null, outcome: "finish", durationMs: elapsed(started), correction: turn.correction };
      steps.push(step);
      run.onStep?.(step);
      return { answer: reply.answer, steps, usage: budget.usage };
    }
    const result = await invokeTool(byName.get(reply.tool)!, reply.input, { signal: budget.signal });
    const stop = stopped();
    if (stop) throw stop;
    const step: Step = {
      thought: reply.thought,
      action: reply.tool,
      input: reply.input,
      observation: result.observation,
      outcome: result.outcome,
      durationMs: elapsed(started),
      correction: turn.correction,
    };
    steps.push(step);
    run.onStep?.(step);
    messages.push({ role: "assistant", content: withoutInventedObservation(turn.text) });
    messages.push({ role: "user", content: observationMessage(result.observation, run.maxSteps - number) });
  }
  throw new HttpProblem(422, "step_limit_reached", `No Finish within ${run.maxSteps} steps (maxSteps).`, { budget: { name: "steps", limit: run.maxSteps }, ...details() });
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}
