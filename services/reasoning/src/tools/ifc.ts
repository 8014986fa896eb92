/**
 * IFC element counts. The IFC service takes the model file itself, which a language model
 * cannot write; so the tool takes a URL, downloads the file from an allow-listed host only
 * (no redirects, size-capped: the service must not become a way to reach arbitrary hosts)
 * and uploads it to the IFC service's POST /elements.
 */
import { z } from "zod";
import type { ToolConfig } from "../config";
import { callJson, describeFetchFailure, formatObservation } from "./http";
import { joinUrl } from "./json-tool";
import type { Tool, ToolResult } from "./tool";

/** `allowed` entries are `host` (any port) or `host:port`, lower case. */
export function hostAllowed(url: URL, allowed: readonly string[]): boolean {
  const hostname = url.hostname.toLowerCase();
  const port = url.port || (url.protocol === "https:" ? "443" : "80");
  return allowed.some((entry) => entry === hostname || entry === `${hostname}:${port}`);
}

export function ifcInput(allowed: readonly string[]) {
  return z.strictObject({
    url: z
      .string()
      .max(2000)
      .describe(`http(s) URL of the .ifc file, on one of: ${allowed.join(", ")}`)
      .superRefine((value, ctx) => {
        let url: URL;
        try {
          url = new URL(value);
        } catch {
          ctx.addIssue({ code: "custom", message: "not a URL" });
          return;
        }
        if (url.protocol !== "http:" && url.protocol !== "https:") ctx.addIssue({ code: "custom", message: "must be http or https" });
        else if (!hostAllowed(url, allowed)) ctx.addIssue({ code: "custom", message: `host ${url.host} is not allowed; allowed: ${allowed.join(", ")}` });
      }),
  });
}

type Download = { ok: true; bytes: Buffer } | { ok: false; problem: string };

async function download(url: string, maxBytes: number, timeoutMs: number, signal: AbortSignal): Promise<Download> {
  const options = { service: `the file host (${new URL(url).host})`, timeoutMs, signal };
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    const response = await fetch(url, { redirect: "error", signal: AbortSignal.any([signal, timeout]) });
    if (!response.ok || !response.body) {
      await response.body?.cancel();
      return { ok: false, problem: `downloading ${url} failed with HTTP ${response.status}` };
    }
    const declared = Number(response.headers.get("content-length") ?? "0");
    if (declared > maxBytes) {
      await response.body.cancel();
      return { ok: false, problem: `the file is ${declared} bytes, over the ${maxBytes}-byte limit` };
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of response.body) {
      size += chunk.byteLength;
      if (size > maxBytes) return { ok: false, problem: `the file is over the ${maxBytes}-byte limit` };
      chunks.push(chunk);
    }
    return { ok: true, bytes: Buffer.concat(chunks) };
  } catch (error) {
    return { ok: false, problem: describeFetchFailure(error, options, timeout) };
  }
}

export function ifcElementCountsTool(baseUrl: string, config: ToolConfig): Tool {
  return {
    name: "ifc_element_counts",
    description: "Counts the elements of an IFC building model by type, with its storeys and spaces, from the model file's URL.",
    input: ifcInput(config.ifcSourceHosts),
    async run(input, { signal }): Promise<ToolResult> {
      const { url } = input as { url: string };
      const file = await download(url, config.ifcMaxFileBytes, config.timeoutMs, signal);
      if (!file.ok) return { ok: false, observation: `Error: ${file.problem}` };
      const outcome = await callJson(
        joinUrl(baseUrl, "/elements"),
        { method: "POST", headers: { accept: "application/json", "content-type": "application/octet-stream" }, body: file.bytes },
        { service: "ifc", timeoutMs: config.timeoutMs, signal },
      );
      if (!outcome.ok) return { ok: false, observation: `Error: ${outcome.problem}` };
      return { ok: true, observation: formatObservation(outcome.body, config.observationMaxChars) };
    },
  };
}
