import { chunkDocument, chunkSections, hardWrap, textSections, type Chunk } from "../src/chunking";
import { markdownSections, stripInline } from "../src/markdown";
import { splitSentences } from "../src/sentences";

const sentence = (i: number) => `Sentence number ${i} talks about fire doors and escape routes on level ${i}.`;
const paragraph = (from: number, n: number) => Array.from({ length: n }, (_, i) => sentence(from + i)).join(" ");

test("sentences: ICU boundaries, abbreviations and decimals do not end a sentence", () => {
  expect(splitSentences("Dr. Smith checked the U-value of 0.18 W/m²K, e.g. for the walls. See Fig. 3 for details! Is it fine? Yes.")).toEqual([
    "Dr. Smith checked the U-value of 0.18 W/m²K, e.g. for the walls.",
    "See Fig. 3 for details!",
    "Is it fine?",
    "Yes.",
  ]);
  expect(splitSentences("   ")).toEqual([]);
  expect(splitSentences("No full stop at the end")).toEqual(["No full stop at the end"]);
});

test("chunks hold whole sentences, stay within the size, and overlap by whole trailing sentences", () => {
  const text = `${paragraph(1, 12)}\n\n${paragraph(13, 12)}`;
  const options = { maxChars: 300, overlapChars: 100 };
  const chunks = chunkDocument(text, "text", options);
  expect(chunks.length).toBeGreaterThan(4);
  const all = new Set(Array.from({ length: 24 }, (_, i) => sentence(i + 1)));
  const seen = new Set<string>();
  chunks.forEach((chunk, i) => {
    expect(chunk.index).toBe(i);
    expect(chunk.text.length).toBeLessThanOrEqual(options.maxChars);
    const pieces = splitSentences(chunk.text.replace(/\n/g, " "));
    for (const piece of pieces) {
      expect(all.has(piece)).toBe(true); // never a partial sentence
      seen.add(piece);
    }
    if (i > 0) {
      const previous = splitSentences(chunks[i - 1]!.text.replace(/\n/g, " "));
      const shared = pieces.filter((p) => previous.includes(p));
      expect(shared.length).toBeGreaterThanOrEqual(1); // overlap: each sentence here is ~77 chars < 100
      expect(shared.join(" ").length).toBeLessThanOrEqual(options.overlapChars);
      expect(previous.slice(-shared.length)).toEqual(shared); // the previous chunk's tail, in order
    }
  });
  expect(seen).toEqual(all); // nothing lost
});

test("no overlap when it is 0; paragraphs keep their break inside a chunk", () => {
  const chunks = chunkDocument(`${paragraph(1, 2)}\n\n${paragraph(3, 2)}`, "text", { maxChars: 1000, overlapChars: 0 });
  expect(chunks).toHaveLength(1);
  expect(chunks[0]!.text).toBe(`${sentence(1)} ${sentence(2)}\n${sentence(3)} ${sentence(4)}`);
  const split = chunkDocument(paragraph(1, 10), "text", { maxChars: 200, overlapChars: 0 });
  const sentences = split.flatMap((c) => splitSentences(c.text));
  expect(sentences).toHaveLength(10);
});

test("a sentence longer than a chunk is cut at spaces, a single huge word anywhere", () => {
  const long = `${"word ".repeat(120).trim()}.`;
  const chunks = chunkDocument(long, "text", { maxChars: 100, overlapChars: 20 });
  expect(chunks.every((c) => c.text.length <= 100)).toBe(true);
  expect(chunks.map((c) => c.text).join(" ").split(" ").filter((w) => w.startsWith("word")).length).toBeGreaterThanOrEqual(120);
  expect(hardWrap("x".repeat(250), 100)).toEqual(["x".repeat(100), "x".repeat(100), "x".repeat(50)]);
});

test("plain text: blank lines separate paragraphs, single line breaks are spaces; empty text has no chunks", () => {
  expect(textSections("one\ntwo\n\n\n three ")).toEqual([{ heading: [], paragraphs: ["one two", "three"] }]);
  expect(chunkDocument(" \n\n \t", "text", { maxChars: 200, overlapChars: 0 })).toEqual([]);
});

test("markdown: inline syntax goes, words stay", () => {
  expect(stripInline("See **bold** and *italic* and _under_ and ~~gone~~ text")).toBe("See bold and italic and under and gone text");
  expect(stripInline("A [link](http://x.test/a_b) and ![a plan](plan.png) and `code_span` and <https://x.test>")).toBe(
    "A link and a plan and code_span and https://x.test",
  );
  expect(stripInline("snake_case_name stays, 2*3*4 too, escaped \\*star\\*, footnote[^1], <b>html</b>")).toBe(
    "snake_case_name stays, 2*3*4 too, escaped *star*, footnote, html",
  );
});

test("markdown: headings become each section's path; chunks never cross a heading", () => {
  const md = `---
title: Front matter is metadata
---
# Fire strategy
Intro sentence.

## Escape routes
Two routes per storey.

* Corridors 1200 mm wide.
* [ ] Doors open outwards.

> Quoted requirement here.

### Doors
FD30S doors.

Setext heading
--------------
Under setext.

\`\`\`
code block words
\`\`\`

***

| Element | U-value |
| --- | --- |
| Roof | 0.13 |
| Wall | 0.18 |

[ref]: http://example.test
`;
  const sections = markdownSections(md);
  expect(sections).toEqual([
    { heading: ["Fire strategy"], paragraphs: ["Intro sentence."] },
    {
      heading: ["Fire strategy", "Escape routes"],
      paragraphs: ["Two routes per storey.", "Corridors 1200 mm wide.", "Doors open outwards.", "Quoted requirement here."],
    },
    { heading: ["Fire strategy", "Escape routes", "Doors"], paragraphs: ["FD30S doors."] },
    { heading: ["Fire strategy", "Setext heading"], paragraphs: ["Under setext.", "code block words", "Element: Roof; U-value: 0.13", "Element: Wall; U-value: 0.18"] },
  ]);
  const chunks: Chunk[] = chunkSections(sections, { maxChars: 1000, overlapChars: 100 });
  expect(chunks.map((c) => c.heading)).toEqual([
    "Fire strategy",
    "Fire strategy › Escape routes",
    "Fire strategy › Escape routes › Doors",
    "Fire strategy › Setext heading",
  ]);
  expect(chunks.some((c) => c.text.includes("Front matter"))).toBe(false);
  expect(chunks.some((c) => /[#*|>`]/.test(c.text))).toBe(false);
});
