/**
 * A readiness probe's answer kept for a while, so frequent /readyz polls (every few seconds,
 * from each kubelet and the dev healthcheck) cost at most one upstream call per period, and
 * concurrent polls share the call in flight. Failures are kept for less time than successes,
 * so a recovered upstream is noticed quickly.
 */
export interface ProbeCacheOptions {
  okForMs: number;
  failedForMs: number;
  now?: () => number;
}

export function cachedProbe<T>(probe: () => Promise<T>, options: ProbeCacheOptions): () => Promise<T> {
  const now = options.now ?? Date.now;
  let settled: { at: number; ok: boolean; value?: T; error?: unknown } | undefined;
  let inFlight: Promise<T> | undefined;
  return () => {
    if (settled && now() - settled.at < (settled.ok ? options.okForMs : options.failedForMs)) {
      return settled.ok ? Promise.resolve(settled.value as T) : Promise.reject(settled.error);
    }
    inFlight ??= probe().then(
      (value) => {
        settled = { at: now(), ok: true, value };
        inFlight = undefined;
        return value;
      },
      (error: unknown) => {
        settled = { at: now(), ok: false, error };
        inFlight = undefined;
        throw error;
      },
    );
    return inFlight;
  };
}
