/**
 * Whether the model can be used, probed at most once per TTL (readiness probes and requests
 * share the answer; concurrent callers share one probe in flight).
 */
export class CachedProbe {
  private value: { reason: string | undefined; at: number } | undefined;
  private inFlight: Promise<string | undefined> | undefined;

  constructor(
    private readonly probe: () => Promise<string | undefined>,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async reason(): Promise<string | undefined> {
    if (this.value && this.now() - this.value.at < this.ttlMs) return this.value.reason;
    this.inFlight ??= this.probe()
      .catch((error: unknown) => `probe failed: ${(error as Error).message}`)
      .then((reason) => {
        this.value = { reason, at: this.now() };
        this.inFlight = undefined;
        return reason;
      });
    return this.inFlight;
  }

  /** After a failed call, the next caller probes again instead of trusting a stale "ready". */
  invalidate(): void {
    this.value = undefined;
  }
}
