/**
 * The document store: one SQLite file (node:sqlite) holding documents, their chunks, an FTS5
 * index of the chunks (BM25) and sqlite-vec tables of their embeddings. Every write is one
 * transaction, so a document is either wholly there (text, chunks, index rows, vectors) or not
 * at all, whatever happens to the process.
 *
 * Vector search is exact (sqlite-vec's brute-force KNN over float32) while the store is small;
 * above `exactSearchMaxChunks` it takes the nearest codes of a 1-bit-per-dimension index
 * (`vec_quantize_binary`, Hamming distance) and re-ranks `oversample`× as many of them by exact
 * cosine distance — bench/run.mjs measures both, and the recall of the second against the first.
 */
import { DatabaseSync, type SQLInputValue, type StatementSync } from "node:sqlite";
import { mkdirSync } from "node:fs";
import path from "node:path";
import * as sqliteVec from "sqlite-vec";
import type { DocumentFormat } from "./chunking";

export type MetadataValue = string | number | boolean;
export type Metadata = Record<string, MetadataValue>;

/** Which embedding model made the stored vectors, and their length. */
export interface EmbeddingSpace {
  model: string;
  dimensions: number;
}

export interface NewDocument {
  id: string;
  format: DocumentFormat;
  text: string;
  metadata: Metadata;
}

export interface NewChunk {
  heading: string;
  text: string;
  embedding: Float32Array;
}

export interface DocumentSummary {
  id: string;
  format: DocumentFormat;
  metadata: Metadata;
  characters: number;
  chunkCount: number;
  createdAt: string;
  updatedAt: string;
}

export interface StoredDocument extends DocumentSummary {
  text: string;
  chunks: { index: number; heading: string; text: string }[];
}

export interface ChunkRecord {
  chunkId: number;
  documentId: string;
  index: number;
  heading: string;
  text: string;
  metadata: Metadata;
}

export interface KeywordHit {
  chunkId: number;
  /** FTS5 bm25(): lower is better (negative). */
  bm25: number;
}

export interface VectorHit {
  chunkId: number;
  /** Cosine distance, 1 − cos θ. */
  distance: number;
}

export type VectorStrategy = "exact" | "binary-rerank";

export interface StoreOptions {
  /** Up to this many stored chunks, vector search is an exact KNN scan. @default 20000 */
  exactSearchMaxChunks?: number;
  /** Above it, this many binary-code neighbours per wanted result are re-ranked exactly. @default 4 */
  binaryOversample?: number;
  /** Above it, a filtered search with at most this many candidates looks their vectors up one by one (~7 µs each). @default 2000 */
  exactLookupMaxCandidates?: number;
}

/** sqlite-vec's largest `k` for one KNN query. */
export const MAX_KNN = 4096;

export class DocumentExistsError extends Error {
  constructor(readonly documentId: string) {
    super(`Document ${documentId} already exists; PUT /documents/${documentId} replaces it.`);
    this.name = "DocumentExistsError";
  }
}

export class SpaceMismatchError extends Error {
  constructor(readonly stored: EmbeddingSpace, readonly requested: EmbeddingSpace) {
    super(spaceMismatchReason(stored, requested));
    this.name = "SpaceMismatchError";
  }
}

export function spaceMismatchReason(stored: EmbeddingSpace, requested: EmbeddingSpace): string {
  return (
    `the store holds ${stored.dimensions}-dimension vectors from model "${stored.model}", but the embedding ` +
    `endpoint gives ${requested.dimensions}-dimension vectors from model "${requested.model}"; vectors of ` +
    `different models cannot be compared — configure "${stored.model}" again, or use a new RAG_DATA_DIR and re-ingest`
  );
}

const sameSpace = (a: EmbeddingSpace, b: EmbeddingSpace) => a.model === b.model && a.dimensions === b.dimensions;

