/** The service over real HTTP, against a real local OpenAI-compatible embeddings server. */
import { CORPUS, RECALL_CASES } from "./corpus";
import { TEST_MODEL, startEmbeddingServer, type EmbeddingServer } from "./embedding-server";
import { startRag, tempDir, type Rag } from "./helpers";

const ingest = (rag: Rag, doc: (typeof CORPUS)[number]) => rag.post("/documents", doc);

describe("a building-design corpus", () => {
  let server: EmbeddingServer;
  let rag: Rag;
  const data = tempDir();

  beforeAll(async () => {
    server = await startEmbeddingServer();
    rag = await startRag({ dataDir: data.dir, baseURL: server.baseURL });
    for (const doc of CORPUS) {
      const res = await ingest(rag, doc);
      expect(res.status).toBe(200);
    }
  });
  afterAll(async () => {
    await rag.close();
    await server.close();
    data.remove();
  });

  test("ingest: chunks embedded in batches of floats through the endpoint, the space recorded", async () => {
    const res = await rag.get("/documents/fire-escape-routes");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: "fire-escape-routes", format: "markdown", metadata: { discipline: "fire", project: "riverside", year: 2024 } });
    expect(res.body.chunks.length).toBe(res.body.chunkCount);
    expect(res.body.chunks.map((c: { heading: string }) => c.heading)).toContain("Fire safety strategy › Fire doors");
    expect(res.body.text).toBe(CORPUS[0]!.text);
    expect(server.requests.every((r) => r.model === TEST_MODEL && r.encodingFormat === "float" && r.inputs.length <= 8)).toBe(true);
    // The heading is embedded with its chunk, as context.
    expect(server.requests.some((r) => r.inputs.some((i) => i.startsWith("Fire safety strategy › Fire doors\nDoors on escape routes")))).toBe(true);
    const list = await rag.get("/documents?limit=5&offset=5");
    expect(list.body).toMatchObject({ total: CORPUS.length, limit: 5, offset: 5, embedding: { model: TEST_MODEL, dimensions: 256 } });
    expect(list.body.documents.map((d: { id: string }) => d.id)).toEqual(CORPUS.map((d) => d.id).sort().slice(5, 10));
  });

  test.each(RECALL_CASES)("recall: the right chunk is in the top 3 for '$query'", async ({ query, documentId, phrase }) => {
    const res = await rag.search({ query, k: 3 });
    expect(res.status).toBe(200);
    const hit = res.body.results.find((r: { documentId: string; text: string }) => r.documentId === documentId && r.text.includes(phrase));
    expect(hit).toBeDefined();
  });

  test("search results: fused score from each list's rank, text, metadata and the raw component scores", async () => {
    const res = await rag.search({ query: "sprinkler design density car park", k: 5 });
    expect(res.body).toMatchObject({ mode: "hybrid", k: 5, vectorStrategy: "exact", keywordQuery: '"sprinkler" OR "design" OR "density" OR "car" OR "park"' });
    const top = res.body.results[0];
    expect(top).toMatchObject({ documentId: "sprinklers-car-park", metadata: { discipline: "fire", project: "harbour" }, ranks: { bm25: 1, vector: 1 } });
    for (const r of res.body.results) {
      const expected = (r.ranks.bm25 ? 1 / (60 + r.ranks.bm25) : 0) + (r.ranks.vector ? 1 / (60 + r.ranks.vector) : 0);
      expect(r.score).toBeCloseTo(expected, 12);
      expect(r.bm25 === null).toBe(r.ranks.bm25 === null);
      expect(r.cosineDistance === null).toBe(r.ranks.vector === null);
    }
    const scores = res.body.results.map((r: { score: number }) => r.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  test("bm25 and vector modes use one list each", async () => {
    const bm25 = await rag.search({ query: "charring rate", mode: "bm25" });
    expect(bm25.body.vectorStrategy).toBeNull();
    expect(bm25.body.results[0]).toMatchObject({ documentId: "clt-fire-resistance", ranks: { vector: null, bm25: 1 } });
    const vector = await rag.search({ query: "charring rate", mode: "vector" });
    expect(vector.body.keywordQuery).toBeNull();
    expect(vector.body.results[0]).toMatchObject({ documentId: "clt-fire-resistance", ranks: { bm25: null, vector: 1 } });
  });

  test("filter on document metadata: equality on every key, types kept apart", async () => {
    const school = await rag.search({ query: "fire safety and acoustics", k: 20, filter: { project: "school" } });
    expect(school.body.results.length).toBeGreaterThan(0);
    expect(school.body.results.every((r: { metadata: { project: string } }) => r.metadata.project === "school")).toBe(true);
    const both = await rag.search({ query: "fire", k: 20, filter: { discipline: "fire", project: "harbour" } });
    expect(new Set(both.body.results.map((r: { documentId: string }) => r.documentId))).toEqual(new Set(["sprinklers-car-park"]));
    const byNumber = await rag.search({ query: "fire", k: 20, filter: { year: 2023 } });
    expect(byNumber.body.results.every((r: { metadata: { year: number } }) => r.metadata.year === 2023)).toBe(true);
    expect(byNumber.body.results.length).toBeGreaterThan(0);
    const byString = await rag.search({ query: "fire", k: 20, filter: { year: "2023" } });
    expect(byString.body.results).toEqual([]);
  });

  test.each(['"AND OR (', "NEAR(fire door, 2)", "heading: fire", "*", '"', "???", "door* -fire ^x", "'; DROP TABLE chunks; --"])(
    "FTS syntax in a query is plain text, never a 500: %s",
    async (query) => {
      for (const mode of ["hybrid", "bm25"]) {
        const res = await rag.search({ query, mode });
        expect(res.status).toBe(200);
        expect(Array.isArray(res.body.results)).toBe(true);
      }
    },
  );

  test("bad requests are 4xx naming the field", async () => {
    const cases: [string, unknown, number, string[]][] = [
      ["/documents", { format: "text" }, 400, ["text"]],
      ["/documents", { text: "x", format: "pdf" }, 400, ["format"]],
      ["/documents", { text: "x", id: "bad id!" }, 400, ["id"]],
      ["/documents", { text: "x", metadata: { "bad key": 1 } }, 400, ["metadata.bad key"]],
      ["/documents", { text: "x", metadata: { nested: { a: 1 } } }, 400, ["metadata.nested"]],
      ["/documents", { text: "x", colour: "red" }, 400, ["colour"]],
      ["/search", { query: "" }, 400, ["query"]],
      ["/search", { query: "x", k: 0 }, 400, ["k"]],
      ["/search", { query: "x", k: 51, mode: "fuzzy" }, 400, ["k", "mode"]],
      ["/search", { query: "x", filter: { a: [1] } }, 400, ["filter.a"]],
    ];
    for (const [route, body, status, fields] of cases) {
      const res = await rag.post(route, body);
      expect([route, res.status]).toEqual([route, status]);
      expect(res.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(fields);
    }
    expect((await rag.post("/documents", "{not json")).status).toBe(400);
    const blank = await rag.post("/documents", { text: "  \n\n # \n" , format: "markdown" });
    expect(blank.status).toBe(422);
    expect((await rag.get("/documents/bad%20id")).body.fields).toEqual([{ field: "id", message: expect.any(String) }]);
    expect((await rag.get("/documents?limit=0")).body.fields[0].field).toBe("limit");
    expect((await rag.get("/documents?colour=red")).body.fields[0].field).toBe("colour");
    expect((await rag.get("/documents/no-such-doc")).status).toBe(404);
    expect((await rag.del("/documents/no-such-doc")).status).toBe(404);
  });

  test("a body over the limit is 413 before anything is embedded", async () => {
    const before = server.requests.length;
    const res = await rag.post("/documents", { text: "word ".repeat(60_000) });
    expect(res.status).toBe(413);
    expect(server.requests.length).toBe(before);
  });

  test("an existing id is 409 on POST; PUT replaces it atomically and keeps createdAt", async () => {
    const doc = { id: "lift-note", text: "The goods lift carries 2000 kg pallets.", metadata: { discipline: "vertical-transport" } };
    expect((await rag.post("/documents", doc)).status).toBe(200);
    const created = (await rag.get("/documents/lift-note")).body.createdAt;
    const again = await rag.post("/documents", doc);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: "document_exists", id: "lift-note" });
    const replaced = await rag.put("/documents/lift-note", { text: "The goods hoist carries 3000 kg crates.", metadata: { discipline: "logistics" } });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ id: "lift-note", chunkCount: 1, metadata: { discipline: "logistics" }, createdAt: created });
    const old = await rag.search({ query: "pallets", mode: "bm25" });
    expect(old.body.results.some((r: { documentId: string }) => r.documentId === "lift-note")).toBe(false);
    const fresh = await rag.search({ query: "hoist crates", mode: "bm25" });
    expect(fresh.body.results[0]).toMatchObject({ documentId: "lift-note", metadata: { discipline: "logistics" } });
    expect((await rag.del("/documents/lift-note")).status).toBe(200);
  });

  test("delete removes the document, its chunks, its index rows and its vectors", async () => {
    const doc = { id: "to-delete", text: "Zinc standing seam cladding on the plant enclosure. Seams are 25 mm high.", metadata: {} };
    expect((await rag.post("/documents", doc)).status).toBe(200);
    const chunksBefore = rag.store.chunkCount();
    expect((await rag.search({ query: "zinc standing seam" })).body.results[0].documentId).toBe("to-delete");
    const res = await rag.del("/documents/to-delete");
    expect(res.body).toEqual({ id: "to-delete", deleted: true, chunks: 1 });
    expect(rag.store.chunkCount()).toBe(chunksBefore - 1);
    expect((await rag.get("/documents/to-delete")).status).toBe(404);
    for (const mode of ["hybrid", "bm25", "vector"]) {
      const after = await rag.search({ query: "zinc standing seam cladding", mode, k: 50 });
      expect(after.body.results.some((r: { documentId: string }) => r.documentId === "to-delete")).toBe(false);
    }
    expect(rag.store.keywordSearch('"zinc"', 10)).toEqual([]);
  });
});

