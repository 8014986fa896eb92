import type { CaseRunner, RunOutcome, RunRequest, RunningCase } from "../runner/types";
import { CASES_PREFIX, inputPrefix, outcomeKey, resultPrefix, runKeyFor } from "../storage/layout";
import type { CaseStore } from "../storage/s3";
import type { JobRunSpec } from "../job/env";
import { jobOutcomeSchema, type JobOutcome } from "../job/outcome";
import { KubernetesApiError, type KubernetesApi } from "./client";
import { CASE_CONTAINER, CASE_JOB_APP, caseJobManifest, caseJobName, type CaseJobArgs } from "./manifest";
import { jobState, LogFollower, podSituation } from "./status";

/** What every case Job of this solver shares (from the solver's environment). */
export type CaseJobSettings = Omit<CaseJobArgs, "caseId" | "runKey" | "run" | "estimatedCells" | "image"> & {
  /** The CFD image, or how to find it (the solver's own, from its pod). */
  image: string | (() => Promise<string>);
};

export interface KubernetesCaseRunnerOptions {
  api: KubernetesApi;
  store: CaseStore;
  /** The cases volume (`CFD_CASES_DIR`): case directories must lie below `<casesDir>/<caseId>/`. */
  casesDir: string;
  job: CaseJobSettings;
  /** @default 5000 */
  pollIntervalMs?: number;
  /** How long the Kubernetes API may keep failing before the run is given up. @default 600000 */
  apiOutageMs?: number;
  /** Lines kept for a failed run's `logTail`. @default 40 */
  logTailLines?: number;
  /** Bytes of pod log read per poll. @default 1 MiB */
  logBytesPerPoll?: number;
}

/** How long a failed Job being replaced may take to go away (its pods are deleted in the background). */
const JOB_REPLACE_TIMEOUT_MS = 60_000;

const MAX_LOG_READS_PER_POLL = 8;

/** Prefix of the lines this runner adds to a case's log (the Job's own lines come as they are). */
export const RUNNER_LOG_PREFIX = "[kubernetes]";

/**
 * Runs each case as a Kubernetes Job on the CFD pool: uploads the prepared case to S3, creates
 * the Job (./manifest.ts), follows it (status and pod log, polled), and once it ends downloads
 * its results into the case directory, so the solver reads them exactly as after a local run.
 * `cancel` deletes the Job (its pods go with it, in the background).
 *
 * The Job's name is derived from the case, the run and its steps, so the same steps started
 * again after a solver restart follow their Job instead of starting a second one (a failed one
 * is replaced: that start is a retry). The outcome the Job writes to S3 (stamped with the Job's
 * uid) decides a run whose Job is already gone (TTL).
 */
export class KubernetesCaseRunner implements CaseRunner {
  constructor(private readonly options: KubernetesCaseRunnerOptions) {}

  start(run: RunRequest): RunningCase {
    const execution = new JobExecution(this.options, run);
    return { done: execution.done, cancel: () => execution.cancel(), detach: () => execution.detach() };
  }

  /** Can the solver list its case Jobs, name their image and read the bucket? The first failure, in words. */
  async readiness(): Promise<string | undefined> {
    try {
      await this.options.api.listJobs(`app.kubernetes.io/name=${CASE_JOB_APP}`, 1);
    } catch (error) {
      return `Kubernetes API: ${(error as Error).message}`;
    }
    const image = this.options.job.image;
    if (typeof image !== "string") {
      try {
        await image();
      } catch (error) {
        return `case Job image: ${(error as Error).message}`;
      }
    }
    try {
      await this.options.store.listKeys(`${CASES_PREFIX}/`, 1);
    } catch (error) {
      return `S3 bucket ${this.options.store.bucket}: ${(error as Error).message}`;
    }
    return undefined;
  }
}

class JobExecution {
  readonly done: Promise<RunOutcome>;
  private cancelled = false;
  /** The solver is shutting down: stop following, leave the Job running (the next start follows it again). */
  private detached = false;
  private jobName?: string;
  private wake?: () => void;
  private readonly tail: string[] = [];

  constructor(
    private readonly options: KubernetesCaseRunnerOptions,
    private readonly run: RunRequest,
  ) {
    this.done = this.execute().catch((error: unknown) => this.failed(`the Kubernetes runner failed: ${(error as Error).message}`));
  }

