/**
 * Calls to platform services on behalf of a tool. Every failure becomes a short text the
 * model can read and act on; nothing here throws for an upstream problem.
 */
export interface CallOptions {
  /** The service's name as the model should read it in an error ("risk", "ai-lighting"). */
  service: string;
  timeoutMs: number;
  signal: AbortSignal;
}

export type CallOutcome = { ok: true; status: number; body: unknown } | { ok: false; problem: string };

const ERROR_EXCERPT_CHARS = 600;

export function excerpt(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… [truncated: ${max} of ${text.length} characters shown]`;
}

/** Why a fetch failed, in words: our own timeout, the request being abandoned, or the network. */
export function describeFetchFailure(error: unknown, options: CallOptions, timeout: AbortSignal): string {
  if (timeout.aborted) return `${options.service} did not answer within ${options.timeoutMs} ms`;
  if (options.signal.aborted) return `call to ${options.service} abandoned (the request is over)`;
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const detail = cause?.code ?? cause?.message ?? (error as Error).message;
  // Redirects are refused on purpose: a service could otherwise point a tool at any host.
  if (detail === "unexpected redirect") return `${options.service} answered with a redirect, which tools do not follow`;
  return `${options.service} is unreachable (${detail})`;
}

export async function callJson(url: string, init: RequestInit, options: CallOptions): Promise<CallOutcome> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, { ...init, redirect: "error", signal: AbortSignal.any([options.signal, timeout]) });
    text = await response.text();
  } catch (error) {
    return { ok: false, problem: describeFetchFailure(error, options, timeout) };
  }
  if (!response.ok) {
    return { ok: false, problem: `${options.service} answered HTTP ${response.status}: ${excerpt(text, ERROR_EXCERPT_CHARS)}` };
  }
  try {
    return { ok: true, status: response.status, body: JSON.parse(text) };
  } catch {
    return { ok: false, problem: `${options.service} answered HTTP ${response.status} with a body that is not JSON: ${excerpt(text, ERROR_EXCERPT_CHARS)}` };
  }
}

/** Compact JSON for the model, cut at `maxChars` with a note saying so. */
export function formatObservation(value: unknown, maxChars: number): string {
  return excerpt(JSON.stringify(value), maxChars);
}
