import { z } from "zod";
import type { ToolConfig } from "../config";
import { jsonTool } from "./json-tool";
import type { Tool } from "./tool";

export const RagSearchInput = z.strictObject({
  query: z.string().min(1).max(1000).describe("what to look for in the project's documents"),
  k: z.number().int().min(1).max(10).optional().describe("how many passages (default: the RAG service's)"),
});

export function ragSearchTool(baseUrl: string, config: ToolConfig): Tool {
  return jsonTool(
    {
      name: "rag_search",
      description: "Searches the platform's document store (standards, project notes) and returns the best matching passages.",
      input: RagSearchInput,
      service: "rag",
      request: (input) => ({ method: "POST", path: "/search", body: input }),
    },
    baseUrl,
    config,
  );
}