  async cancel(): Promise<void> {
    this.cancelled = true;
    this.wake?.();
    if (this.jobName) await this.options.api.deleteJob(this.jobName);
  }

  async detach(): Promise<void> {
    this.detached = true;
    this.wake?.();
    await this.done;
  }

  private get stopped(): boolean {
    return this.cancelled || this.detached;
  }

  private log(line: string): void {
    this.tail.push(line);
    if (this.tail.length > (this.options.logTailLines ?? 40)) this.tail.shift();
    this.run.onLog(line);
  }

  private note(message: string): void {
    this.log(`${RUNNER_LOG_PREFIX} ${message}`);
  }

  private failed(reason: string, logTail: string[] = [...this.tail]): RunOutcome {
    return { status: "failed", reason, logTail };
  }

  private async execute(): Promise<RunOutcome> {
    const { api, store, casesDir, job } = this.options;
    const { caseId, caseDir } = this.run;
    const runKey = runKeyFor(casesDir, caseId, caseDir);
    // Plain JSON: it travels in the Job's environment.
    const spec = { steps: JSON.parse(JSON.stringify(this.run.steps)) as JobRunSpec["steps"], processes: this.run.processes };
    const image = typeof job.image === "string" ? job.image : await job.image();
    let manifest;
    try {
      manifest = caseJobManifest({ ...job, image, caseId, runKey, run: spec, estimatedCells: this.run.estimatedCells });
    } catch (error) {
      return this.failed((error as Error).message);
    }
    const name = caseJobName(caseId, runKey, spec);

    // A Job of these steps may exist already: the solver restarted while it ran (follow it, or
    // take its result), or an earlier attempt failed (this start is a retry: replace it).
    const existing = await api.readJob(name);
    const previous = existing && jobState(existing);
    let uid = existing?.metadata?.uid;
    if (previous?.phase === "failed") {
      this.note(`an earlier Job ${api.namespace}/${name} of these steps failed (${previous.reason}); replacing it`);
      await api.deleteJob(name);
      await this.until(async () => (await api.readJob(name)) === undefined, JOB_REPLACE_TIMEOUT_MS);
      uid = undefined;
    }
    if (uid) {
      this.note(`Job ${api.namespace}/${name} exists already (the solver restarted?): following it`);
    } else {
      const files = await store.uploadDirectory(caseDir, inputPrefix(caseId, runKey));
      this.note(`uploaded the prepared case (${files} files) to s3://${store.bucket}/${inputPrefix(caseId, runKey)}`);
      if (this.stopped) return { status: "cancelled" };
      try {
        uid = (await api.createJob(manifest)).metadata?.uid;
        const limits = manifest.spec!.template.spec!.containers[0]!.resources!.limits!;
        this.note(`created Job ${api.namespace}/${name} on the CFD pool (${limits.cpu} CPUs, ${limits.memory} memory)`);
      } catch (error) {
        if (!(error instanceof KubernetesApiError && error.reason === "AlreadyExists")) throw error;
        uid = (await api.readJob(name))?.metadata?.uid;
        this.note(`Job ${api.namespace}/${name} was created meanwhile: following it`);
      }
    }
    this.jobName = name;
    if (this.cancelled) {
      await api.deleteJob(name);
      return { status: "cancelled" };
    }

    const ending = await this.follow(name);
    // Detached: the Job runs on; the case stays unfinished and is picked up on the next start.
    if (this.stopped) return { status: "cancelled" };
    return this.conclude(ending, caseId, runKey, uid);
  }

