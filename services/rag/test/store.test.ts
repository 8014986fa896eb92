/** The store layer directly: transactions, vector search strategies, filters. */
import "../src/quiet-sqlite-warning";
import { RagStore, metadataFilterSql, type NewChunk } from "../src/store";
import { hashedEmbedding } from "./embedding-server";
import { tempDir } from "./helpers";

const SPACE = { model: "hash-bow-64", dimensions: 64 };
const embed = (text: string, dims = 64) => Float32Array.from(hashedEmbedding(text, dims));
const chunk = (text: string, dims = 64): NewChunk => ({ heading: "", text, embedding: embed(text, dims) });

function cosineDistance(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return 1 - dot / Math.sqrt(na * nb);
}

test("a write that fails half-way leaves nothing behind, and the store keeps working", () => {
  const data = tempDir();
  const store = RagStore.open(data.dir);
  store.insertDocument({ id: "kept", format: "text", text: "Kept text.", metadata: {} }, [chunk("Kept brick wall text.")], SPACE);
  const broken = [chunk("Copper roof flashing one."), chunk("Copper roof flashing two."), { ...chunk("x"), embedding: new Float32Array(12).fill(1) }];
  expect(() => store.insertDocument({ id: "broken", format: "text", text: "Copper.", metadata: {} }, broken, SPACE)).toThrow(/Dimension mismatch/);
  expect(store.hasDocument("broken")).toBe(false);
  expect(store.chunkCount()).toBe(1);
  expect(store.keywordSearch('"copper"', 10)).toEqual([]);
  expect(store.vectorSearch(embed("Copper roof flashing one."), 10).hits.map((h) => h.chunkId)).toHaveLength(1);
  store.close();
  // Nothing half-written reappears from the file either.
  const reopened = RagStore.open(data.dir);
  expect(reopened.listDocuments(10, 0).documents.map((d) => d.id)).toEqual(["kept"]);
  reopened.insertDocument({ id: "copper", format: "text", text: "Copper.", metadata: {} }, broken.slice(0, 2), SPACE);
  expect(reopened.keywordSearch('"copper"', 10)).toHaveLength(2);
  reopened.close();
  data.remove();
});

test("the very first write failing leaves the store without a space, free to take any", () => {
  const store = RagStore.open(":memory:");
  expect(() =>
    store.insertDocument({ id: "a", format: "text", text: "a", metadata: {} }, [chunk("alpha"), { ...chunk("beta"), embedding: new Float32Array(3).fill(1) }], SPACE),
  ).toThrow();
  expect(store.space()).toBeUndefined();
  store.insertDocument({ id: "b", format: "text", text: "b", metadata: {} }, [chunk("gamma", 16)], { model: "m16", dimensions: 16 });
  expect(store.space()).toEqual({ model: "m16", dimensions: 16 });
  expect(store.vectorSearch(embed("gamma", 16), 5).hits).toHaveLength(1);
  store.close();
});

/** Same neighbours up to ties: the k smallest true distances, each hit at its own true distance. */
function expectNearest(hits: { chunkId: number; distance: number }[], truth: { chunkId: number; distance: number }[], k: number) {
  expect(hits).toHaveLength(k);
  hits.forEach((h, i) => {
    expect(h.distance).toBeCloseTo(truth[i]!.distance, 5);
    expect(h.distance).toBeCloseTo(truth.find((t) => t.chunkId === h.chunkId)!.distance, 5);
  });
}

