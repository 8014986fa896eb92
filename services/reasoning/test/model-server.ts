/**
 * A local OpenAI-compatible endpoint for the tests: real HTTP on loopback, `/v1/models` and
 * `/v1/chat/completions` answered by a script that looks at the conversation so far, so runs
 * are deterministic. Like a real server it honours `stop` (the reply ends before the first
 * stop sequence) and reports token usage.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";

export interface ChatMessage {
  role: string;
  content: string;
}

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  stop?: string | string[];
  max_tokens?: number;
  temperature?: number;
  authorization?: string;
}

export type Reply =
  | { content: string; finishReason?: "stop" | "length"; usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number } | null; delayMs?: number }
  | { status: number; body: unknown };

export type Script = (request: ChatRequest) => Reply | string;

export interface ModelServer {
  /** Base URL as LLM_BASE_URL takes it (ends in /v1). */
  url: string;
  chats: ChatRequest[];
  modelListings: number;
  setScript(script: Script): void;
  close(): Promise<void>;
}

/** Deterministic stand-in for a tokenizer: about four characters a token. */
export const tokens = (text: string) => Math.ceil(text.length / 4);

/** The observations handed back so far (the user turns that start with `Observation:`). */
export function observations(request: ChatRequest): string[] {
  return request.messages.filter((m) => m.role === "user" && m.content.startsWith("Observation:")).map((m) => m.content.slice("Observation:".length).trim());
}

/** The JSON of the n-th observation (from 0), or undefined when it is not JSON. */
export function observationJson(request: ChatRequest, index: number): any {
  const text = observations(request)[index]?.split("\n(One step left")[0];
  try {
    return text === undefined ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let data = "";
    request.on("data", (chunk) => (data += chunk));
    request.on("end", () => resolve(data));
  });
}

export async function startModelServer(options: { script: Script; models?: string[]; requireKey?: string }): Promise<ModelServer> {
  let script = options.script;
  const state = { chats: [] as ChatRequest[], modelListings: 0 };
  const server: Server = createServer(async (req, res) => {
    const body = await readBody(req);
    const send = (status: number, payload: unknown) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(payload));
    if (options.requireKey && req.headers.authorization !== `Bearer ${options.requireKey}`) {
      return send(401, { error: { message: "Incorrect API key provided.", type: "invalid_request_error", code: "invalid_api_key" } });
    }
    if (req.method === "GET" && req.url === "/v1/models") {
      state.modelListings++;
      return send(200, { object: "list", data: (options.models ?? ["test-model"]).map((id) => ({ id, object: "model", created: 1700000000, owned_by: "test" })) });
    }
    if (req.method === "POST" && req.url === "/v1/chat/completions") {
      const request = { ...(JSON.parse(body) as ChatRequest), authorization: req.headers.authorization };
      state.chats.push(request);
      const scripted = script(request);
      const reply = typeof scripted === "string" ? { content: scripted } : scripted;
      if ("status" in reply) return send(reply.status, reply.body);
      if (reply.delayMs) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, reply.delayMs);
          res.once("close", () => {
            clearTimeout(timer);
            resolve();
          });
        });
        if (res.destroyed) return;
      }
      const stops = request.stop === undefined ? [] : Array.isArray(request.stop) ? request.stop : [request.stop];
      const cut = Math.min(...stops.map((s) => reply.content.indexOf(s)).filter((i) => i >= 0), reply.content.length);
      const content = reply.content.slice(0, cut);
      const prompt = tokens(request.messages.map((m) => m.content).join("\n"));
      const usage = reply.usage === undefined ? { prompt_tokens: prompt, completion_tokens: tokens(content), total_tokens: prompt + tokens(content) } : reply.usage;
      return send(200, {
        id: `chatcmpl-${state.chats.length}`,
        object: "chat.completion",
        created: 1700000000,
        model: request.model,
        choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: reply.finishReason ?? "stop", logprobs: null }],
        ...(usage === null ? {} : { usage }),
      });
    }
    send(404, { error: { message: `no route ${req.method} ${req.url}` } });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    get chats() {
      return state.chats;
    },
    get modelListings() {
      return state.modelListings;
    },
    setScript: (next) => void (script = next),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