describe("the embedding endpoint's failures", () => {
  let server: EmbeddingServer;
  const data = tempDir();
  beforeAll(async () => {
    server = await startEmbeddingServer();
  });
  afterAll(async () => {
    await server.close();
    data.remove();
  });

  const longDoc = (id: string) => ({
    id,
    text: Array.from({ length: 80 }, (_, i) => `Paragraph ${i} describes louvre ${i} of the ventilated plant screen in detail.`).join("\n\n"),
  });

  test("429 and 503 are retried with backoff (retry-after-ms honoured); the key is sent as a bearer token", async () => {
    const rag = await startRag({ dataDir: data.dir, baseURL: server.baseURL, embedder: { apiKey: "sk-test-123" } });
    server.requests.length = 0;
    server.script.push({ status: 429, headers: { "retry-after-ms": "10" } }, { status: 503, headers: { "retry-after-ms": "10" } });
    const res = await rag.post("/documents", { id: "retried", text: "Acoustic louvres on the plant screen." });
    expect(res.status).toBe(200);
    expect(server.requests).toHaveLength(3); // two refusals, then the answer
    expect(server.requests.every((r) => r.authorization === "Bearer sk-test-123")).toBe(true);
    await rag.close();
  });

  test("a failing second batch: 502, and nothing of the document is visible", async () => {
    const rag = await startRag({ dataDir: data.dir, baseURL: server.baseURL });
    const chunksBefore = rag.store.chunkCount();
    const listBefore = (await rag.get("/documents")).body.total;
    server.requests.length = 0;
    server.script.push(undefined, { status: 400, body: { error: { message: "input too long" } } });
    const res = await rag.post("/documents", longDoc("half-written"));
    expect(res.status).toBe(502);
    expect(res.body).toMatchObject({ error: "embedding_failed", upstreamStatus: 400 });
    expect(server.requests).toHaveLength(2); // the first batch was embedded, then the second failed
    expect((await rag.get("/documents/half-written")).status).toBe(404);
    expect((await rag.get("/documents")).body.total).toBe(listBefore);
    expect(rag.store.chunkCount()).toBe(chunksBefore);
    const search = await rag.search({ query: "louvre ventilated plant screen", mode: "bm25", k: 50 });
    expect(search.body.results.some((r: { documentId: string }) => r.documentId === "half-written")).toBe(false);
    // And with the endpoint healthy again the same document goes in whole.
    const ok = await rag.post("/documents", longDoc("half-written"));
    expect(ok.status).toBe(200);
    expect(ok.body.chunkCount).toBeGreaterThan(8);
    await rag.close();
  });

  test("an upstream that keeps failing is 502; a malformed answer is 502; neither stores anything", async () => {
    const rag = await startRag({ dataDir: data.dir, baseURL: server.baseURL, embedder: { maxRetries: 1 } });
    server.script.push({ status: 500, headers: { "retry-after-ms": "1" } }, { status: 500, headers: { "retry-after-ms": "1" } });
    const failed = await rag.post("/documents", { id: "nope-1", text: "Some text." });
    expect(failed.status).toBe(502);
    expect(failed.body).toMatchObject({ error: "embedding_failed", upstreamStatus: 500 });
    server.script.push({ malformed: { data: [] } });
    const malformed = await rag.post("/documents", { id: "nope-2", text: "Some text." });
    expect(malformed.status).toBe(502);
    expect(malformed.body.error).toBe("embedding_invalid");
    server.script.push({ malformed: { data: [{ index: 0, embedding: [0, 0, 0] }] } });
    expect((await rag.post("/documents", { id: "nope-3", text: "Some text." })).body.error).toBe("embedding_invalid");
    for (const id of ["nope-1", "nope-2", "nope-3"]) expect((await rag.get(`/documents/${id}`)).status).toBe(404);
    // An unknown model is the upstream's 404, passed on as a 502 and as the readiness reason.
    const unknownData = tempDir();
    const unknown = await startRag({ dataDir: unknownData.dir, baseURL: server.baseURL, model: "no-such-model", embedder: { maxRetries: 0 } });
    expect((await unknown.post("/documents", { text: "x" })).body).toMatchObject({ error: "embedding_failed", upstreamStatus: 404 });
    const ready = await unknown.get("/readyz");
    expect(ready.status).toBe(503);
    expect(ready.body.reasons[0]).toMatch(/^embeddings: .*404.*no-such-model/);
    await unknown.close();
    unknownData.remove();
    await rag.close();
  });

  test("endpoint down: not ready, hybrid search and ingest are 503, an explicit bm25 search still answers", async () => {
    const down = await startEmbeddingServer();
    const rag = await startRag({ dataDir: data.dir, baseURL: down.baseURL, embedder: { maxRetries: 0 } });
    expect((await rag.get("/readyz")).status).toBe(200);
    await down.close();
    const ready = await rag.get("/readyz");
    expect(ready.status).toBe(503);
    expect(ready.body.reasons).toEqual([expect.stringMatching(/^embeddings: The embedding endpoint http:\/\/127\.0\.0\.1:\d+\/v1 is unreachable/)]);
    const search = await rag.search({ query: "louvre" });
    expect(search.status).toBe(503);
    expect(search.body.error).toBe("embedding_unavailable");
    expect((await rag.post("/documents", { text: "x" })).status).toBe(503);
    const bm25 = await rag.search({ query: "louvre", mode: "bm25" });
    expect(bm25.status).toBe(200);
    expect(bm25.body.results.length).toBeGreaterThan(0);
    await rag.close();
  });

  test("no endpoint configured: not ready with the reason, embedding requests 503", async () => {
    const rag = await startRag({ dataDir: data.dir });
    const ready = await rag.get("/readyz");
    expect(ready.body).toEqual({ status: "not_ready", reasons: ["embeddings: EMBEDDING_BASE_URL is not set"] });
    expect(await rag.post("/documents", { text: "x" })).toEqual({
      status: 503,
      body: { error: "embedding_not_configured", message: "No embedding endpoint: EMBEDDING_BASE_URL is not set." },
    });
    expect((await rag.search({ query: "louvre" })).status).toBe(503);
    expect((await rag.search({ query: "louvre", mode: "bm25" })).status).toBe(200);
    await rag.close();
  });
});

