import type { z } from "zod";
import type { ToolConfig } from "../config";
import { callJson, formatObservation } from "./http";
import type { Tool, ToolName } from "./tool";

export interface JsonToolSpec<S extends z.ZodType> {
  name: ToolName;
  description: string;
  input: S;
  /** The platform service called, as the model reads it in errors. */
  service: string;
  request(input: z.output<S>): { method: "GET" | "POST"; path: string; query?: Record<string, string>; body?: unknown };
  /** Keeps what the model needs of a large answer (the rest would only eat tokens). */
  project?(body: unknown): unknown;
}

export function joinUrl(base: string, path: string, query?: Record<string, string>): string {
  const url = `${base.replace(/\/+$/, "")}${path}`;
  return query ? `${url}?${new URLSearchParams(query).toString()}` : url;
}

/** A tool that is one JSON request to a platform service. */
export function jsonTool<S extends z.ZodType>(spec: JsonToolSpec<S>, baseUrl: string, config: ToolConfig): Tool {
  return {
    name: spec.name,
    description: spec.description,
    input: spec.input,
    async run(input, { signal }) {
      const request = spec.request(input as z.output<S>);
      const outcome = await callJson(
        joinUrl(baseUrl, request.path, request.query),
        {
          method: request.method,
          headers: request.body === undefined ? { accept: "application/json" } : { accept: "application/json", "content-type": "application/json" },
          body: request.body === undefined ? undefined : JSON.stringify(request.body),
        },
        { service: spec.service, timeoutMs: config.timeoutMs, signal },
      );
      if (!outcome.ok) return { ok: false, observation: `Error: ${outcome.problem}` };
      const shown = spec.project ? spec.project(outcome.body) : outcome.body;
      return { ok: true, observation: formatObservation(shown, config.observationMaxChars) };
    },
  };
}
