/**
 * Markdown to plain sections for chunking and indexing: the syntax goes, the words stay, and
 * headings become each section's context ("Fire safety › Escape routes"). Line-based, covering
 * CommonMark's block forms and GitHub tables; no HTML is rendered. (No Markdown parser is
 * installed in this workspace; this only needs text out, never a faithful AST.)
 */
import type { Section } from "./chunking";

const FENCE = /^\s{0,3}(`{3,}|~{3,})/;
const ATX_HEADING = /^\s{0,3}(#{1,6})(?:\s+(.*?))?\s*#*\s*$/;
const SETEXT_UNDERLINE = /^\s{0,3}(=+|-+)\s*$/;
const THEMATIC_BREAK = /^\s{0,3}([-*_])(\s*\1){2,}\s*$/;
const LIST_ITEM = /^\s*(?:[-*+]|\d{1,9}[.)])\s+(?:\[[ xX]\]\s+)?/;
const BLOCKQUOTE = /^\s{0,3}>\s?/;
const TABLE_ROW = /^\s*\|.*\|\s*$/;
const TABLE_DELIMITER = /^\s*\|?(\s*:?-{1,}:?\s*\|)+\s*(:?-{1,}:?\s*)?\|?\s*$/;
const REFERENCE_DEFINITION = /^\s{0,3}\[[^\]]+\]:\s*\S+/;

/** Escaped punctuation is hidden in the private-use area while syntax is stripped, then restored. */
const PRIVATE_USE = 0xe000;
const hideEscapes = (text: string) => text.replace(/\\([\\`*_{}[\]()#+\-.!|>~<])/g, (_m, c: string) => String.fromCharCode(PRIVATE_USE + c.charCodeAt(0)));
const restoreEscapes = (text: string) => text.replace(/[\ue000-\ue07f]/g, (c) => String.fromCharCode(c.charCodeAt(0) - PRIVATE_USE));

/** Inline syntax to text: images keep their alt text, links their label. */
export function stripInline(line: string): string {
  const stripped = hideEscapes(line)
    .replace(/<!--.*?-->/g, " ")
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/!\[([^\]]*)\]\[[^\]]*\]/g, "$1")
    .replace(/\[\^[^\]]+\]/g, "")
    .replace(/\[([^\]]+)\]\([^)]*\)/g, "$1")
    .replace(/\[([^\]]+)\]\[[^\]]*\]/g, "$1")
    .replace(/<((?:https?|mailto):[^>\s]+)>/g, "$1")
    .replace(/<\/?[A-Za-z][^>]*>/g, " ")
    .replace(/(`+)(.+?)\1/g, "$2")
    .replace(/(\*\*|__)(?=\S)(.+?)(?<=\S)\1/g, "$2")
    .replace(/(^|[^\w*])\*(?=\S)(.+?)(?<=\S)\*(?!\*)/g, "$1$2")
    .replace(/(^|[^\w])_(?=\S)(.+?)(?<=\S)_(?!\w)/g, "$1$2")
    .replace(/~~(?=\S)(.+?)(?<=\S)~~/g, "$1")
    .replace(/\s+/g, " ")
    .trim();
  return restoreEscapes(stripped);
}

function tableCells(row: string): string[] {
  return row
    .trim()
    .replace(/^\|/, "")
    .replace(/\|$/, "")
    .split(/(?<!\\)\|/)
    .map((cell) => stripInline(cell));
}

/** A table row as one line, each cell labelled by its column header ("U-value: 0.18"). */
function tableRowText(header: string[] | undefined, cells: string[]): string {
  return cells
    .map((cell, i) => (header?.[i] && cell ? `${header[i]}: ${cell}` : cell))
    .filter((cell) => cell !== "")
    .join("; ");
}

export function markdownSections(markdown: string): Section[] {
  const lines = markdown.replace(/\r\n?/g, "\n").split("\n");
  const sections: Section[] = [];
  let headingPath: string[] = [];
  let current: Section = { heading: [], paragraphs: [] };
  let paragraph: string[] = [];
  let fence: string | undefined;
  let tableHeader: string[] | undefined;
  let inListItem = false;

  const flush = () => {
    const text = paragraph.map((l) => stripInline(l)).filter(Boolean).join(" ");
    if (text) current.paragraphs.push(text);
    paragraph = [];
    inListItem = false;
  };
  const startSection = (level: number, title: string) => {
    flush();
    if (current.paragraphs.length > 0) sections.push(current);
    headingPath = [...headingPath.slice(0, level - 1), title].filter(Boolean);
    current = { heading: headingPath, paragraphs: [] };
  };

  let i = 0;
  // YAML front matter is metadata, not content.
  if (lines[0]?.trim() === "---") {
    const end = lines.findIndex((l, j) => j > 0 && /^(---|\.\.\.)\s*$/.test(l));
    if (end > 0) i = end + 1;
  }
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    if (fence !== undefined) {
      if (line.trim().startsWith(fence)) {
        fence = undefined;
        flush();
      } else if (line.trim()) paragraph.push(line.trim());
      continue;
    }
    const fenceOpen = FENCE.exec(line);
    if (fenceOpen) {
      flush();
      fence = fenceOpen[1]!;
      continue;
    }
    const atx = ATX_HEADING.exec(line);
    if (atx) {
      startSection(atx[1]!.length, stripInline(atx[2] ?? ""));
      continue;
    }
    const setext = SETEXT_UNDERLINE.exec(line);
    if (setext && paragraph.length > 0 && !inListItem) {
      const title = paragraph.map((l) => stripInline(l)).join(" ");
      paragraph = [];
      startSection(setext[1]!.startsWith("=") ? 1 : 2, title);
      continue;
    }
    if (!line.trim() || THEMATIC_BREAK.test(line) || REFERENCE_DEFINITION.test(line)) {
      flush();
      tableHeader = undefined;
      continue;
    }
    if (TABLE_ROW.test(line)) {
      flush();
      if (TABLE_DELIMITER.test(line)) continue;
      const cells = tableCells(line);
      const next = lines[i + 1];
      if (tableHeader === undefined && next !== undefined && TABLE_DELIMITER.test(next)) {
        tableHeader = cells;
        continue;
      }
      const text = tableRowText(tableHeader, cells);
      if (text) current.paragraphs.push(text);
      continue;
    }
    tableHeader = undefined;
    const unquoted = line.replace(BLOCKQUOTE, "");
    if (LIST_ITEM.test(unquoted)) {
      // Items are usually separate statements: one paragraph each.
      flush();
      paragraph.push(unquoted.replace(LIST_ITEM, ""));
      inListItem = true;
      continue;
    }
    paragraph.push(unquoted.trim());
  }
  flush();
  if (current.paragraphs.length > 0) sections.push(current);
  return sections;
}
