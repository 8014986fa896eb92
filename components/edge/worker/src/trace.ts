/**
 * W3C Trace Context (https://www.w3.org/TR/trace-context/): the edge takes part in the trace.
 * A valid incoming `traceparent` is continued (same trace id and flags, the edge's own span id as
 * the new parent); an absent or invalid one starts a new trace, sampled.
 */

export interface TraceParent {
  version: string;
  traceId: string;
  parentId: string;
  flags: string;
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const SAMPLED = "01";

/** Parses a `traceparent` header; undefined when absent or invalid (all-zero ids, version ff, ...). Pure. */
export function parseTraceparent(header: string | null | undefined): TraceParent | undefined {
  const match = TRACEPARENT.exec((header ?? "").trim());
  if (!match) return undefined;
  const [, version, traceId, parentId, flags, rest] = match as unknown as [string, string, string, string, string, string | undefined];
  if (version === "ff") return undefined;
  // Version 00 has exactly four fields; later versions may append more, which we do not read.
  if (version === "00" && rest !== undefined) return undefined;
  if (/^0+$/.test(traceId) || /^0+$/.test(parentId)) return undefined;
  return { version, traceId, parentId, flags };
}

export function formatTraceparent(tp: TraceParent): string {
  return `${tp.version}-${tp.traceId}-${tp.parentId}-${tp.flags}`;
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Random non-zero ids (the chance of all-zero is negligible, but the spec forbids it). */
function randomId(bytes: number, random: (n: number) => Uint8Array): string {
  for (;;) {
    const id = hex(random(bytes));
    if (!/^0+$/.test(id)) return id;
  }
}

export interface EdgeTrace {
  /** What the edge sends to the origin. */
  traceparent: string;
  traceId: string;
  /** An incoming trace was continued (then `tracestate` is forwarded as it came). */
  continued: boolean;
}

/**
 * The traceparent the edge forwards. We only speak version 00, so a continued trace is written
 * as 00 whatever version came in (the spec's rule for a lower-version participant).
 */
export function edgeTrace(incoming: string | null | undefined, random: (n: number) => Uint8Array): EdgeTrace {
  const parent = parseTraceparent(incoming);
  const traceId = parent?.traceId ?? randomId(16, random);
  const flags = parent?.flags ?? SAMPLED;
  return { traceparent: formatTraceparent({ version: "00", traceId, parentId: randomId(8, random), flags }), traceId, continued: parent !== undefined };
}