/** SQL (over `documents d`) and parameters keeping chunks whose document metadata equals `filter` on every key. */
export function metadataFilterSql(filter: Metadata): { sql: string; params: SQLInputValue[] } {
  const clauses: string[] = [];
  const params: SQLInputValue[] = [];
  for (const [key, value] of Object.entries(filter)) {
    // Keys are validated (letters, digits, _ and -), so quoting them in the JSON path is safe.
    const jsonPath = `$."${key}"`;
    if (typeof value === "boolean") {
      clauses.push("json_type(d.metadata, ?) = ?");
      params.push(jsonPath, value ? "true" : "false");
    } else if (typeof value === "number") {
      clauses.push("json_type(d.metadata, ?) IN ('integer', 'real') AND json_extract(d.metadata, ?) = ?");
      params.push(jsonPath, jsonPath, value);
    } else {
      clauses.push("json_type(d.metadata, ?) = 'text' AND json_extract(d.metadata, ?) = ?");
      params.push(jsonPath, jsonPath, value);
    }
  }
  return { sql: clauses.length > 0 ? clauses.join(" AND ") : "1", params };
}

const asBlob = (vector: Float32Array) => new Uint8Array(vector.buffer, vector.byteOffset, vector.byteLength);

interface DocumentRow {
  id: string;
  format: DocumentFormat;
  metadata: string;
  characters: number;
  chunk_count: number;
  created_at: string;
  updated_at: string;
}

