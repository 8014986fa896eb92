import { z } from "zod";

export const DEFAULT_RODIN_BASE_URL = "https://api.hyper3d.com/api/v2";

export const gen3dEnvSchema = z.object({
  /** Bearer key of the platform's Rodin account (paid plan). Unset → not ready, requests 503. */
  RODIN_API_KEY: z.string().min(1).optional(),
  RODIN_BASE_URL: z.url({ protocol: /^https?$/ }).default(DEFAULT_RODIN_BASE_URL),
  RODIN_TIMEOUT_MS: z.coerce.number().int().min(1).max(600_000).default(30_000),
  /** Where the task id → subscription key map is kept across restarts; unset → memory only. */
  GEN3D_DATA_DIR: z.string().min(1).optional(),
  /** Tasks remembered; the oldest are forgotten beyond this. */
  GEN3D_MAX_TASKS: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
});
export type Gen3dEnv = z.infer<typeof gen3dEnvSchema>;

export interface Gen3dConfig {
  apiKey?: string;
  baseUrl: string;
  timeoutMs: number;
  dataDir?: string;
  maxTasks: number;
}

export function configFromEnv(env: Gen3dEnv): Gen3dConfig {
  return { apiKey: env.RODIN_API_KEY, baseUrl: env.RODIN_BASE_URL, timeoutMs: env.RODIN_TIMEOUT_MS, dataDir: env.GEN3D_DATA_DIR, maxTasks: env.GEN3D_MAX_TASKS };
}
