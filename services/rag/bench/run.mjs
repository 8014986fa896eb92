// Benchmarks of the RAG store and search, each next to a baseline measured in the same run.
// Run with `npm run bench -w services/rag` (or the root's `npm run bench`); it builds first.
// Synthetic data, written straight through the store layer (no HTTP, no embedding endpoint):
// BENCH_CHUNKS chunks (default 100,000) in documents of 10, 384-d unit vectors clustered
// around topics, texts drawn from a Zipf vocabulary whose commonest words are English stop
// words plus words of the chunk's topic, so keyword and vector neighbours agree as in real data.
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { REPO_ROOT, buildService } from "../../../bench/service-build.mjs";

const root = REPO_ROOT;
const require = createRequire(import.meta.url);
buildService("rag");

require(path.join(root, "services/rag/dist/quiet-sqlite-warning.js"));
const { DatabaseSync } = require("node:sqlite");
const { RagStore, DATABASE_FILE } = require(path.join(root, "services/rag/dist/store.js"));
const { hybridSearch } = require(path.join(root, "services/rag/dist/search.js"));
const { ftsMatchExpression, STOP_WORDS } = require(path.join(root, "services/rag/dist/fts-query.js"));

const CHUNKS = Number(process.env.BENCH_CHUNKS ?? 100_000);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 200);
const D = 384;
const PER_DOC = 10;
const TOPICS = 2000;
const WORDS_PER_CHUNK = 120;
const K = 10;
const DEPTH = 30; // RAG_SEARCH_DEPTH default

// Deterministic pseudo-random numbers (mulberry32) and normal deviates.
let seed = 0x5eed;
const random = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
const normalize = (v) => {
  let n = 0;
  for (const x of v) n += x * x;
  n = Math.sqrt(n);
  for (let i = 0; i < v.length; i++) v[i] /= n;
  return v;
};

// Vocabulary: stop words first (the commonest), then pseudo-words; Zipf-distributed.
const syllables = ["ba", "de", "ki", "lo", "mu", "na", "pe", "ri", "so", "tu", "va", "ze", "fo", "gu", "hi", "ja"];
const pseudo = (i) => {
  let w = "";
  let x = i + 17;
  do {
    w += syllables[x % 16];
    x = Math.floor(x / 16);
  } while (x > 0);
  return `${w}x`;
};
const VOCAB = [...STOP_WORDS, ...Array.from({ length: 30_000 }, (_, i) => pseudo(i))];
const cdf = new Float64Array(VOCAB.length);
{
  let s = 0;
  for (let i = 0; i < VOCAB.length; i++) cdf[i] = s += 1 / (i + 1);
  for (let i = 0; i < VOCAB.length; i++) cdf[i] /= s;
}
const zipfWord = () => {
  const u = random();
  let lo = 0;
  let hi = VOCAB.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cdf[mid] < u) lo = mid + 1;
    else hi = mid;
  }
  return VOCAB[lo];
};
const pick = (list) => list[Math.floor(random() * list.length)];

// Latent topics: a chunk mixes a main topic with two minor ones (random weights) plus noise,
// so similarities spread continuously as with real embeddings, not in tied clusters.
const topicWords = (t) => Array.from({ length: 12 }, (_, j) => pseudo(40_000 + t * 12 + j));
const topicVectors = Array.from({ length: TOPICS }, () => normalize(Float32Array.from({ length: D }, gaussian)));
const NOISE = 0.02; // per dimension: a noise vector of length ≈ 0.4 against the unit main topic

const vectors = new Float32Array(CHUNKS * D); // every chunk's unit vector, for the JS scan baseline
const mainTopic = (chunk) => (chunk * 7919) % TOPICS;
function makeChunk(i, v = vectors.subarray(i * D, (i + 1) * D)) {
  const topics = [mainTopic(i), Math.floor(random() * TOPICS), Math.floor(random() * TOPICS)];
  const weights = [1, 0.3 + 0.4 * random(), 0.1 + 0.3 * random()];
  for (let j = 0; j < D; j++) v[j] = NOISE * gaussian();
  topics.forEach((t, n) => {
    for (let j = 0; j < D; j++) v[j] += weights[n] * topicVectors[t][j];
  });
  normalize(v);
  const words = [];
  for (let w = 0; w < WORDS_PER_CHUNK; w++) {
    const r = random();
    words.push(r < 0.1 ? pick(topicWords(topics[0])) : r < 0.15 ? pick(topicWords(topics[1])) : zipfWord());
  }
  return { heading: `Topic ${topics[0]}`, text: `${words.join(" ")}.`, embedding: v };
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];

