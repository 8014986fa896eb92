import { z } from "zod";

/**
 * The contract between the Job manifest (src/kubernetes/manifest.ts) and the Job's entry
 * point (./main.ts): the environment variables a case Job pod gets, and how they are checked.
 */
export const JOB_ENV = {
  caseId: "CFD_CASE_ID",
  /** The run's directory within the case (its run key, `sectors/270`). */
  runKey: "CFD_RUN_DIR",
  /** JSON {@link JobRunSpec}: the steps and MPI ranks. */
  run: "CFD_RUN",
  /** The case's working directory (an emptyDir). */
  scratchDir: "CFD_SCRATCH_DIR",
  /** The Job's uid (downward API), stamped on the outcome so a stale one is never mistaken for this run's. */
  jobUid: "CFD_JOB_UID",
  bucket: "CFD_S3_BUCKET",
  region: "CFD_S3_REGION",
  endpoint: "CFD_S3_ENDPOINT",
  forcePathStyle: "CFD_S3_FORCE_PATH_STYLE",
} as const;

/** A `RunStep` (src/runner/types.ts); fields added there later pass through to the local runner. */
export const runStepSchema = z.looseObject({
  command: z.string().regex(/^[A-Za-z][A-Za-z0-9_.-]*$/, "must be an OpenFOAM utility name"),
  args: z.array(z.string()),
  parallel: z.boolean().optional(),
  log: z.string().regex(/^[A-Za-z0-9_.-]+$/, "must be a file name suffix").optional(),
});

export const jobRunSpecSchema = z.strictObject({
  steps: z.array(runStepSchema).min(1),
  processes: z.number().int().min(1),
});
export type JobRunSpec = z.infer<typeof jobRunSpecSchema>;

const booleanFlag = z.enum(["true", "false"]).transform((v) => v === "true");

export const jobEnvSchema = z.object({
  [JOB_ENV.caseId]: z.string().min(1),
  [JOB_ENV.runKey]: z.string().min(1),
  [JOB_ENV.run]: z.string().transform((text, ctx) => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      ctx.addIssue({ code: "custom", message: "is not JSON" });
      return z.NEVER;
    }
    const parsed = jobRunSpecSchema.safeParse(value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) ctx.addIssue({ code: "custom", message: `${issue.path.join(".") || "(root)"}: ${issue.message}` });
      return z.NEVER;
    }
    return parsed.data;
  }),
  [JOB_ENV.scratchDir]: z.string().startsWith("/"),
  [JOB_ENV.jobUid]: z.string().min(1),
  [JOB_ENV.bucket]: z.string().min(3),
  [JOB_ENV.region]: z.string().min(1),
  [JOB_ENV.endpoint]: z.url().optional(),
  [JOB_ENV.forcePathStyle]: booleanFlag.default(false),
});
export type JobEnv = z.infer<typeof jobEnvSchema>;
