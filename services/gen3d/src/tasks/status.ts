import type { JobStatus } from "../rodin/client";

/** One status for a task made of several jobs: a failed job fails it, all done finishes it. */
export function overallStatus(jobs: readonly { status: JobStatus }[]): JobStatus {
  if (jobs.some((job) => job.status === "Failed")) return "Failed";
  if (jobs.every((job) => job.status === "Done")) return "Done";
  if (jobs.some((job) => job.status === "Generating" || job.status === "Done")) return "Generating";
  return "Waiting";
}
