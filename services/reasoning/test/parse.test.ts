import { hostAllowed } from "../src/tools/ifc";
import { parseReply } from "../src/react/parse";
import { wantsEventStream } from "../src/sse";

const tools = ["risk_lookup", "rag_search"];

test.each([
  ["Thought: look it up\nAction: risk_lookup[{\"lat\": 1, \"lon\": 2}]", { kind: "action", thought: "look it up", tool: "risk_lookup", input: { lat: 1, lon: 2 } }],
  // Numbered labels (as in the ReAct paper), brackets inside the JSON, extra spaces.
  ["Thought 2: search\nAction 2:  rag_search [{\"query\": \"[A] and [B]\"}]  ", { kind: "action", thought: "search", tool: "rag_search", input: { query: "[A] and [B]" } }],
  // JSON spread over lines.
  ["Thought: x\nAction: risk_lookup[{\n  \"lat\": 1,\n  \"lon\": 2\n}]", { kind: "action", thought: "x", tool: "risk_lookup", input: { lat: 1, lon: 2 } }],
  // Tool names are matched case-insensitively.
  ["Thought: x\nAction: Risk_Lookup[{}]", { kind: "action", thought: "x", tool: "risk_lookup", input: {} }],
  // An observation the model invented is cut off before parsing.
  ["Thought: x\nAction: risk_lookup[{\"lat\": 1}]\nObservation: made up [1]", { kind: "action", thought: "x", tool: "risk_lookup", input: { lat: 1 } }],
  ["Thought: done\nAction: Finish[The answer is [42].]", { kind: "finish", thought: "done", answer: "The answer is [42]." }],
  ["Action: finish[yes]", { kind: "finish", thought: "", answer: "yes" }],
  ["Thought: a\nAction: Finish[multi\nline answer", { kind: "finish", thought: "a", answer: "multi\nline answer" }],
])("%j parses", (text, expected) => {
  expect(parseReply(text, tools)).toEqual(expected);
});

test.each([
  ["Just an answer.", "the reply has no `Action:` line"],
  ["Thought: x\nAction: risk_lookup", "the Action must be written as tool_name[input] or Finish[answer]"],
  ["Thought: x\nAction: Finish[]", "Finish[] needs the answer inside the brackets"],
  ["Thought: x\nAction: weather[{}]", 'unknown tool "weather"; the tools are: risk_lookup, rag_search'],
  ["Thought: x\nAction: risk_lookup[{\"lat\": 1", 'the input of risk_lookup has no closing "]"'],
  ["Thought: x\nObservation: y\nAction: risk_lookup[{}]", "the reply has no `Action:` line"],
])("%j is invalid: %s", (text, problem) => {
  expect(parseReply(text, tools)).toEqual({ kind: "invalid", problem });
});

test("unparsable JSON input names the tool", () => {
  const parsed = parseReply("Action: rag_search[{query: 'x'}]", tools);
  expect(parsed.kind).toBe("invalid");
  expect((parsed as { problem: string }).problem).toMatch(/^the input of rag_search is not valid JSON \(/);
});

test.each([
  ["http://files:9000/a.ifc", ["files:9000"], true],
  ["http://files:9000/a.ifc", ["files"], true],
  ["http://files:9001/a.ifc", ["files:9000"], false],
  ["https://files/a.ifc", ["files:443"], true],
  ["http://files/a.ifc", ["files:443"], false],
  ["http://FILES/a.ifc", ["files"], true],
  ["http://files.evil.com/a.ifc", ["files"], false],
])("hostAllowed(%s, %j) = %s", (url, allowed, expected) => {
  expect(hostAllowed(new URL(url), allowed)).toBe(expected);
});

test.each([
  [undefined, undefined, false],
  ["application/json", undefined, false],
  ["text/event-stream", undefined, true],
  ["application/json, Text/Event-Stream;q=0.9", undefined, true],
  ["text/event-stream", "false", false],
  ["application/json", "true", true],
] as const)("Accept %s, stream=%s → streams: %s", (accept, stream, expected) => {
  expect(wantsEventStream(accept, stream)).toBe(expected);
});
