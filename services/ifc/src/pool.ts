/**
 * A fixed number of web-ifc worker threads: the concurrency bound. A job waits (FIFO) for an
 * idle worker; a worker that fails, times out or whose wasm heap grew past the recycle size is
 * replaced, since wasm memory never shrinks and a trapped engine cannot be trusted.
 */
import path from "node:path";
import { Worker } from "node:worker_threads";
import type { Job, JobReply } from "./jobs";
import type { WorkerMessage } from "./worker";

export interface PoolOptions {
  size: number;
  jobTimeoutMs: number;
  /** Replace a worker after a job that left its wasm heap above this. */
  recycleHeapBytes: number;
  /** Told about replaced workers and failures. */
  onEvent?: (event: PoolEvent) => void;
}

export type PoolEvent =
  | { kind: "worker-ready"; worker: number }
  | { kind: "worker-init-failed"; worker: number; message: string }
  | { kind: "worker-exit"; worker: number; code: number; during: "job" | "idle" }
  | { kind: "worker-recycled"; worker: number; reason: string };

/** Thrown by `run` when the pool cannot take the job (closing, or no worker could start). */
export class PoolUnavailable extends Error {}

interface Pending {
  job: Job;
  resolve: (reply: JobReply) => void;
  reject: (error: Error) => void;
}

interface Slot {
  index: number;
  worker: Worker;
  state: "starting" | "idle" | "busy" | "stopping";
  /** Set once web-ifc initialised in this worker. */
  initialised: boolean;
  lastError?: string;
  current?: Pending & { timer: NodeJS.Timeout };
}

/**
 * How to start worker.ts: the compiled `worker.js` next to this file in production; the
 * TypeScript source through @swc-node/register when this file itself runs from source (tests).
 */
function workerEntry(): { file: string; execArgv: string[] } {
  const ext = path.extname(__filename);
  const file = path.join(__dirname, `worker${ext}`);
  return ext === ".ts" ? { file, execArgv: ["--require", require.resolve("@swc-node/register")] } : { file, execArgv: [] };
}

export class WorkerPool {
  private readonly slots: (Slot | undefined)[];
  private readonly queue: Pending[] = [];
  private closing = false;
  private everReady = false;
  private initError: string | undefined;
  private readonly entry = workerEntry();

  constructor(private readonly options: PoolOptions) {
    this.slots = Array.from({ length: options.size }, () => undefined);
    for (let i = 0; i < options.size; i++) this.spawn(i);
  }

  /**
   * Why the pool cannot serve, or undefined when a worker has web-ifc initialised, or one is
   * being replaced after the pool has served before (jobs wait for it in the queue).
   */
  notReadyReason(): string | undefined {
    if (this.slots.some((s) => s && (s.state === "idle" || s.state === "busy"))) return undefined;
    if (this.initError) return `web-ifc failed to initialise: ${this.initError}`;
    if (this.everReady && this.slots.some((s) => s !== undefined)) return undefined;
    return "web-ifc wasm is not initialised yet";
  }

  run(job: Job): Promise<JobReply> {
    if (this.closing) return Promise.reject(new PoolUnavailable("shutting down"));
    if (this.slots.every((s) => s === undefined)) return Promise.reject(new PoolUnavailable(this.notReadyReason()));
    return new Promise((resolve, reject) => {
      this.queue.push({ job, resolve, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    for (const pending of this.queue.splice(0)) pending.reject(new PoolUnavailable("shutting down"));
    await Promise.all(
      this.slots.map((slot) => {
        if (!slot) return undefined;
        slot.state = "stopping";
        return slot.worker.terminate();
      }),
    );
  }

  private spawn(index: number): void {
    if (this.closing) return;
    const worker = new Worker(this.entry.file, { execArgv: this.entry.execArgv });
    const slot: Slot = { index, worker, state: "starting", initialised: false };
    this.slots[index] = slot;
    worker.on("message", (message: WorkerMessage) => this.onMessage(slot, message));
    // An uncaught error ends the worker; the exit handler below deals with it.
    worker.on("error", (error) => void (slot.lastError = error.message));
    worker.on("exit", (code) => this.onExit(slot, code));
  }

  private onMessage(slot: Slot, message: WorkerMessage): void {
    if (message.kind === "ready") {
      slot.state = "idle";
      slot.initialised = true;
      this.everReady = true;
      this.initError = undefined;
      this.options.onEvent?.({ kind: "worker-ready", worker: slot.index });
      this.dispatch();
    } else if (message.kind === "init-failed") {
      // Not retried: a wasm that does not load will not load on the next try either.
      this.initError = message.message;
      this.options.onEvent?.({ kind: "worker-init-failed", worker: slot.index, message: message.message });
      slot.state = "stopping";
      void slot.worker.terminate();
    } else {
      const current = slot.current;
      if (!current) return;
      clearTimeout(current.timer);
      slot.current = undefined;
      const { reply } = message;
      const recycle = !reply.ok && reply.broken ? "web-ifc failed" : reply.heapBytes > this.options.recycleHeapBytes ? `wasm heap ${Math.round(reply.heapBytes / 2 ** 20)} MiB` : undefined;
      if (recycle) this.replace(slot, recycle);
      else slot.state = "idle";
      current.resolve(reply);
      this.dispatch();
    }
  }

  private onExit(slot: Slot, code: number): void {
    if (this.slots[slot.index] !== slot) return;
    this.slots[slot.index] = undefined;
    const current = slot.current;
    slot.current = undefined;
    if (current) {
      clearTimeout(current.timer);
      current.reject(new Error(`web-ifc worker exited (code ${code}${slot.lastError ? `: ${slot.lastError}` : ""}) while processing the file`));
    }
    if (slot.state !== "stopping") this.options.onEvent?.({ kind: "worker-exit", worker: slot.index, code, during: current ? "job" : "idle" });
    if (this.closing) return;
    if (slot.initialised) {
      this.spawn(slot.index);
      return;
    }
    // Never initialised: starting it again would fail the same way, in a loop.
    this.initError ??= `worker exited (code ${code}${slot.lastError ? `: ${slot.lastError}` : ""}) before web-ifc initialised`;
    if (this.slots.every((s) => s === undefined)) {
      for (const pending of this.queue.splice(0)) pending.reject(new PoolUnavailable(this.notReadyReason()));
    }
  }

  /** Stops the worker and starts a fresh one in its place. */
  private replace(slot: Slot, reason: string): void {
    this.options.onEvent?.({ kind: "worker-recycled", worker: slot.index, reason });
    slot.state = "stopping";
    void slot.worker.terminate();
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (!slot || slot.state !== "idle") continue;
      const pending = this.queue.shift()!;
      slot.state = "busy";
      const timer = setTimeout(() => {
        // Rejected now; the exit that follows the terminate starts a replacement.
        const current = slot.current;
        slot.current = undefined;
        slot.state = "stopping";
        void slot.worker.terminate();
        current?.reject(new JobTimeout(this.options.jobTimeoutMs));
      }, this.options.jobTimeoutMs);
      slot.current = { ...pending, timer };
      const { bytes } = pending.job;
      // Hand the upload over without copying when it owns its memory (large bodies do).
      const transferable = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && !(bytes.buffer instanceof SharedArrayBuffer);
      slot.worker.postMessage(pending.job, transferable ? [bytes.buffer as ArrayBuffer] : []);
    }
  }
}

export class JobTimeout extends Error {
  constructor(readonly ms: number) {
    super(`processing took longer than ${ms / 1000} s`);
  }
}
