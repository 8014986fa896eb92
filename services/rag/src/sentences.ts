/**
 * Sentence splitting: ICU's sentence segmenter (Unicode UAX #29, built into Node's `Intl`),
 * plus one repair it lacks for English: it breaks after an abbreviation followed by a capital
 * ("Dr. Smith", "see Fig. 3"), so a piece ending in a known abbreviation is joined to the next.
 */
const segmenter = new Intl.Segmenter("en", { granularity: "sentence" });

/** Abbreviations that end with a period but rarely end a sentence (lower case, without the dot). */
const ABBREVIATIONS = new Set([
  "dr", "mr", "mrs", "ms", "prof", "st", "fig", "figs", "no", "nos", "cf", "approx", "vs", "sect", "sec",
  "eq", "ref", "vol", "p", "pp", "incl", "ca", "e.g", "i.e", "art", "para", "ch", "tab",
]);

function endsWithAbbreviation(piece: string): boolean {
  const match = /(\S+)\.\s*$/.exec(piece);
  if (!match) return false;
  const word = match[1]!.toLowerCase().replace(/^[("'[]+/, "");
  return ABBREVIATIONS.has(word);
}

/** The sentences of a paragraph, trimmed, none empty; their concatenation keeps every word. */
export function splitSentences(paragraph: string): string[] {
  const sentences: string[] = [];
  let pending = "";
  for (const { segment } of segmenter.segment(paragraph)) {
    pending += segment;
    if (endsWithAbbreviation(pending)) continue;
    const trimmed = pending.trim();
    if (trimmed) sentences.push(trimmed);
    pending = "";
  }
  const rest = pending.trim();
  if (rest) sentences.push(rest);
  return sentences;
}
