import { z } from "zod";

/**
 * How a case Job ended, as the Job writes it to `cases/<id>/jobs/<runKey>/outcome.json` and the
 * solver's Kubernetes runner reads it. `jobUid` ties it to one Job: a stale outcome of an
 * earlier Job of the same run is never taken for this one's.
 */
export const jobOutcomeSchema = z.discriminatedUnion("status", [
  z.object({ status: z.literal("succeeded"), jobUid: z.string(), finishedAt: z.string(), resultFiles: z.number().int() }),
  z.object({ status: z.literal("failed"), jobUid: z.string(), finishedAt: z.string(), reason: z.string(), logTail: z.array(z.string()) }),
]);
export type JobOutcome = z.infer<typeof jobOutcomeSchema>;