describe("vector search strategies", () => {
  const words = ["brick", "timber", "steel", "glass", "concrete", "copper", "zinc", "stone", "slate", "render", "clay", "lime"];
  const texts = Array.from({ length: 240 }, (_, i) => `${words[i % 12]} ${words[(i * 7) % 12]} ${words[(i * 5 + 3) % 12]} panel ${i} item${i % 17}`);
  const fill = (store: RagStore) => {
    for (let d = 0; d < 24; d++) {
      const slice = texts.slice(d * 10, d * 10 + 10);
      store.insertDocument({ id: `doc-${d}`, format: "text", text: slice.join(" "), metadata: { group: d % 3 === 0 ? "a" : "b" } }, slice.map((t) => chunk(t)), SPACE);
    }
  };
  const query = embed("zinc copper panel item3");
  const all = texts.map((t, i) => ({ chunkId: i + 1, distance: cosineDistance(query, embed(t)) })).sort((a, b) => a.distance - b.distance || a.chunkId - b.chunkId);

  test("exact below the threshold: the true nearest neighbours, with their cosine distances", () => {
    const store = RagStore.open(":memory:");
    fill(store);
    const { hits, strategy } = store.vectorSearch(query, 10);
    expect(strategy).toBe("exact");
    expectNearest(hits, all, 10);
    store.close();
  });

  test("above it: binary-code candidates re-ranked by exact distance (all candidates → the exact answer)", () => {
    const store = RagStore.open(":memory:", { exactSearchMaxChunks: 0, binaryOversample: 24 });
    fill(store);
    const { hits, strategy } = store.vectorSearch(query, 10);
    expect(strategy).toBe("binary-rerank");
    expectNearest(hits, all, 10);
    store.close();
    const narrow = RagStore.open(":memory:", { exactSearchMaxChunks: 0, binaryOversample: 2 });
    fill(narrow);
    const few = narrow.vectorSearch(query, 10).hits;
    expect(few).toHaveLength(10);
    // Whatever the candidates, distances are exact cosine and in order.
    for (const h of few) expect(h.distance).toBeCloseTo(all.find((a) => a.chunkId === h.chunkId)!.distance, 5);
    expect(few.map((h) => h.distance)).toEqual([...few.map((h) => h.distance)].sort((a, b) => a - b));
    narrow.close();
  });

  test.each([
    ["exact KNN", "exact", {}],
    ["exact lookup", "exact", { exactSearchMaxChunks: 10 }],
    ["binary-rerank", "binary-rerank", { exactSearchMaxChunks: 10, exactLookupMaxCandidates: 50 }],
  ])("a metadata filter restricts the %s search to matching documents", (_name, strategy, options) => {
    const store = RagStore.open(":memory:", { ...options, binaryOversample: 30 });
    fill(store);
    const result = store.vectorSearch(query, 10, store.chunkIdsMatching({ group: "a" }));
    expect(result.strategy).toBe(strategy);
    const allowed = new Set(Array.from({ length: 240 }, (_, i) => i + 1).filter((id) => Math.floor((id - 1) / 10) % 3 === 0));
    expect(result.hits).toHaveLength(10);
    expect(result.hits.every((h) => allowed.has(h.chunkId))).toBe(true);
    expectNearest(result.hits, all.filter((a) => allowed.has(a.chunkId)), 10);
    expect(store.chunkIdsMatching({ group: "none" })).toEqual([]);
    expect(store.vectorSearch(query, 10, []).hits).toEqual([]);
    store.close();
  });

  test("dimensions that are not whole bytes have no binary index and are always exact", () => {
    const store = RagStore.open(":memory:", { exactSearchMaxChunks: 0 });
    store.insertDocument({ id: "odd", format: "text", text: "t", metadata: {} }, [chunk("brick wall", 12), chunk("glass roof", 12)], { model: "m12", dimensions: 12 });
    const result = store.vectorSearch(embed("glass roof", 12), 1);
    expect(result).toEqual({ strategy: "exact", hits: [{ chunkId: 2, distance: expect.any(Number) }] });
    store.deleteDocument("odd");
    expect(store.chunkCount()).toBe(0);
    store.close();
  });
});

test("metadata filters compare types exactly: true is not 1, '1' is not 1", () => {
  const store = RagStore.open(":memory:");
  const docs: { id: string; metadata: Record<string, string | number | boolean> }[] = [
    { id: "bool", metadata: { v: true } },
    { id: "num", metadata: { v: 1 } },
    { id: "str", metadata: { v: "1" } },
    { id: "none", metadata: {} },
  ];
  for (const d of docs) store.insertDocument({ id: d.id, format: "text", text: "slab", metadata: d.metadata }, [chunk(`slab ${d.id}`)], SPACE);
  const match = (filter: Record<string, string | number | boolean>) =>
    store.keywordSearch('"slab"', 10, filter).map((h) => store.chunksByIds([h.chunkId]).get(h.chunkId)!.documentId);
  expect(match({ v: true })).toEqual(["bool"]);
  expect(match({ v: 1 })).toEqual(["num"]);
  expect(match({ v: "1" })).toEqual(["str"]);
  expect(match({ v: false })).toEqual([]);
  expect(metadataFilterSql({})).toEqual({ sql: "1", params: [] });
  store.close();
});