describe("the store on its volume", () => {
  let server: EmbeddingServer;
  beforeAll(async () => {
    server = await startEmbeddingServer();
  });
  afterAll(() => server.close());

  test("a restart on the same directory keeps every document, searchable", async () => {
    const data = tempDir();
    const first = await startRag({ dataDir: data.dir, baseURL: server.baseURL });
    for (const doc of CORPUS.slice(0, 5)) expect((await ingest(first, doc)).status).toBe(200);
    const before = await first.search({ query: "U-value of the roof insulation", k: 3 });
    await first.close();

    const second = await startRag({ dataDir: data.dir, baseURL: server.baseURL });
    const list = await second.get("/documents");
    expect(list.body.documents.map((d: { id: string }) => d.id)).toEqual(CORPUS.slice(0, 5).map((d) => d.id).sort());
    expect((await second.get("/documents/thermal-envelope")).body.text).toBe(CORPUS[3]!.text);
    const after = await second.search({ query: "U-value of the roof insulation", k: 3 });
    expect(after.body.results).toEqual(before.body.results);
    await second.close();
    data.remove();
  });

  test("a model of another dimension, or another model: not ready and 503 with both spaces named; an emptied store adopts it", async () => {
    const data = tempDir();
    const first = await startRag({ dataDir: data.dir, baseURL: server.baseURL });
    expect((await ingest(first, CORPUS[0]!)).status).toBe(200);
    await first.close();

    const other = await startRag({ dataDir: data.dir, baseURL: server.baseURL, model: "hash-bow-128" });
    const ready = await other.get("/readyz");
    expect(ready.status).toBe(503);
    expect(ready.body.reasons[0]).toContain('256-dimension vectors from model "hash-bow-256"');
    expect(ready.body.reasons[0]).toContain('128-dimension vectors from model "hash-bow-128"');
    const ingestRes = await other.post("/documents", { text: "New text." });
    expect(ingestRes.status).toBe(503);
    expect(ingestRes.body.error).toBe("embedding_space_mismatch");
    expect((await other.search({ query: "escape" })).body.error).toBe("embedding_space_mismatch");
    expect((await other.search({ query: "escape", mode: "bm25" })).status).toBe(200);
    await other.close();

    const sameDims = await startRag({ dataDir: data.dir, baseURL: server.baseURL, model: "hash-bow-256-b" });
    expect((await sameDims.get("/readyz")).body.reasons[0]).toContain('from model "hash-bow-256-b"');
    expect((await sameDims.del(`/documents/${CORPUS[0]!.id}`)).status).toBe(200);
    expect((await sameDims.get("/readyz")).status).toBe(200);
    await sameDims.close();

    const adopted = await startRag({ dataDir: data.dir, baseURL: server.baseURL, model: "hash-bow-128" });
    expect((await adopted.get("/readyz")).status).toBe(200);
    const res = await ingest(adopted, CORPUS[1]!);
    expect(res.body.embedding).toEqual({ model: "hash-bow-128", dimensions: 128 });
    expect((await adopted.search({ query: "daylight factor office" })).body.results[0].documentId).toBe(CORPUS[1]!.id);
    await adopted.close();
    data.remove();
  });
});