  /** Polls the Job and its pod's log until the Job ends, disappears or the run is cancelled. */
  private async follow(name: string): Promise<{ kind: "ended"; state: ReturnType<typeof jobState> } | { kind: "gone" } | { kind: "lost"; reason: string }> {
    const { api } = this.options;
    let follower = new LogFollower();
    let pod: string | undefined;
    let situation: string | undefined;
    let failingSince: number | undefined;
    for (;;) {
      if (this.stopped) return { kind: "gone" };
      try {
        const job = await api.readJob(name);
        if (!job) return { kind: "gone" };
        const state = jobState(job);
        const pods = await api.listJobPods(name);
        const newest = pods.at(-1);
        if (newest?.metadata?.name && newest.metadata.name !== pod) {
          if (pod) this.note(`pod ${pod} was replaced by ${newest.metadata.name} (a node was reclaimed or drained); the run starts over`);
          pod = newest.metadata.name;
          follower = new LogFollower();
        }
        const now = newest ? podSituation(newest) : undefined;
        if (now && now !== situation) this.note(now);
        situation = now;
        if (pod) await this.forwardLog(pod, follower);
        failingSince = undefined;
        if (state.phase !== "running") return { kind: "ended", state };
      } catch (error) {
        failingSince ??= Date.now();
        if (Date.now() - failingSince > (this.options.apiOutageMs ?? 600_000)) {
          return { kind: "lost", reason: `lost the Kubernetes API while following Job ${name}: ${(error as Error).message}` };
        }
      }
      await this.sleep(this.options.pollIntervalMs ?? 5000);
    }
  }

  private async forwardLog(pod: string, follower: LogFollower): Promise<void> {
    const limitBytes = this.options.logBytesPerPoll ?? 1024 * 1024;
    // A full read may have been cut short: read on (a few times per poll, so the status is still checked).
    for (let read = 0; read < MAX_LOG_READS_PER_POLL; read++) {
      let text: string;
      try {
        text = await this.options.api.readPodLog(pod, { container: CASE_CONTAINER, timestamps: true, sinceTime: follower.sinceTime(), limitBytes });
      } catch (error) {
        // 400 while the container is still being created; 404 once the pod is gone.
        if (error instanceof KubernetesApiError && (error.status === 400 || error.status === 404)) return;
        throw error;
      }
      const fresh = follower.push(text);
      for (const line of fresh) this.log(line);
      if (Buffer.byteLength(text) < limitBytes) return;
      if (fresh.length === 0) {
        const second = follower.skipSecond();
        this.note(`skipped the rest of the log lines of ${second}: the Job wrote more in one second than a poll reads (its log files come with the results)`);
      }
    }
  }

  private async conclude(
    ending: Awaited<ReturnType<JobExecution["follow"]>>,
    caseId: string,
    runKey: string,
    uid: string | undefined,
  ): Promise<RunOutcome> {
    if (ending.kind === "lost") return this.failed(ending.reason);
    const recorded = await this.recordedOutcome(caseId, runKey, uid);
    if (ending.kind === "gone" && !recorded) return this.failed(`Job ${this.jobName} disappeared before it reported an outcome (deleted outside the solver?)`);
    const succeeded = ending.kind === "ended" ? ending.state.phase === "succeeded" && recorded?.status === "succeeded" : recorded?.status === "succeeded";

    // Results (and, after a failure, the logs) land in the case directory as after a local run.
    try {
      const files = await this.options.store.downloadPrefix(resultPrefix(caseId, runKey), this.run.caseDir);
      this.note(`downloaded ${files} result files from s3://${this.options.store.bucket}/${resultPrefix(caseId, runKey)}`);
    } catch (error) {
      if (succeeded) return this.failed(`the run succeeded but its results could not be downloaded: ${(error as Error).message}`);
    }
    if (succeeded) return { status: "succeeded" };
    const reason =
      recorded?.status === "failed"
        ? recorded.reason
        : ending.kind === "ended" && ending.state.phase === "failed"
          ? ending.state.reason
          : `Job ${this.jobName} completed without reporting success`;
    return this.failed(reason, recorded?.status === "failed" && recorded.logTail.length > 0 ? recorded.logTail : [...this.tail]);
  }

  /** The outcome the Job wrote, if it is this Job's (same uid). */
  private async recordedOutcome(caseId: string, runKey: string, uid: string | undefined): Promise<JobOutcome | undefined> {
    const parsed = jobOutcomeSchema.safeParse(await this.options.store.getJson(outcomeKey(caseId, runKey)));
    if (!parsed.success) return undefined;
    return uid === undefined || parsed.data.jobUid === uid ? parsed.data : undefined;
  }

  /** Polls `condition` until it holds; throws after `timeoutMs`. */
  private async until(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error(`gave up waiting after ${timeoutMs} ms`);
      await this.sleep(Math.min(this.options.pollIntervalMs ?? 5000, 1000));
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
