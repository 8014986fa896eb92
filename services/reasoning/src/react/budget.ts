/** The per-request limits: wall time and tokens. */
import { HttpProblem } from "@abode/service-kit";
import type { TokenUsage } from "../llm/model";

export class Budget {
  private readonly deadline: AbortController = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private readonly started = Date.now();
  /** Aborts on the deadline or when the caller goes away. */
  readonly signal: AbortSignal;
  readonly usage: TokenUsage & { modelCalls: number } = { promptTokens: 0, completionTokens: 0, totalTokens: 0, modelCalls: 0 };

  constructor(
    readonly timeMs: number,
    readonly tokens: number,
    caller: AbortSignal,
  ) {
    this.timer = setTimeout(() => this.deadline.abort(new Error("time budget exceeded")), timeMs);
    this.signal = AbortSignal.any([this.deadline.signal, caller]);
  }

  get timeExceeded(): boolean {
    return this.deadline.signal.aborted;
  }

  get tokensLeft(): number {
    return this.tokens - this.usage.totalTokens;
  }

  add(usage: TokenUsage): void {
    this.usage.promptTokens += usage.promptTokens;
    this.usage.completionTokens += usage.completionTokens;
    this.usage.totalTokens += usage.totalTokens;
    this.usage.modelCalls += 1;
  }

  timeError(details: Record<string, unknown>): HttpProblem {
    return new HttpProblem(504, "time_budget_exceeded", `The time budget of ${this.timeMs} ms (REASON_TIME_BUDGET_MS) ran out before an answer.`, {
      budget: { name: "time", limitMs: this.timeMs, usedMs: Date.now() - this.started },
      ...details,
    });
  }

  tokenError(details: Record<string, unknown>): HttpProblem {
    return new HttpProblem(
      422,
      "token_budget_exceeded",
      `The token budget of ${this.tokens} tokens (REASON_TOKEN_BUDGET) ran out before an answer (used ${this.usage.totalTokens}).`,
      { budget: { name: "tokens", limit: this.tokens, used: this.usage.totalTokens }, ...details },
    );
  }

  dispose(): void {
    clearTimeout(this.timer);
  }
}
