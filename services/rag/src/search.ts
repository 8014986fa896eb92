/**
 * Hybrid retrieval: BM25 over the chunk index and nearest neighbours of the query's embedding,
 * each to `depth` results, fused by reciprocal rank fusion; the fused top `k` with their text.
 */
import { ftsMatchExpression } from "./fts-query";
import { RRF_K, reciprocalRankFusion } from "./rrf";
import type { ChunkRecord, Metadata, RagStore, VectorStrategy } from "./store";

export type SearchMode = "hybrid" | "bm25" | "vector";

export interface SearchInput {
  query: string;
  /** The query's embedding; required unless `mode` is "bm25". */
  queryVector?: Float32Array;
  k: number;
  depth: number;
  mode: SearchMode;
  filter?: Metadata;
}

export interface SearchResult extends ChunkRecord {
  /** The fused RRF score (or the single list's 1/(60 + rank) outside hybrid mode). */
  score: number;
  /** 1-based rank in each list, null where the chunk was not among its top `depth`. */
  ranks: { bm25: number | null; vector: number | null };
  bm25: number | null;
  cosineDistance: number | null;
}

export interface SearchOutput {
  results: SearchResult[];
  vectorStrategy: VectorStrategy | null;
  /** The FTS5 expression the query became, or null when it had no words (or mode is "vector"). */
  keywordQuery: string | null;
}

export function hybridSearch(store: RagStore, input: SearchInput): SearchOutput {
  const keywordQuery = input.mode === "vector" ? undefined : ftsMatchExpression(input.query);
  const keyword = keywordQuery ? store.keywordSearch(keywordQuery, input.depth, input.filter) : [];
  let vector: { hits: { chunkId: number; distance: number }[]; strategy: VectorStrategy } | undefined;
  if (input.mode !== "bm25") {
    if (!input.queryVector) throw new Error(`a ${input.mode} search needs the query's embedding`);
    const candidates = input.filter && Object.keys(input.filter).length > 0 ? store.chunkIdsMatching(input.filter) : undefined;
    vector = store.vectorSearch(input.queryVector, input.depth, candidates);
  }
  const lists = [keyword.map((h) => h.chunkId), (vector?.hits ?? []).map((h) => h.chunkId)];
  const fused = reciprocalRankFusion(lists, RRF_K).slice(0, input.k);
  const records = store.chunksByIds(fused.map((f) => f.id));
  const bm25Of = new Map(keyword.map((h) => [h.chunkId, h.bm25]));
  const distanceOf = new Map((vector?.hits ?? []).map((h) => [h.chunkId, h.distance]));
  const results: SearchResult[] = [];
  for (const f of fused) {
    const record = records.get(f.id);
    if (!record) continue; // cannot happen within one synchronous call; never invent a result
    results.push({
      ...record,
      score: f.score,
      ranks: { bm25: f.ranks[0] ?? null, vector: f.ranks[1] ?? null },
      bm25: bm25Of.get(f.id) ?? null,
      cosineDistance: distanceOf.get(f.id) ?? null,
    });
  }
  return { results, vectorStrategy: vector?.strategy ?? null, keywordQuery: keywordQuery ?? null };
}
