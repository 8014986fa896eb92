import { fieldProblems } from "@abode/service-kit";
import type { ToolConfig } from "../config";
import { ifcElementCountsTool } from "./ifc";
import { lightingAnalysisTool, naturalLightingTool } from "./lighting";
import { ragSearchTool } from "./rag";
import { riskLookupTool } from "./risk";
import type { Tool, ToolContext, ToolName, ToolResult, UnavailableTool } from "./tool";

export interface Toolset {
  available: Map<ToolName, Tool>;
  unavailable: UnavailableTool[];
}

/** Every tool whose service is configured; the others are listed with the variable that is missing. */
export function buildToolset(config: ToolConfig): Toolset {
  const available = new Map<ToolName, Tool>();
  const unavailable: UnavailableTool[] = [];
  const offer = (name: ToolName, missing: string | undefined, make: () => Tool) => {
    if (missing) unavailable.push({ name, reason: missing });
    else available.set(name, make());
  };
  const lighting = config.aiLightingUrl;
  offer("lighting_analysis", lighting ? undefined : "AI_LIGHTING_URL is not set", () => lightingAnalysisTool(lighting!, config));
  offer("natural_lighting", lighting ? undefined : "AI_LIGHTING_URL is not set", () => naturalLightingTool(lighting!, config));
  offer("risk_lookup", config.riskUrl ? undefined : "RISK_URL is not set", () => riskLookupTool(config.riskUrl!, config));
  offer("rag_search", config.ragUrl ? undefined : "RAG_URL is not set", () => ragSearchTool(config.ragUrl!, config));
  const ifcMissing = !config.ifcUrl
    ? "IFC_URL is not set"
    : config.ifcSourceHosts.length === 0
      ? "IFC_SOURCE_HOSTS is not set (the tool downloads IFC files from listed hosts only)"
      : undefined;
  offer("ifc_element_counts", ifcMissing, () => ifcElementCountsTool(config.ifcUrl!, config));
  return { available, unavailable };
}

/** Validates the model's input against the tool's schema; a mismatch is an observation, not a failure. */
export async function invokeTool(tool: Tool, input: unknown, context: ToolContext): Promise<ToolResult & { outcome: "ok" | "tool_error" | "invalid_input" }> {
  const parsed = tool.input.safeParse(input);
  if (!parsed.success) {
    const problems = fieldProblems(parsed.error).map((p) => `${p.field}: ${p.message}`);
    return { ok: false, outcome: "invalid_input", observation: `Error: invalid input for ${tool.name}: ${problems.join("; ")}` };
  }
  const result = await tool.run(parsed.data, context);
  return { ...result, outcome: result.ok ? "ok" : "tool_error" };
}
