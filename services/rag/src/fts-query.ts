/**
 * A user's free text as an FTS5 MATCH expression that cannot be a syntax error: every word is
 * a double-quoted string (FTS5's own escaping: a quoted string is a literal phrase, so `AND`,
 * `OR`, `NEAR`, `(`, `*`, `:` and `"` lose any meaning), joined with OR so BM25 ranks chunks by
 * how many and how rare the query words they hold are.
 */

/**
 * Words too common to rank by (Lucene's English stop set plus question words): dropped from the
 * query unless nothing else is left. They would match nearly every chunk, and FTS5 scores every
 * match before it can order them, so keeping them costs time for next to no ranking signal.
 */
export const STOP_WORDS: ReadonlySet<string> = new Set([
  "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it", "no", "not",
  "of", "on", "or", "such", "that", "the", "their", "then", "there", "these", "they", "this", "to", "was",
  "will", "with", "what", "which", "who", "whom", "how", "when", "where", "why", "do", "does", "did", "can",
  "could", "should", "would", "i", "we", "you", "our", "my", "me", "from", "about", "any", "has", "have",
]);

/** At most this many distinct words go into one query (each adds a doclist scan). */
export const MAX_QUERY_TERMS = 32;

/** The words of `text`, lower-cased, in order, without duplicates. */
export function queryWords(text: string): string[] {
  const words = text.toLowerCase().match(/[\p{L}\p{M}\p{N}]+/gu) ?? [];
  return [...new Set(words)];
}

/** The MATCH expression for `text`, or undefined when it has no words at all. */
export function ftsMatchExpression(text: string): string | undefined {
  const words = queryWords(text);
  const content = words.filter((w) => !STOP_WORDS.has(w));
  const chosen = (content.length > 0 ? content : words).slice(0, MAX_QUERY_TERMS);
  if (chosen.length === 0) return undefined;
  return chosen.map((w) => `"${w.replace(/"/g, '""')}"`).join(" OR ");
}
