/**
 * The built service as a real process: compiled with the same commands as the Dockerfile,
 * started with `node services/rag/dist/main.js`, driven over loopback, killed and restarted
 * on the same data directory.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { buildService, startService } from "../../kit/test/process";
import { startEmbeddingServer, type EmbeddingServer } from "./embedding-server";
import { tempDir } from "./helpers";

beforeAll(() => buildService("rag"), 120_000);

const start = (env: Record<string, string>) => startService("rag", env);

const json = async (url: string, method = "GET", body?: unknown) => {
  const res = await fetch(url, { method, headers: body ? { "content-type": "application/json" } : {}, body: body ? JSON.stringify(body) : undefined });
  return { status: res.status, body: (await res.json()) as any };
};

test("bad environment: exit 1 listing every problem", async () => {
  const run = start({ PORT: "x", EMBEDDING_BASE_URL: "ollama:11434", RAG_CHUNK_SIZE_CHARS: "huge", EMBEDDING_BATCH_SIZE: "0" });
  expect(await run.exited).toBe(1);
  const fatal = run.lines.find((l) => l.level === "fatal");
  const problems = (fatal!.problems as string[]).map((p) => p.split(":")[0]);
  expect(problems.sort()).toEqual(["EMBEDDING_BASE_URL", "EMBEDDING_BATCH_SIZE", "PORT", "RAG_CHUNK_SIZE_CHARS"]);
});

test("settings that conflict, or a data directory it cannot create: exit 1 saying why", async () => {
  const data = tempDir();
  const overlap = start({ PORT: "0", RAG_DATA_DIR: data.dir, RAG_CHUNK_SIZE_CHARS: "400", RAG_CHUNK_OVERLAP_CHARS: "300" });
  expect(await overlap.exited).toBe(1);
  expect(overlap.lines.find((l) => l.level === "fatal")?.msg).toMatch(/RAG_CHUNK_OVERLAP_CHARS \(300\) must be at most half of RAG_CHUNK_SIZE_CHARS \(400\)/);
  const file = path.join(data.dir, "a-file");
  writeFileSync(file, "not a directory");
  const unusable = start({ PORT: "0", RAG_DATA_DIR: path.join(file, "data") });
  expect(await unusable.exited).toBe(1);
  expect(unusable.lines.find((l) => l.level === "fatal")?.msg).toMatch(/^failed to start: ENOTDIR.*a-file\/data/);
  data.remove();
});

test("without an embedding endpoint: starts, not ready with the reason, and prints only JSON lines", async () => {
  const data = tempDir();
  const run = start({ PORT: "0", HOST: "127.0.0.1", RAG_DATA_DIR: data.dir });
  const url = await run.url();
  const ready = await json(`${url}/readyz`);
  expect(ready).toEqual({ status: 503, body: { status: "not_ready", reasons: ["embeddings: EMBEDDING_BASE_URL and EMBEDDING_MODEL are not set"] } });
  expect(run.lines.find((l) => l.msg === "store opened")).toMatchObject({ database: path.join(data.dir, "rag.sqlite"), chunks: 0 });
  run.child.kill("SIGTERM");
  expect(await run.exited).toBe(0);
  expect(run.stray).toEqual([]); // node:sqlite's ExperimentalWarning is filtered
  data.remove();
});

describe("crash and restart on the same volume", () => {
  let server: EmbeddingServer;
  const data = tempDir();
  let env: Record<string, string>;
  beforeAll(async () => {
    server = await startEmbeddingServer();
    env = {
      PORT: "0",
      HOST: "127.0.0.1",
      RAG_DATA_DIR: data.dir,
      EMBEDDING_BASE_URL: server.baseURL,
      EMBEDDING_MODEL: "hash-bow-256",
      EMBEDDING_BATCH_SIZE: "4",
      RAG_CHUNK_SIZE_CHARS: "200",
      RAG_CHUNK_OVERLAP_CHARS: "0",
    };
  });
  afterAll(async () => {
    await server.close();
    data.remove();
  });

  const bigDocument = {
    id: "plant-screen",
    text: Array.from({ length: 40 }, (_, i) => `Louvre blade ${i} of the plant screen is extruded aluminium, 150 mm deep.`).join("\n\n"),
  };

  test("killed while embedding a document: after restart the document is absent and the rest intact; a clean restart keeps all", async () => {
    const first = start(env);
    const url1 = await first.url();
    expect((await json(`${url1}/readyz`)).status).toBe(200);
    const kept = await json(`${url1}/documents`, "POST", { id: "roof-note", text: "The green roof has a 120 mm substrate of sedum.", metadata: { project: "harbour" } });
    expect(kept.status).toBe(200);

    // The second batch of the big document never gets an answer; SIGKILL the process while it waits.
    const seen = server.requests.length;
    server.script.push(undefined, { hang: true });
    const pending = json(`${url1}/documents`, "POST", bigDocument).catch((error: Error) => ({ status: 0, body: error.message }));
    for (let i = 0; i < 400 && server.requests.length < seen + 2; i++) await new Promise((r) => setTimeout(r, 10));
    expect(server.requests.length).toBe(seen + 2);
    first.child.kill("SIGKILL");
    expect(await first.exited).toBeNull();
    expect((await pending).status).toBe(0);

    const second = start(env);
    const url2 = await second.url();
    expect((await json(`${url2}/documents/plant-screen`)).status).toBe(404);
    const list = await json(`${url2}/documents`);
    expect(list.body.documents.map((d: { id: string }) => d.id)).toEqual(["roof-note"]);
    const search = await json(`${url2}/search`, "POST", { query: "green roof substrate" });
    expect(search.body.results[0]).toMatchObject({ documentId: "roof-note", metadata: { project: "harbour" } });
    expect((await json(`${url2}/search`, "POST", { query: "louvre blade aluminium", mode: "bm25" })).body.results).toEqual([]);

    const again = await json(`${url2}/documents`, "POST", bigDocument);
    expect(again.status).toBe(200);
    expect(again.body.chunkCount).toBeGreaterThan(4);
    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);

    const third = start(env);
    const url3 = await third.url();
    expect((await json(`${url3}/documents`)).body.total).toBe(2);
    const found = await json(`${url3}/search`, "POST", { query: "louvre blade 17 aluminium", k: 3 });
    expect(found.body.results.map((r: { documentId: string }) => r.documentId)).toContain("plant-screen");
    expect(found.body.results.some((r: { text: string }) => r.text.includes("Louvre blade 17 "))).toBe(true);
    third.child.kill("SIGTERM");
    expect(await third.exited).toBe(0);
    expect([...first.stray, ...second.stray, ...third.stray]).toEqual([]);
  }, 60_000);
});
