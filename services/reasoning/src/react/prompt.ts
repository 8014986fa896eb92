/** The text the model sees: instructions with each tool's JSON Schema, observations, corrections. */
import { z } from "zod";
import type { Tool } from "../tools/tool";

export const STOP_SEQUENCE = "Observation:";

export function toolSchema(tool: Tool): string {
  const { $schema: _draft, ...schema } = z.toJSONSchema(tool.input, { io: "input" }) as Record<string, unknown>;
  return JSON.stringify(schema);
}

export function systemPrompt(tools: readonly Tool[]): string {
  const listing = tools.map((tool) => `- ${tool.name}: ${tool.description}\n  input JSON Schema: ${toolSchema(tool)}`).join("\n");
  return [
    "You answer questions about building design. Work step by step, calling tools for facts.",
    "Reply in exactly this format, then stop:",
    "",
    "Thought: what you need to find out next",
    'Action: tool_name[{"input": "as one JSON object matching the tool\'s schema"}]',
    "",
    "The tool's result comes back to you as `Observation: ...`. Never write an Observation yourself.",
    "When you can answer:",
    "",
    "Thought: I can answer now",
    "Action: Finish[the final answer, with the figures it rests on]",
    "",
    tools.length > 0 ? `Tools:\n${listing}` : "No tools are available: answer with Finish from what you know, and say so.",
    "",
    "One Action per reply. If a tool returns an error, fix the input or try another way; say in the answer when a fact could not be checked.",
  ].join("\n");
}

export function questionMessage(question: string): string {
  return `Question: ${question}`;
}

export function observationMessage(observation: string, stepsLeft: number): string {
  return stepsLeft === 1 ? `${STOP_SEQUENCE} ${observation}\n(One step left: reply with Action: Finish[answer] now.)` : `${STOP_SEQUENCE} ${observation}`;
}

export function correctionMessage(problem: string, toolNames: readonly string[]): string {
  const tools = toolNames.length > 0 ? `tool_name[JSON input] with one of: ${toolNames.join(", ")}` : "no tools are available";
  return `Your reply could not be used: ${problem}. Reply again with one Thought line and exactly one Action line: either ${tools}, or Finish[answer].`;
}
