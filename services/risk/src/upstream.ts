/**
 * One upstream HTTP JSON API behind the policies the issue asks for: a per-attempt timeout,
 * retries with exponential backoff for transient failures, and a circuit breaker that stops
 * calling an upstream that keeps failing (cockatiel does the mechanics).
 */
import { BrokenCircuitError, CircuitState, ConsecutiveBreaker, ExponentialBackoff, circuitBreaker, handleType, retry, wrap } from "cockatiel";

export type FailureKind =
  /** No answer within the attempt's time limit. */
  | "timeout"
  /** Connection refused/reset, DNS failure. */
  | "network"
  /** A 5xx or 429, or an error envelope meaning the upstream is failing. */
  | "unavailable"
  /** The upstream refused the request itself (4xx, or an error envelope about the input). */
  | "rejected"
  /** A body that is not the documented JSON. */
  | "malformed"
  /** The circuit is open: the upstream failed repeatedly and is not being called. */
  | "circuit_open";

export class UpstreamFailure extends Error {
  constructor(
    readonly upstream: string,
    readonly kind: FailureKind,
    message: string,
  ) {
    super(message);
    this.name = "UpstreamFailure";
  }

  /** Worth another attempt: the same request may well succeed in a moment. */
  get transient(): boolean {
    return this.kind === "timeout" || this.kind === "network" || this.kind === "unavailable";
  }

  /** Says something about the upstream's health (a refused input does not). */
  get countsAgainstUpstream(): boolean {
    return this.kind !== "rejected";
  }
}

export interface UpstreamOptions {
  timeoutMs: number;
  retries: number;
  breakerThreshold: number;
  breakerCooldownMs: number;
  /** @default 200 */
  retryBaseDelayMs?: number;
}

export interface Upstream {
  readonly name: string;
  /**
   * GETs `url` and hands the parsed JSON to `interpret`, which returns the value or throws an
   * `UpstreamFailure` (e.g. for an error envelope or a body that fails its schema).
   */
  getJson<T>(url: string, interpret: (body: unknown, status: number) => T): Promise<T>;
  /** Why the upstream is not usable right now, if it is not. */
  unavailableReason(): string | undefined;
}

export function createUpstream(name: string, options: UpstreamOptions): Upstream {
  const breaker = circuitBreaker(
    handleType(UpstreamFailure, (failure) => failure.countsAgainstUpstream),
    { halfOpenAfter: options.breakerCooldownMs, breaker: new ConsecutiveBreaker(options.breakerThreshold) },
  );
  const retries = retry(handleType(UpstreamFailure, (failure) => failure.transient), {
    maxAttempts: options.retries,
    backoff: new ExponentialBackoff({ initialDelay: options.retryBaseDelayMs ?? 200, maxDelay: 5_000 }),
  });
  // The breaker sits outside the retries: one lookup that exhausts its retries is one failure.
  const policy = wrap(breaker, retries);
  let lastFailure = "";

  async function attempt<T>(url: string, interpret: (body: unknown, status: number) => T): Promise<T> {
    let response: Response;
    try {
      response = await fetch(url, { headers: { accept: "application/json" }, signal: AbortSignal.timeout(options.timeoutMs) });
    } catch (error) {
      const err = error as Error;
      if (err.name === "TimeoutError") throw new UpstreamFailure(name, "timeout", `${name} did not answer within ${options.timeoutMs} ms`);
      const cause = (err.cause as Error | undefined)?.message ?? err.message;
      throw new UpstreamFailure(name, "network", `${name} could not be reached: ${cause}`);
    }
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      const timedOut = (error as Error).name === "TimeoutError";
      throw new UpstreamFailure(name, timedOut ? "timeout" : "network", `${name} ${timedOut ? `did not finish its answer within ${options.timeoutMs} ms` : "broke off its answer"}`);
    }
    if (response.status === 429 || response.status >= 500) {
      throw new UpstreamFailure(name, "unavailable", `${name} answered HTTP ${response.status}${excerpt(text)}`);
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new UpstreamFailure(name, response.ok ? "malformed" : "rejected", `${name} answered HTTP ${response.status} with a body that is not JSON${excerpt(text)}`);
    }
    return interpret(body, response.status);
  }

  return {
    name,
    async getJson(url, interpret) {
      try {
        return await policy.execute(() => attempt(url, interpret));
      } catch (error) {
        if (error instanceof BrokenCircuitError) {
          throw new UpstreamFailure(name, "circuit_open", `${name} is failing (${lastFailure}); not calling it for up to ${Math.round(options.breakerCooldownMs / 1000)} s`);
        }
        if (error instanceof UpstreamFailure && error.countsAgainstUpstream) lastFailure = error.message;
        throw error;
      }
    },
    unavailableReason() {
      return breaker.state === CircuitState.Open ? `circuit open after ${options.breakerThreshold} failed lookups in a row; last: ${lastFailure}` : undefined;
    },
  };
}

function excerpt(text: string): string {
  const trimmed = text.trim().replace(/\s+/g, " ");
  return trimmed ? `: ${trimmed.length > 200 ? `${trimmed.slice(0, 200)}…` : trimmed}` : "";
}