const summaryOf = (row: DocumentRow): DocumentSummary => ({
  id: row.id,
  format: row.format,
  metadata: JSON.parse(row.metadata) as Metadata,
  characters: row.characters,
  chunkCount: row.chunk_count,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const SCHEMA = `
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
CREATE TABLE IF NOT EXISTS documents (
  id TEXT PRIMARY KEY,
  format TEXT NOT NULL,
  metadata TEXT NOT NULL,
  text TEXT NOT NULL,
  characters INTEGER NOT NULL,
  chunk_count INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS chunks (
  id INTEGER PRIMARY KEY,
  document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  heading TEXT NOT NULL,
  text TEXT NOT NULL,
  UNIQUE (document_id, position)
) STRICT;
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5(
  heading, text, content = '', contentless_delete = 1, tokenize = 'porter unicode61 remove_diacritics 2'
);
`;

export const DATABASE_FILE = "rag.sqlite";

export class RagStore {
  readonly file: string;
  private readonly db: DatabaseSync;
  private readonly exactSearchMaxChunks: number;
  private readonly binaryOversample: number;
  private readonly exactLookupMaxCandidates: number;
  private cachedSpace: EmbeddingSpace | undefined;
  private totalChunks: number;
  private readonly statements = new Map<string, StatementSync>();

  /** Opens (creating if needed) `<dataDir>/rag.sqlite`; `":memory:"` for a throw-away store. */
  static open(dataDir: string, options: StoreOptions = {}): RagStore {
    if (dataDir === ":memory:") return new RagStore(":memory:", options);
    mkdirSync(dataDir, { recursive: true });
    return new RagStore(path.join(dataDir, DATABASE_FILE), options);
  }

  private constructor(file: string, options: StoreOptions) {
    this.file = file;
    this.exactSearchMaxChunks = options.exactSearchMaxChunks ?? 20_000;
    this.binaryOversample = options.binaryOversample ?? 4;
    this.exactLookupMaxCandidates = options.exactLookupMaxCandidates ?? 2000;
    this.db = new DatabaseSync(file, { allowExtension: true });
    sqliteVec.load(this.db);
    this.db.enableLoadExtension(false);
    // WAL: readers never wait for the writer; synchronous=FULL: an acknowledged document
    // survives a power cut too, not only a process crash.
    this.db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;");
    // Exact KNN reads every vector: through a memory map instead of the page cache's read
    // calls it is about a third faster (bench/run.mjs). Address space only, up to the file's size.
    this.db.exec("PRAGMA mmap_size = 1073741824;");
    this.db.exec(SCHEMA);
    this.cachedSpace = this.readSpace();
    this.totalChunks = Number((this.statement("SELECT count(*) AS n FROM chunks").get() as { n: number }).n);
  }

  private statement(sql: string): StatementSync {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql);
      this.statements.set(sql, stmt);
    }
    return stmt;
  }

  private readSpace(): EmbeddingSpace | undefined {
    const rows = this.statement("SELECT key, value FROM settings WHERE key IN ('embedding_model', 'embedding_dimensions')").all() as {
      key: string;
      value: string;
    }[];
    const model = rows.find((r) => r.key === "embedding_model")?.value;
    const dimensions = rows.find((r) => r.key === "embedding_dimensions")?.value;
    return model !== undefined && dimensions !== undefined ? { model, dimensions: Number(dimensions) } : undefined;
  }

  /** The space of the stored vectors; undefined until the first document. */
  space(): EmbeddingSpace | undefined {
    return this.cachedSpace;
  }

  /** Why vectors of `space` cannot go into or be searched against this store, if they cannot. */
  spaceProblem(space: EmbeddingSpace): string | undefined {
    const stored = this.cachedSpace;
    if (!stored || sameSpace(stored, space) || this.totalChunks === 0) return undefined;
    return spaceMismatchReason(stored, space);
  }

  chunkCount(): number {
    return this.totalChunks;
  }

  /** Throws when the database cannot answer (closed, file gone bad). */
  ping(): void {
    this.statement("SELECT 1").get();
  }

  private transaction<T>(work: () => T): T {
    this.db.exec("BEGIN IMMEDIATE");
    try {
      const result = work();
      this.db.exec("COMMIT");
      return result;
    } catch (error) {
      this.db.exec("ROLLBACK");
      throw error;
    }
  }

  /** Inside a transaction: make the vector tables fit `space` (an empty store adopts any space). */
  private adoptSpace(space: EmbeddingSpace): void {
    const stored = this.readSpace();
    if (stored && sameSpace(stored, space)) return;
    if (stored && this.totalChunks > 0) throw new SpaceMismatchError(stored, space);
    if (!Number.isInteger(space.dimensions) || space.dimensions < 1) throw new Error(`invalid embedding dimension ${space.dimensions}`);
    this.db.exec("DROP TABLE IF EXISTS chunk_vectors; DROP TABLE IF EXISTS chunk_codes;");
    this.db.exec(`CREATE VIRTUAL TABLE chunk_vectors USING vec0(chunk_id INTEGER PRIMARY KEY, embedding float[${space.dimensions}] distance_metric=cosine)`);
    // vec0 bit vectors need whole bytes; other lengths are always searched exactly.
    if (space.dimensions % 8 === 0) this.db.exec(`CREATE VIRTUAL TABLE chunk_codes USING vec0(chunk_id INTEGER PRIMARY KEY, code bit[${space.dimensions}])`);
    const upsert = this.statement("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    upsert.run("embedding_model", space.model);
    upsert.run("embedding_dimensions", String(space.dimensions));
    this.clearStatements();
  }

  /** Prepared statements over dropped tables are invalid. */
  private clearStatements(): void {
    this.statements.clear();
  }

  private hasCodes(): boolean {
    return (this.cachedSpace?.dimensions ?? 1) % 8 === 0;
  }

  /** Inside a transaction: remove a document's chunks from every table; returns how many there were. */
  private removeChunks(documentId: string): number {
    const ids = this.statement("SELECT id FROM chunks WHERE document_id = ?").all(documentId) as { id: number }[];
    const codes = this.hasCodes() ? this.statement("DELETE FROM chunk_codes WHERE chunk_id = ?") : undefined;
    for (const { id } of ids) {
      this.statement("DELETE FROM chunks_fts WHERE rowid = ?").run(id);
      this.statement("DELETE FROM chunk_vectors WHERE chunk_id = ?").run(BigInt(id));
      codes?.run(BigInt(id));
    }
    this.statement("DELETE FROM chunks WHERE document_id = ?").run(documentId);
    return ids.length;
  }

  /**
   * Stores a document with its chunks, index rows and vectors in one transaction. `replace`
   * swaps out an existing document of the same id in the same transaction; without it an
   * existing id is a `DocumentExistsError`.
   */
  insertDocument(document: NewDocument, chunks: readonly NewChunk[], space: EmbeddingSpace, options: { replace?: boolean } = {}): DocumentSummary {
    const now = new Date().toISOString();
    let written: { summary: DocumentSummary; removed: number };
    try {
      written = this.transaction(() => this.writeDocument(document, chunks, space, options.replace ?? false, now));
    } catch (error) {
      // The rollback may have undone a change of space (tables and settings): forget what we knew.
      this.clearStatements();
      this.cachedSpace = this.readSpace();
      throw error;
    }
    this.cachedSpace = space;
    this.totalChunks += chunks.length - written.removed;
    return written.summary;
  }

  private writeDocument(
    document: NewDocument,
    chunks: readonly NewChunk[],
    space: EmbeddingSpace,
    replace: boolean,
    now: string,
  ): { summary: DocumentSummary; removed: number } {
    this.adoptSpace(space);
    const existing = this.statement("SELECT created_at FROM documents WHERE id = ?").get(document.id) as { created_at: string } | undefined;
    if (existing && !replace) throw new DocumentExistsError(document.id);
    let removed = 0;
    if (existing) {
      removed = this.removeChunks(document.id);
      this.statement("DELETE FROM documents WHERE id = ?").run(document.id);
    }
    const row: DocumentRow = {
      id: document.id,
      format: document.format,
      metadata: JSON.stringify(document.metadata),
      characters: document.text.length,
      chunk_count: chunks.length,
      created_at: existing?.created_at ?? now,
      updated_at: now,
    };
    this.statement(
      "INSERT INTO documents (id, format, metadata, text, characters, chunk_count, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    ).run(row.id, row.format, row.metadata, document.text, row.characters, row.chunk_count, row.created_at, row.updated_at);
    const insertChunk = this.statement("INSERT INTO chunks (document_id, position, heading, text) VALUES (?, ?, ?, ?)");
    const insertFts = this.statement("INSERT INTO chunks_fts (rowid, heading, text) VALUES (?, ?, ?)");
    const insertVector = this.statement("INSERT INTO chunk_vectors (chunk_id, embedding) VALUES (?, ?)");
    const insertCode = space.dimensions % 8 === 0 ? this.statement("INSERT INTO chunk_codes (chunk_id, code) VALUES (?, vec_quantize_binary(?))") : undefined;
    chunks.forEach((chunk, position) => {
      const chunkId = BigInt(insertChunk.run(document.id, position, chunk.heading, chunk.text).lastInsertRowid);
      insertFts.run(chunkId, chunk.heading, chunk.text);
      const blob = asBlob(chunk.embedding);
      insertVector.run(chunkId, blob);
      insertCode?.run(chunkId, blob);
    });
    return { summary: summaryOf(row), removed };
  }

  /** Removes a document and everything derived from it; undefined when there was none. */
  deleteDocument(id: string): { chunks: number } | undefined {
    const removed = this.transaction(() => {
      if (!this.hasDocument(id)) return undefined;
      const chunks = this.removeChunks(id);
      this.statement("DELETE FROM documents WHERE id = ?").run(id);
      return chunks;
    });
    if (removed === undefined) return undefined;
    this.totalChunks -= removed;
    return { chunks: removed };
  }

  hasDocument(id: string): boolean {
    return this.statement("SELECT 1 AS x FROM documents WHERE id = ?").get(id) !== undefined;
  }

  getDocument(id: string): StoredDocument | undefined {
    const row = this.statement(
      "SELECT id, format, metadata, text, characters, chunk_count, created_at, updated_at FROM documents WHERE id = ?",
    ).get(id) as (DocumentRow & { text: string }) | undefined;
    if (!row) return undefined;
    const chunks = (
      this.statement("SELECT position, heading, text FROM chunks WHERE document_id = ? ORDER BY position").all(id) as {
        position: number;
        heading: string;
        text: string;
      }[]
    ).map((c) => ({ index: c.position, heading: c.heading, text: c.text }));
    return { ...summaryOf(row), text: row.text, chunks };
  }

  listDocuments(limit: number, offset: number): { documents: DocumentSummary[]; total: number } {
    const rows = this.statement(
      "SELECT id, format, metadata, characters, chunk_count, created_at, updated_at FROM documents ORDER BY id LIMIT ? OFFSET ?",
    ).all(limit, offset) as unknown as DocumentRow[];
    const total = (this.statement("SELECT count(*) AS n FROM documents").get() as { n: number }).n;
    return { documents: rows.map(summaryOf), total: Number(total) };
  }

  /** BM25 ranking of the chunks matching an FTS5 expression (see fts-query.ts), best first. */
  keywordSearch(match: string, depth: number, filter?: Metadata): KeywordHit[] {
    if (!filter || Object.keys(filter).length === 0) {
      return this.statement("SELECT rowid AS chunkId, rank AS bm25 FROM chunks_fts WHERE chunks_fts MATCH ? ORDER BY rank LIMIT ?").all(
        match,
        depth,
      ) as unknown as KeywordHit[];
    }
    const where = metadataFilterSql(filter);
    return this.statement(
      `SELECT f.rowid AS chunkId, f.rank AS bm25 FROM chunks_fts f
         JOIN chunks c ON c.id = f.rowid JOIN documents d ON d.id = c.document_id
        WHERE chunks_fts MATCH ? AND ${where.sql} ORDER BY f.rank LIMIT ?`,
    ).all(match, ...where.params, depth) as unknown as KeywordHit[];
  }

  /** Ids of the chunks whose document metadata matches `filter`. */
  chunkIdsMatching(filter: Metadata): number[] {
    const where = metadataFilterSql(filter);
    // Documents first (one JSON test per document), then their chunks by index: CROSS JOIN
    // fixes that order, which is ~10× faster than testing the metadata once per chunk.
    const sql = `SELECT c.id FROM documents d CROSS JOIN chunks c ON c.document_id = d.id WHERE ${where.sql}`;
    return (this.statement(sql).all(...where.params) as { id: number }[]).map((r) => r.id);
  }

  /**
   * The `depth` chunks nearest to `vector` by cosine distance, best first, and how they were
   * found; only among `candidates` (chunk ids, from `chunkIdsMatching`) when given.
   *
   * sqlite-vec reads every stored vector whether or not a candidate list narrows the KNN, so
   * the choice follows the store's size: exact KNN while a full scan is cheap; else exact
   * distances of a short candidate list one by one; else the binary-code pre-selection.
   */
  vectorSearch(vector: Float32Array, depth: number, candidates?: readonly number[]): { hits: VectorHit[]; strategy: VectorStrategy } {
    const space = this.cachedSpace;
    if (!space || this.totalChunks === 0 || candidates?.length === 0) return { hits: [], strategy: "exact" };
    if (vector.length !== space.dimensions) throw new Error(`query vector has ${vector.length} dimensions, the store ${space.dimensions}`);
    const restrict = candidates ? " AND chunk_id IN (SELECT value FROM json_each(?))" : "";
    const params = candidates ? [JSON.stringify(candidates)] : [];
    const blob = asBlob(vector);
    const k = Math.min(depth, MAX_KNN);

    if (this.totalChunks <= this.exactSearchMaxChunks || !this.hasCodes()) {
      const hits = this.statement(`SELECT chunk_id AS chunkId, distance FROM chunk_vectors WHERE embedding MATCH ? AND k = ?${restrict}`).all(
        blob,
        k,
        ...params,
      ) as unknown as VectorHit[];
      return { hits, strategy: "exact" };
    }
    if (candidates && candidates.length <= this.exactLookupMaxCandidates) {
      return { hits: this.exactDistances(blob, candidates, k), strategy: "exact" };
    }
    const coarse = this.statement(`SELECT chunk_id AS chunkId FROM chunk_codes WHERE code MATCH vec_quantize_binary(?) AND k = ?${restrict}`).all(
      blob,
      Math.min(k * this.binaryOversample, MAX_KNN),
      ...params,
    ) as { chunkId: number }[];
    return { hits: this.exactDistances(blob, coarse.map((c) => c.chunkId), k), strategy: "binary-rerank" };
  }

  /** The `k` of `ids` nearest to the query by exact cosine distance, one vector lookup each. */
  private exactDistances(query: Uint8Array, ids: readonly number[], k: number): VectorHit[] {
    const distance = this.statement("SELECT vec_distance_cosine(embedding, ?) AS distance FROM chunk_vectors WHERE chunk_id = ?");
    return ids
      .map((chunkId) => ({ chunkId, distance: (distance.get(query, BigInt(chunkId)) as { distance: number }).distance }))
      .sort((a, b) => a.distance - b.distance || a.chunkId - b.chunkId)
      .slice(0, k);
  }

  /** The chunks with these ids, with their document's id and metadata. */
  chunksByIds(ids: readonly number[]): Map<number, ChunkRecord> {
    const rows = this.statement(
      `SELECT c.id AS chunkId, c.document_id AS documentId, c.position AS "index", c.heading, c.text, d.metadata
         FROM chunks c JOIN documents d ON d.id = c.document_id
        WHERE c.id IN (SELECT value FROM json_each(?))`,
    ).all(JSON.stringify(ids)) as unknown as (Omit<ChunkRecord, "metadata"> & { metadata: string })[];
    return new Map(rows.map((r) => [r.chunkId, { ...r, metadata: JSON.parse(r.metadata) as Metadata }]));
  }

  close(): void {
    if (this.db.isOpen) this.db.close();
  }
}
