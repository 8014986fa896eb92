/**
 * What can be told from the raw bytes before web-ifc sees them: is this a STEP physical file
 * (ISO 10303-21) at all, which schema does its header declare, and does it end properly.
 */

const MAGIC = "ISO-10303-21;";
const TRAILER = "END-ISO-10303-21;";
/** The HEADER section is small; FILE_SCHEMA is looked for in this many leading bytes. */
const HEADER_WINDOW = 64 * 1024;
const TAIL_WINDOW = 1024;

const isSpace = (byte: number) => byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;

/** Offset of the first meaningful byte: after a UTF-8 byte-order mark and whitespace. */
function contentStart(bytes: Uint8Array): number {
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (i < bytes.length && isSpace(bytes[i]!)) i++;
  return i;
}

/** True when the bytes start like a STEP physical file. */
export function looksLikeStep(bytes: Uint8Array): boolean {
  const start = contentStart(bytes);
  if (bytes.length - start < MAGIC.length) return false;
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, MAGIC.length).toString("latin1") === MAGIC;
}

/** The schema names listed by the header's FILE_SCHEMA, or undefined when there is none to read. */
export function declaredSchemas(bytes: Uint8Array): string[] | undefined {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, HEADER_WINDOW)).toString("latin1");
  const end = head.search(/ENDSEC\s*;/i);
  const header = end >= 0 ? head.slice(0, end) : head;
  const match = /FILE_SCHEMA\s*\(\s*\(([^)]*)\)\s*\)/i.exec(header);
  if (!match) return undefined;
  return [...match[1]!.matchAll(/'([^']*)'/g)].map((m) => m[1]!.trim());
}

/** True when the file ends with the STEP trailer (a cut-off upload or file does not). */
export function hasTrailer(bytes: Uint8Array): boolean {
  const from = Math.max(0, bytes.length - TAIL_WINDOW);
  const tail = Buffer.from(bytes.buffer, bytes.byteOffset + from, bytes.length - from).toString("latin1").trimEnd();
  return tail.endsWith(TRAILER);
}
