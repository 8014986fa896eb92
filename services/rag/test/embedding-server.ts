/**
 * A local OpenAI-compatible embeddings server for the tests: real HTTP on loopback, answering
 * `POST /v1/embeddings` and `GET /v1/models` the way OpenAI and Ollama do. Its vectors are
 * deterministic hashed bags of words (texts sharing words are close in cosine distance), and
 * each model name fixes a dimension, so a "different model" really has a different space.
 * Tests script failures per request: an HTTP status (429 with retry-after-ms, 500, ...), a
 * malformed body, or a request that never gets an answer.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export const TEST_MODEL = "hash-bow-256";
/** Same server, another model: 128 dimensions. */
export const OTHER_MODEL = "hash-bow-128";
const MODELS: Record<string, number> = { [TEST_MODEL]: 256, [OTHER_MODEL]: 128, "hash-bow-256-b": 256 };

const STOP = new Set(["a", "an", "and", "are", "as", "at", "be", "by", "for", "in", "is", "it", "of", "on", "or", "the", "to", "with", "what", "which", "how", "do", "does"]);

function fnv1a(word: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < word.length; i++) {
    h ^= word.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** Lower-cased words without stop words, crudely stemmed so "doors" ≈ "door". */
const stems = (text: string) =>
  (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => !STOP.has(w)).map((w) => (w.length > 4 ? w.replace(/(ing|es|s)$/, "") : w));

/** A unit vector: each word adds ±1 to a hashed dimension; a text without words gets a fixed axis. */
export function hashedEmbedding(text: string, dimensions: number): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  for (const stem of stems(text)) {
    const h = fnv1a(stem);
    vector[h % dimensions]! += h & 0x80000000 ? -1 : 1;
  }
  let norm = Math.hypot(...vector);
  if (norm === 0) {
    vector[0] = 1;
    norm = 1;
  }
  return vector.map((v) => v / norm);
}

export type Scripted =
  | { status: number; headers?: Record<string, string>; body?: unknown }
  /** 200 with this body instead of the real answer. */
  | { malformed: unknown }
  /** Never answered (until the server closes). */
  | { hang: true };

export interface SeenRequest {
  model: string;
  inputs: string[];
  encodingFormat: string | undefined;
  authorization: string | undefined;
}

export interface EmbeddingServer {
  /** Base URL to give the client, ending in /v1. */
  baseURL: string;
  /** Every embeddings request, in arrival order (scripted ones too). */
  requests: SeenRequest[];
  /** Scripted answers consumed one per embeddings request, before the real ones. */
  script: (Scripted | undefined)[];
  /** Called on every embeddings request as it arrives. */
  onRequest?: (seen: SeenRequest, index: number) => void;
  close(): Promise<void>;
}

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve, reject) => {
    let data = "";
    req.on("data", (c: Buffer) => (data += c.toString()));
    req.on("end", () => resolve(data));
    req.on("error", reject);
  });

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
  res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));

export async function startEmbeddingServer(): Promise<EmbeddingServer> {
  const sockets = new Set<Socket>();
  const state: EmbeddingServer = {
    baseURL: "",
    requests: [],
    script: [],
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    if (req.method === "GET" && req.url === "/v1/models") {
      return json(res, 200, { object: "list", data: Object.keys(MODELS).map((id) => ({ id, object: "model", created: 0, owned_by: "test" })) });
    }
    if (req.method !== "POST" || req.url !== "/v1/embeddings") return json(res, 404, { error: { message: `no route ${req.method} ${req.url}` } });
    const parsed = JSON.parse(body) as { model: string; input: string | string[]; encoding_format?: string };
    const inputs = Array.isArray(parsed.input) ? parsed.input : [parsed.input];
    const seen: SeenRequest = { model: parsed.model, inputs, encodingFormat: parsed.encoding_format, authorization: req.headers.authorization };
    state.requests.push(seen);
    state.onRequest?.(seen, state.requests.length - 1);
    const scripted = state.script.shift();
    if (scripted && "hang" in scripted) return undefined;
    if (scripted && "malformed" in scripted) return json(res, 200, scripted.malformed);
    if (scripted) return json(res, scripted.status, scripted.body ?? { error: { message: `scripted ${scripted.status}` } }, scripted.headers);
    const dimensions = MODELS[parsed.model];
    if (!dimensions) return json(res, 404, { error: { message: `model "${parsed.model}" not found, try pulling it first`, type: "not_found" } });
    return json(res, 200, {
      object: "list",
      model: parsed.model,
      data: inputs.map((text, index) => ({ object: "embedding", index, embedding: hashedEmbedding(text, dimensions) })),
      usage: { prompt_tokens: 0, total_tokens: 0 },
    });
  });
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return state;
}
