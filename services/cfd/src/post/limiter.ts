/**
 * Bounded concurrency for heavy work (parsing fields of millions of cells, comfort over every
 * sector): at most `maxActive` jobs run, up to `maxQueued` wait, and the rest are refused with
 * 503 and Retry-After instead of piling up memory.
 */
import { HttpProblem } from "@abode/service-kit";

export class WorkLimiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    readonly maxActive: number,
    readonly maxQueued: number,
  ) {}

  get running(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiting.length;
  }

  async run<T>(job: () => Promise<T>): Promise<T> {
    if (this.active >= this.maxActive) {
      if (this.waiting.length >= this.maxQueued) {
        throw new HttpProblem(503, "busy", `The post-processor is busy (${this.active} jobs running, ${this.waiting.length} queued); retry shortly.`, {
          retryAfterSeconds: 5,
        });
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.active++;
    }
    try {
      return await job();
    } finally {
      const next = this.waiting.shift();
      // Hand the slot straight to the next job: `active` stays the same.
      if (next) next();
      else this.active--;
    }
  }
}