/** The baseline: brute-force cosine over every vector in a plain JS loop (vectors are unit length), top `k` kept by insertion. */
function scanTopK(query, k) {
  const best = [];
  for (let i = 0; i < CHUNKS; i++) {
    let dot = 0;
    const o = i * D;
    for (let j = 0; j < D; j++) dot += vectors[o + j] * query[j];
    const distance = 1 - dot;
    if (best.length < k || distance < best[best.length - 1].distance) {
      let at = best.length;
      while (at > 0 && best[at - 1].distance > distance) at--;
      best.splice(at, 0, { id: i + 1, distance });
      if (best.length > k) best.pop();
    }
  }
  return best;
}

async function main() {
  const dir = mkdtempSync(path.join(tmpdir(), "rag-bench-"));
  const space = { model: "synthetic-384", dimensions: D };
  const store = RagStore.open(dir);

  // Ingest: one transaction per document, as POST /documents does (embedding excluded).
  // Only insertDocument is timed, not making up the synthetic chunks.
  const docs = CHUNKS / PER_DOC;
  let ingestNs = 0n;
  for (let d = 0; d < docs; d++) {
    const chunks = Array.from({ length: PER_DOC }, (_, c) => makeChunk(d * PER_DOC + c));
    const document = { id: `doc-${d}`, format: "text", text: chunks.map((c) => c.text).join("\n\n"), metadata: { group: d % 10, batch: d % 100 } };
    const start = process.hrtime.bigint();
    store.insertDocument(document, chunks, space);
    ingestNs += process.hrtime.bigint() - start;
  }
  const ingestSeconds = Number(ingestNs) / 1e9;
  const fileMiB = statSync(path.join(dir, DATABASE_FILE)).size / 2 ** 20;

  // Ingest baseline: the same rows into a plain table, no FTS, no vectors indexed, same durability.
  const plainDir = mkdtempSync(path.join(tmpdir(), "rag-bench-plain-"));
  const plain = new DatabaseSync(path.join(plainDir, "plain.sqlite"));
  plain.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; CREATE TABLE t (id INTEGER PRIMARY KEY, doc TEXT, text TEXT, embedding BLOB)");
  const plainInsert = plain.prepare("INSERT INTO t (doc, text, embedding) VALUES (?, ?, ?)");
  const sample = Array.from({ length: PER_DOC }, (_, c) => makeChunk(c, new Float32Array(D)));
  const plainDocs = Math.min(docs, 2000);
  const plainStart = process.hrtime.bigint();
  for (let d = 0; d < plainDocs; d++) {
    plain.exec("BEGIN IMMEDIATE");
    for (const c of sample) plainInsert.run(`doc-${d}`, c.text, new Uint8Array(c.embedding.buffer, c.embedding.byteOffset, c.embedding.byteLength));
    plain.exec("COMMIT");
  }
  const plainRate = (plainDocs * PER_DOC) / (Number(process.hrtime.bigint() - plainStart) / 1e9);
  plain.close();
  rmSync(plainDir, { recursive: true, force: true });

  // Queries: a chunk's vector with noise, and two of its topic's words among stop words.
  const queries = Array.from({ length: QUERIES }, () => {
    const target = Math.floor(random() * CHUNKS);
    const v = Float32Array.from(vectors.subarray(target * D, (target + 1) * D), (x) => x + NOISE * gaussian());
    const own = topicWords(mainTopic(target));
    const text = ["what", "is", "the", pick(own), "of", pick(own), zipfWord()].join(" ");
    return { vector: normalize(v), text };
  });
  const exactStore = RagStore.open(dir, { exactSearchMaxChunks: Number.MAX_SAFE_INTEGER });
  const sweep = [2, 8].map((oversample) => ({ oversample, store: RagStore.open(dir, { binaryOversample: oversample }) }));

  // Warm-up (page cache, prepared statements).
  for (const q of queries.slice(0, 5)) {
    hybridSearch(store, { query: q.text, queryVector: q.vector, k: K, depth: DEPTH, mode: "hybrid" });
    exactStore.vectorSearch(q.vector, DEPTH);
    scanTopK(q.vector, DEPTH);
  }

  // Each query runs every variant back to back, so baseline and subject see the same machine load.
  const time = (fn) => {
    const t = process.hrtime.bigint();
    const result = fn();
    return { ms: Number(process.hrtime.bigint() - t) / 1e6, result };
  };
  const series = { hybrid: [], approx: [], exact: [], bm25: [], scan: [], filtered: [], narrow: [], ...Object.fromEntries(sweep.map((s) => [`x${s.oversample}`, []])) };
  const recall = { approx: 0, exact: 0, ...Object.fromEntries(sweep.map((s) => [`x${s.oversample}`, 0])) };
  let hybridFaster = 0;
  const filteredStrategies = new Set();
  let strategy;
  const overlap = (hits, truth) => hits.filter((h) => truth.has(h.chunkId)).length / K;
  queries.forEach((q, i) => {
    const hybrid = time(() => hybridSearch(store, { query: q.text, queryVector: q.vector, k: K, depth: DEPTH, mode: "hybrid" }));
    const scan = time(() => scanTopK(q.vector, DEPTH));
    const approx = time(() => store.vectorSearch(q.vector, DEPTH));
    const exact = time(() => exactStore.vectorSearch(q.vector, DEPTH));
    const bm25 = time(() => store.keywordSearch(ftsMatchExpression(q.text), DEPTH));
    const filter = (f) => time(() => hybridSearch(store, { query: q.text, queryVector: q.vector, k: K, depth: DEPTH, mode: "hybrid", filter: f }));
    const filtered = filter({ group: i % 10 });
    const narrow = filter({ batch: i % 100 });
    for (const [name, r] of Object.entries({ hybrid, scan, approx, exact, bm25, filtered, narrow })) series[name].push(r.ms);
    filteredStrategies.add(`${filtered.result.vectorStrategy} / ${narrow.result.vectorStrategy}`);
    strategy = hybrid.result.vectorStrategy;
    if (hybrid.ms < scan.ms) hybridFaster++;
    const truth = new Set(scan.result.slice(0, K).map((h) => h.id));
    recall.approx += overlap(approx.result.hits.slice(0, K), truth);
    recall.exact += overlap(exact.result.hits.slice(0, K), truth);
    for (const s of sweep) {
      const r = time(() => s.store.vectorSearch(q.vector, DEPTH));
      series[`x${s.oversample}`].push(r.ms);
      recall[`x${s.oversample}`] += overlap(r.result.hits.slice(0, K), truth);
    }
  });
  const stats = (name) => {
    const sorted = [...series[name]].sort((a, b) => a - b);
    return `p50 ${percentile(sorted, 0.5).toFixed(1)} ms, p95 ${percentile(sorted, 0.95).toFixed(1)} ms`;
  };
  const rate = (x) => (x / QUERIES).toFixed(3);
  // A query made only of the commonest non-stop words: the slowest kind for BM25.
  const common = VOCAB.filter((w) => !STOP_WORDS.has(w)).slice(0, 3).join(" ");
  const commonTimes = Array.from({ length: 20 }, () => time(() => store.keywordSearch(ftsMatchExpression(common), DEPTH)).ms).sort((a, b) => a - b);

  console.log(`\n${CHUNKS.toLocaleString("en")} chunks × ${D}-d float32, ${docs.toLocaleString("en")} documents, database ${fileMiB.toFixed(0)} MiB;`);
  console.log(`${QUERIES} queries, k = ${K}, ${DEPTH} per list; every variant timed back to back per query; recall@${K} against the JS scan's exact top ${K}.`);
  console.log("");
  console.log("| measurement | result | baseline (same run) | goal |");
  console.log("| --- | --- | --- | --- |");
  console.log(`| hybrid search (BM25 + vector, RRF), excluding the query embedding | ${stats("hybrid")}; vector: ${strategy}; faster than the scan on ${Math.round((100 * hybridFaster) / QUERIES)} % of queries | JS brute-force cosine scan ${stats("scan")} | p95 ≤ 50 ms and faster than the scan |`);
  console.log(`| vector part: binary codes (Hamming) → exact re-rank of ${4 * DEPTH} (default) | ${stats("approx")}, recall@${K} ${rate(recall.approx)} | JS scan ${stats("scan")} | faster than the scan |`);
  for (const s of sweep) console.log(`| same, re-rank of ${s.oversample * DEPTH} (RAG_BINARY_OVERSAMPLE=${s.oversample}) | ${stats(`x${s.oversample}`)}, recall@${K} ${rate(recall[`x${s.oversample}`])} | — | — |`);
  console.log(`| vector part, sqlite-vec exact float32 KNN (used up to 20,000 candidates) | ${stats("exact")}, recall@${K} ${rate(recall.exact)} | JS scan ${stats("scan")} | — |`);
  console.log(`| BM25 part (FTS5, stop words dropped) | ${stats("bm25")} | — | — |`);
  console.log(`| BM25, the 3 commonest non-stop words (worst kind of query) | p50 ${percentile(commonTimes, 0.5).toFixed(1)} ms, p95 ${percentile(commonTimes, 0.95).toFixed(1)} ms | — | — |`);
  console.log(`| hybrid with a metadata filter: 10 % of documents / 1 % (vector: ${[...filteredStrategies].join(", ")}) | ${stats("filtered")} / ${stats("narrow")} | — | — |`);
  console.log(`| ingest through the store, one transaction per 10-chunk document (synchronous=FULL) | ${Math.round(CHUNKS / ingestSeconds).toLocaleString("en")} chunks/s | plain-table inserts, no indexes, same durability: ${Math.round(plainRate).toLocaleString("en")} chunks/s | ≥ 1,000 chunks/s |`);

  for (const s of sweep) s.store.close();
  store.close();
  exactStore.close();
  rmSync(dir, { recursive: true, force: true });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
