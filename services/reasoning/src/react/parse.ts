/** Reads one model reply in the ReAct format (Yao et al. 2022). Pure: text in, decision out. */

export type ParsedReply =
  | { kind: "finish"; thought: string; answer: string }
  | { kind: "action"; thought: string; tool: string; input: unknown }
  | { kind: "invalid"; problem: string };

const OBSERVATION_LINE = /^[ \t]*Observation[ \t]*\d*[ \t]*:/im;
const ACTION_LINE = /^[ \t]*Action[ \t]*\d*[ \t]*:[ \t]*/im;
const THOUGHT_LABEL = /^\s*Thought[ \t]*\d*[ \t]*:\s*/i;
const CALL = /^([A-Za-z_][\w-]*)\s*\[/;

/** The reply up to an `Observation:` the model wrote itself (when the endpoint ignored `stop`). */
export function withoutInventedObservation(text: string): string {
  const observation = OBSERVATION_LINE.exec(text);
  return (observation ? text.slice(0, observation.index) : text).trimEnd();
}

/**
 * `Thought: … / Action: tool[{json}]` or `Action: Finish[answer]`. Anything after an
 * `Observation:` the model wrote itself is dropped: observations come from tools only.
 * The input runs from the first `[` to the last `]`, so JSON with brackets inside is whole.
 */
export function parseReply(text: string, toolNames: readonly string[]): ParsedReply {
  const reply = withoutInventedObservation(text);
  const action = ACTION_LINE.exec(reply);
  if (!action) return { kind: "invalid", problem: "the reply has no `Action:` line" };
  const thought = reply.slice(0, action.index).replace(THOUGHT_LABEL, "").trim();
  const rest = reply.slice(action.index + action[0].length).trim();
  const call = CALL.exec(rest);
  if (!call) return { kind: "invalid", problem: "the Action must be written as tool_name[input] or Finish[answer]" };
  const name = call[1]!;
  const close = rest.lastIndexOf("]");
  const hasClose = close >= call[0].length;
  const body = (hasClose ? rest.slice(call[0].length, close) : rest.slice(call[0].length)).trim();
  if (name.toLowerCase() === "finish") {
    // A missing final `]` is forgiven here only: the answer is free text, and a reply cut
    // off by the token limit is caught before parsing.
    if (!body) return { kind: "invalid", problem: "Finish[] needs the answer inside the brackets" };
    return { kind: "finish", thought, answer: body };
  }
  const tool = toolNames.find((candidate) => candidate === name.toLowerCase());
  if (!tool) return { kind: "invalid", problem: `unknown tool "${name}"; the tools are: ${toolNames.join(", ")}` };
  if (!hasClose) return { kind: "invalid", problem: `the input of ${tool} has no closing "]"` };
  try {
    return { kind: "action", thought, tool, input: JSON.parse(body) };
  } catch (error) {
    return { kind: "invalid", problem: `the input of ${tool} is not valid JSON (${(error as Error).message})` };
  }
}
