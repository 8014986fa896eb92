/**
 * Purges the Cloudflare cache of the prod zone, for operators:
 *
 *   npm run purge -- --url https://api.abode.example.com/api/risk/seismic?lat=1&lon=2 [--url …]
 *   npm run purge -- --tag api-risk [--tag …]
 *   npm run purge -- --everything --yes
 *
 * Token: CLOUDFLARE_API_TOKEN (Zone → Cache Purge permission). Zone: --zone-id, else
 * CLOUDFLARE_ZONE_ID, else `abode:edge.zoneId` of Pulumi.<--stack, default prod>.yaml.
 * `--api-base` points it at another API (tests use a local server).
 * Exit codes: 0 purged, 1 the API refused or failed, 2 bad arguments.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { parse } from "yaml";

export const DEFAULT_API_BASE = "https://api.cloudflare.com/client/v4";
/** Files or tags per purge request (Cloudflare's smallest per-plan limit). */
export const PURGE_BATCH = 30;
const REQUEST_TIMEOUT_MS = 30_000;
const ZONE_ID = /^[a-f0-9]{32}$/;

export type PurgeBody = { files: string[] } | { tags: string[] } | { purge_everything: true };

export interface PurgePlan {
  zoneId: string;
  token: string;
  apiBase: string;
  bodies: PurgeBody[];
}

export class UsageError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join("\n"));
    this.name = "UsageError";
  }
}

const USAGE = "usage: npm run purge -- (--url <url>... | --tag <tag>... | --everything --yes) [--zone-id <id>] [--stack <name>] [--api-base <url>]";

function chunks<T>(items: T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
}

/** `abode:edge.zoneId` of Pulumi.<stack>.yaml, if the file sets one. */
export function zoneIdFromStackFile(stack: string, root = path.resolve(__dirname, "..")): string | undefined {
  const file = path.join(root, `Pulumi.${stack}.yaml`);
  if (!fs.existsSync(file)) return undefined;
  const config = (parse(fs.readFileSync(file, "utf8")) as { config?: Record<string, any> } | null)?.config ?? {};
  const zoneId = config["abode:edge"]?.zoneId;
  return typeof zoneId === "string" ? zoneId : undefined;
}

/** Checks the arguments and the environment; throws `UsageError` naming every problem. Pure but for reading the stack file. */
export function planPurge(argv: string[], env: Record<string, string | undefined>): PurgePlan {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        url: { type: "string", multiple: true },
        tag: { type: "string", multiple: true },
        everything: { type: "boolean" },
        yes: { type: "boolean" },
        "zone-id": { type: "string" },
        stack: { type: "string" },
        "api-base": { type: "string" },
      },
    }));
  } catch (error) {
    throw new UsageError([(error as Error).message, USAGE]);
  }
  const problems: string[] = [];
  const urls = values.url ?? [];
  const tags = values.tag ?? [];
  const modes = [urls.length > 0 && "--url", tags.length > 0 && "--tag", values.everything && "--everything"].filter(Boolean);
  if (modes.length !== 1) problems.push(modes.length === 0 ? "say what to purge: --url, --tag or --everything" : `give exactly one of --url, --tag, --everything (got ${modes.join(", ")})`);
  if (values.everything && !values.yes) problems.push("--everything empties the whole zone's cache; add --yes to confirm");
  if (values.yes && !values.everything) problems.push("--yes only confirms --everything");
  for (const url of urls) {
    if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) problems.push(`--url ${JSON.stringify(url)}: not an absolute http(s) URL`);
  }
  for (const tag of tags) {
    if (!/^[^\s,]{1,1024}$/.test(tag)) problems.push(`--tag ${JSON.stringify(tag)}: a cache tag is 1–1024 characters without spaces or commas`);
  }
  const apiBase = values["api-base"] ?? DEFAULT_API_BASE;
  if (!URL.canParse(apiBase)) problems.push(`--api-base ${JSON.stringify(apiBase)}: not a URL`);
  const token = env.CLOUDFLARE_API_TOKEN ?? "";
  if (token === "") problems.push("CLOUDFLARE_API_TOKEN is not set (an API token with the Zone → Cache Purge permission)");
  const stack = values.stack ?? "prod";
  const zoneId = values["zone-id"] ?? env.CLOUDFLARE_ZONE_ID ?? zoneIdFromStackFile(stack);
  if (zoneId === undefined) problems.push(`no zone id: pass --zone-id, set CLOUDFLARE_ZONE_ID, or set abode:edge.zoneId in Pulumi.${stack}.yaml`);
  else if (!ZONE_ID.test(zoneId)) problems.push(`zone id ${JSON.stringify(zoneId)} is not 32 lowercase hex characters`);
  if (problems.length > 0) throw new UsageError([...problems, USAGE]);

  const bodies: PurgeBody[] = values.everything
    ? [{ purge_everything: true }]
    : urls.length > 0
      ? chunks([...new Set(urls)], PURGE_BATCH).map((files) => ({ files }))
      : chunks([...new Set(tags)], PURGE_BATCH).map((batch) => ({ tags: batch }));
  return { zoneId: zoneId!, token, apiBase: apiBase.replace(/\/$/, ""), bodies };
}

interface ApiEnvelope {
  success?: boolean;
  errors?: { code?: number; message?: string }[];
  result?: { id?: string } | null;
}

/** Sends each purge request in turn; stops at the first refusal. Returns the purge ids. */
export async function purge(plan: PurgePlan, log: (line: string) => void): Promise<string[]> {
  const ids: string[] = [];
  for (const body of plan.bodies) {
    const what = "files" in body ? `${body.files.length} URL(s)` : "tags" in body ? `tag(s) ${body.tags.join(", ")}` : "everything";
    let response: Response;
    try {
      response = await fetch(`${plan.apiBase}/zones/${plan.zoneId}/purge_cache`, {
        method: "POST",
        headers: { authorization: `Bearer ${plan.token}`, "content-type": "application/json" },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      throw new Error(`purging ${what}: the Cloudflare API could not be reached (${(error as Error).message})`);
    }
    const text = await response.text();
    let envelope: ApiEnvelope = {};
    try {
      envelope = JSON.parse(text) as ApiEnvelope;
    } catch {
      // Not JSON: reported below with the status.
    }
    if (!response.ok || envelope.success !== true) {
      const reasons = (envelope.errors ?? []).map((e) => `${e.code ?? "?"}: ${e.message ?? "?"}`).join("; ") || text.slice(0, 200) || "no body";
      throw new Error(`purging ${what}: Cloudflare answered ${response.status} (${reasons})`);
    }
    const id = envelope.result?.id ?? "?";
    ids.push(id);
    log(`purged ${what} (purge id ${id})`);
  }
  return ids;
}

/** The command: exit code 0, 1 (API) or 2 (arguments). */
export async function main(argv: string[], env: Record<string, string | undefined>, out = console.log, err = console.error): Promise<number> {
  let plan: PurgePlan;
  try {
    plan = planPurge(argv, env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    for (const problem of error.problems) err(problem);
    return 2;
  }
  try {
    await purge(plan, out);
    return 0;
  } catch (error) {
    err((error as Error).message);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2), process.env).then((code) => (process.exitCode = code));
}
