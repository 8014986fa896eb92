import type { z } from "zod";

export const TOOL_NAMES = ["lighting_analysis", "natural_lighting", "risk_lookup", "rag_search", "ifc_element_counts"] as const;
export type ToolName = (typeof TOOL_NAMES)[number];

export interface ToolContext {
  /** Aborts when the request's time budget runs out or the client goes away. */
  signal: AbortSignal;
}

/** What a tool call produced: always text for the model, and whether the call succeeded. */
export interface ToolResult {
  ok: boolean;
  observation: string;
}

export interface Tool {
  name: ToolName;
  /** One line for the model: what it answers and when to use it. */
  description: string;
  /** Validates the model's input; shown to the model as JSON Schema. */
  input: z.ZodType;
  run(input: unknown, context: ToolContext): Promise<ToolResult>;
}

/** A tool this deployment cannot offer, and why (an unset base URL, say). */
export interface UnavailableTool {
  name: ToolName;
  reason: string;
}
