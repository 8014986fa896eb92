/**
 * Publishes every case.json the solver writes to `cases/<caseId>/case.json` in the bucket, so
 * that services without the solver's volume (the post-processor in prod) see the case. The
 * local file stays the source of truth: publishing never blocks or fails a write. Per case the
 * newest record wins: one upload at a time, writes made meanwhile collapse into the next one;
 * a failed upload is logged and retried on the case's next write, or after a back-off when no
 * write comes (the last write of a case, `succeeded`, must get there too).
 */
import type { Logger } from "@abode/service-kit";
import type { RecordMirror } from "../case/record";
import { caseRecordKey } from "./layout";
import { describeS3Error, type CaseStore } from "./s3";

export interface S3RecordMirrorOptions {
  store: Pick<CaseStore, "bucket" | "putObject">;
  log: Pick<Logger, "warn">;
  /** First retry after a failed upload, doubled on each failure up to `maxRetryMs`. @default 30000 */
  retryMs?: number;
  /** @default 600000 */
  maxRetryMs?: number;
}

interface CaseMirror {
  /** The newest record not yet uploaded. */
  pending?: string;
  uploading?: Promise<void>;
  retry?: NodeJS.Timeout;
  failures: number;
}

export class S3RecordMirror implements RecordMirror {
  private readonly cases = new Map<string, CaseMirror>();
  private closed = false;

  constructor(private readonly options: S3RecordMirrorOptions) {}

  recordWritten(caseId: string, json: string): void {
    let state = this.cases.get(caseId);
    if (!state) {
      state = { failures: 0 };
      this.cases.set(caseId, state);
    }
    state.pending = json;
    // A new write is the retry: no need to wait for the back-off.
    clearTimeout(state.retry);
    state.retry = undefined;
    this.upload(caseId, state);
  }

  /** Shutdown: uploads what is pending once more, waits for the uploads, cancels later retries. */
  async close(): Promise<void> {
    this.closed = true;
    for (const [caseId, state] of this.cases) {
      clearTimeout(state.retry);
      state.retry = undefined;
      this.upload(caseId, state, true);
    }
    while ([...this.cases.values()].some((s) => s.uploading)) {
      await Promise.all([...this.cases.values()].map((s) => s.uploading));
    }
  }

  private upload(caseId: string, state: CaseMirror, finalAttempt = false): void {
    if (state.uploading || state.pending === undefined) return;
    const body = state.pending;
    state.pending = undefined;
    let retryLater = false;
    state.uploading = this.options.store
      .putObject(caseRecordKey(caseId), body, "application/json")
      .then(
        () => {
          state.failures = 0;
        },
        (error: unknown) => {
          state.failures += 1;
          // Superseded by a newer write meanwhile: that one goes next. Otherwise this one, later.
          if (state.pending === undefined) {
            state.pending = body;
            retryLater = true;
          }
          this.options.log.warn(
            { case_id: caseId, bucket: this.options.store.bucket, failures: state.failures, reason: describeS3Error(error) },
            finalAttempt || this.closed ? "could not publish case.json to S3 before shutdown" : "could not publish case.json to S3; retrying on the next write or after a back-off",
          );
        },
      )
      .finally(() => {
        state.uploading = undefined;
        if (this.closed && (finalAttempt || retryLater)) return;
        if (retryLater) {
          const delay = Math.min((this.options.retryMs ?? 30_000) * 2 ** (state.failures - 1), this.options.maxRetryMs ?? 600_000);
          state.retry = setTimeout(() => {
            state.retry = undefined;
            this.upload(caseId, state);
          }, delay);
          state.retry.unref();
        } else if (state.pending !== undefined) {
          this.upload(caseId, state);
        } else {
          this.cases.delete(caseId);
        }
      });
  }
}
