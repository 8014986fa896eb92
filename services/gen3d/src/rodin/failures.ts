/** What a failed Rodin call means for our client. Pure: status and body in, problem out. */
import { HttpProblem } from "@abode/service-kit";

const EXCERPT_CHARS = 300;

/** Rodin's own words: `error`/`message`/`detail` of a JSON body, else the start of the text. */
export function rodinMessage(text: string): string {
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    const parts = [body.error, body.message, body.detail].filter((part): part is string => typeof part === "string" && part.length > 0);
    if (parts.length > 0) return [...new Set(parts)].join(": ").slice(0, EXCERPT_CHARS);
  } catch {
    // not JSON: the raw text says what it says
  }
  return text.trim().slice(0, EXCERPT_CHARS) || "(empty body)";
}

/** Rodin reports some refusals in a 2xx body's `error` field. */
export function rodinErrorField(body: unknown): string | undefined {
  if (body === null || typeof body !== "object") return undefined;
  const error = (body as { error?: unknown }).error;
  return typeof error === "string" && error.length > 0 ? error : undefined;
}

const CREDITS = /credit|balance|insufficient|quota/i;

/**
 * - 401/403: our key is wrong → 502 (the operator must fix RODIN_API_KEY).
 * - 402 or a credits/balance message: the platform's account is empty → 503; generation is
 *   unavailable until someone tops it up, which is not the caller's doing.
 * - 429: Rodin's rate limit on the platform's key → 503 with Rodin's Retry-After.
 * - anything else: Rodin failed or refused → 502 with its status and words.
 */
export function rodinFailure(operation: string, status: number, text: string, retryAfter?: string | null): HttpProblem {
  const said = rodinMessage(text);
  const upstream = { upstreamStatus: status, rodinMessage: said };
  if (status === 401 || status === 403) {
    return new HttpProblem(502, "rodin_auth_failed", `Rodin rejected the platform's API key (HTTP ${status}) on ${operation}; check RODIN_API_KEY.`, upstream);
  }
  if (status === 402 || CREDITS.test(said)) {
    return new HttpProblem(503, "rodin_insufficient_credits", `Rodin refused ${operation}: the platform's Rodin account has insufficient credits (Rodin said: ${said}).`, upstream);
  }
  if (status === 429) {
    const seconds = retryAfter && /^\d+$/.test(retryAfter) ? Number(retryAfter) : undefined;
    return new HttpProblem(503, "rodin_rate_limited", `Rodin is rate-limiting the platform's key on ${operation}; try again later.`, { ...upstream, retryAfterSeconds: seconds });
  }
  if (status >= 500) return new HttpProblem(502, "rodin_failed", `Rodin failed on ${operation} (HTTP ${status}): ${said}`, upstream);
  return new HttpProblem(502, "rodin_rejected", `Rodin rejected ${operation} (HTTP ${status}): ${said}`, upstream);
}
