/**
 * Chunking: documents become overlapping chunks of whole sentences, never crossing a heading.
 * Sizes are in characters (≈ 4 per token for English), counted on the chunk's text without its
 * heading. A sentence longer than a chunk is the one case cut inside a sentence (at spaces).
 */
import { markdownSections } from "./markdown";
import { splitSentences } from "./sentences";

/** A run of text under one heading path (empty for plain text). */
export interface Section {
  heading: string[];
  paragraphs: string[];
}

export interface ChunkOptions {
  /** Longest chunk text, in characters. */
  maxChars: number;
  /** Up to this many characters of whole trailing sentences repeat at the start of the next chunk. */
  overlapChars: number;
}

export interface Chunk {
  /** Position in the document, from 0. */
  index: number;
  /** The heading path joined with " › ", or "" when there is none. */
  heading: string;
  text: string;
}

export type DocumentFormat = "text" | "markdown";

export const HEADING_SEPARATOR = " › ";

/** Plain text: paragraphs are separated by blank lines; line breaks inside one are spaces. */
export function textSections(text: string): Section[] {
  const paragraphs = text
    .replace(/\r\n?/g, "\n")
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s+/g, " ").trim())
    .filter(Boolean);
  return paragraphs.length > 0 ? [{ heading: [], paragraphs }] : [];
}

export function sectionsOf(text: string, format: DocumentFormat): Section[] {
  return format === "markdown" ? markdownSections(text) : textSections(text);
}

/** Cuts an over-long sentence at spaces (or anywhere, for a single over-long word). */
export function hardWrap(sentence: string, maxChars: number): string[] {
  const pieces: string[] = [];
  let rest = sentence;
  while (rest.length > maxChars) {
    const space = rest.lastIndexOf(" ", maxChars);
    const cut = space > 0 ? space : maxChars;
    pieces.push(rest.slice(0, cut).trim());
    rest = rest.slice(cut).trim();
  }
  if (rest) pieces.push(rest);
  return pieces;
}

interface Unit {
  text: string;
  /** Starts a paragraph: joined to the previous unit with a line break instead of a space. */
  paragraphStart: boolean;
}

function unitsOf(section: Section, maxChars: number): Unit[] {
  const units: Unit[] = [];
  for (const paragraph of section.paragraphs) {
    let first = true;
    for (const sentence of splitSentences(paragraph)) {
      for (const piece of hardWrap(sentence, maxChars)) {
        units.push({ text: piece, paragraphStart: first });
        first = false;
      }
    }
  }
  return units;
}

const joinedLength = (units: readonly Unit[]) => units.reduce((n, u, i) => n + u.text.length + (i > 0 ? 1 : 0), 0);

function joinUnits(units: readonly Unit[]): string {
  return units.map((u, i) => (i === 0 ? u.text : `${u.paragraphStart ? "\n" : " "}${u.text}`)).join("");
}

/** Whole trailing units of `units` that fit in `overlapChars`, never all of them (so chunks advance). */
function overlapTail(units: readonly Unit[], overlapChars: number): Unit[] {
  const tail: Unit[] = [];
  for (let i = units.length - 1; i > 0; i--) {
    const candidate = [units[i]!, ...tail];
    if (joinedLength(candidate) > overlapChars) break;
    tail.unshift(units[i]!);
  }
  return tail;
}

export function chunkSections(sections: readonly Section[], options: ChunkOptions): Chunk[] {
  const chunks: Chunk[] = [];
  for (const section of sections) {
    const heading = section.heading.join(HEADING_SEPARATOR);
    let current: Unit[] = [];
    let fresh = 0; // units in `current` not already emitted in an earlier chunk
    const emit = () => {
      if (fresh > 0) chunks.push({ index: chunks.length, heading, text: joinUnits(current) });
    };
    for (const unit of unitsOf(section, options.maxChars)) {
      if (current.length > 0 && joinedLength([...current, unit]) > options.maxChars) {
        emit();
        current = overlapTail(current, options.overlapChars);
        while (current.length > 0 && joinedLength([...current, unit]) > options.maxChars) current.shift();
        fresh = 0;
      }
      current.push(unit);
      fresh++;
    }
    emit();
  }
  return chunks;
}

export function chunkDocument(text: string, format: DocumentFormat, options: ChunkOptions): Chunk[] {
  return chunkSections(sectionsOf(text, format), options);
}
