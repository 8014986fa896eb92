import type { IJob } from "kubernetes-models/batch/v1/Job";
import type { IPod } from "kubernetes-models/v1/Pod";
import { CASE_CONTAINER } from "./manifest";

/** Where a case Job stands, read from its conditions. Pure. */
export type JobState = { phase: "running" } | { phase: "succeeded" } | { phase: "failed"; reason: string };

/**
 * `Complete` → succeeded; `Failed` → failed, its reason in words (`DeadlineExceeded`,
 * `PodFailurePolicy` for a failing case container, `BackoffLimitExceeded`); anything else
 * (including `FailureTarget`/`SuccessCriteriaMet`, set while the pods are still terminating)
 * → running.
 */
export function jobState(job: IJob): JobState {
  const conditions = job.status?.conditions ?? [];
  const holds = (type: string) => conditions.find((c) => c.type === type && c.status === "True");
  if (holds("Complete")) return { phase: "succeeded" };
  const failed = holds("Failed");
  if (!failed) return { phase: "running" };
  switch (failed.reason) {
    case "DeadlineExceeded":
      return { phase: "failed", reason: `the run took longer than its ${job.spec?.activeDeadlineSeconds ?? "?"} s deadline and was stopped` };
    case "PodFailurePolicy":
      return { phase: "failed", reason: `the case container failed: ${failed.message ?? "no message"}` };
    case "BackoffLimitExceeded":
      return { phase: "failed", reason: `the Job's pod failed ${(job.spec?.backoffLimit ?? 0) + 1} time(s)` };
    default:
      return { phase: "failed", reason: `${failed.reason ?? "Failed"}: ${failed.message ?? "no message"}` };
  }
}

/**
 * What a pod says about itself worth putting in the case log: waiting for a node (the CFD pool
 * scales from zero), why its container is waiting or how it ended. Undefined when there is
 * nothing to say. Pure.
 */
export function podSituation(pod: IPod): string | undefined {
  const name = pod.metadata?.name ?? "pod";
  const unschedulable = pod.status?.conditions?.find((c) => c.type === "PodScheduled" && c.status === "False");
  if (unschedulable) return `pod ${name} waits for a node: ${unschedulable.message ?? unschedulable.reason ?? "not scheduled yet"}`;
  const container = pod.status?.containerStatuses?.find((c) => c.name === CASE_CONTAINER);
  const waiting = container?.state?.waiting;
  if (waiting?.reason && waiting.reason !== "ContainerCreating") return `pod ${name}: ${waiting.reason}${waiting.message ? ` (${waiting.message})` : ""}`;
  const terminated = container?.state?.terminated;
  if (terminated) return `pod ${name} ended: ${terminated.reason ?? "Terminated"}, exit code ${terminated.exitCode}`;
  if (pod.status?.phase === "Running") return `pod ${name} is running on ${pod.spec?.nodeName ?? "a CFD node"}`;
  return undefined;
}

/**
 * Lines of a timestamped pod log (`timestamps=true`) not seen before. Polls ask for the log
 * since the last line's second (the API's `sinceTime` has second precision), so lines repeat
 * across polls; this drops them by timestamp (and by count among equal timestamps). A last
 * line without its newline is left for the next poll.
 */
export class LogFollower {
  private lastTimestamp = "";
  private seenAtLast = 0;

  /** The `sinceTime` for the next poll, or undefined before the first line. */
  sinceTime(): string | undefined {
    return this.lastTimestamp ? `${this.lastTimestamp.slice(0, 19)}Z` : undefined;
  }

  /**
   * Gives up on the rest of the current second: when one second of log is more than a poll may
   * read, polling from that second would return the same lines forever. Returns the second.
   */
  skipSecond(): string {
    const second = this.lastTimestamp.slice(0, 19);
    const next = new Date(Date.parse(`${second}Z`) + 1000).toISOString().slice(0, 19);
    this.lastTimestamp = `${next}.000000000Z`;
    this.seenAtLast = 0;
    return `${second}Z`;
  }

  /** The new lines of `text`, without their timestamps. */
  push(text: string): string[] {
    const complete = text.slice(0, text.lastIndexOf("\n") + 1);
    const fresh: string[] = [];
    let current = "";
    let occurrences = 0;
    for (const raw of complete.split("\n")) {
      const space = raw.indexOf(" ");
      const timestamp = normalizeTimestamp(space > 0 ? raw.slice(0, space) : raw);
      if (!timestamp || timestamp < this.lastTimestamp) continue;
      if (timestamp !== current) {
        current = timestamp;
        occurrences = 0;
      }
      occurrences++;
      if (timestamp === this.lastTimestamp && occurrences <= this.seenAtLast) continue;
      fresh.push(space > 0 ? raw.slice(space + 1) : "");
      this.lastTimestamp = timestamp;
      this.seenAtLast = occurrences;
    }
    return fresh;
  }
}

/** RFC 3339 with nanoseconds padded to 9 digits, so that timestamps compare as strings. */
function normalizeTimestamp(text: string): string | undefined {
  const match = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/.exec(text);
  return match ? `${match[1]}.${(match[2] ?? "").padEnd(9, "0")}Z` : undefined;
}
