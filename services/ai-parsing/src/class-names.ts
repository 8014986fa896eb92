/**
 * Class names, from the two places they come from: Ultralytics' `names` metadata entry (a
 * Python dict literal such as `{0: 'door', 1: "men's room"}`) and the operator's JSON
 * (`["door", "window"]` or `{"0": "door", "1": "window"}`).
 */

export type NamesResult = { ok: true; names: string[] } | { ok: false; error: string };

/** Index → name pairs as a list; indices must run 0..n-1 with no gaps or repeats. */
export function namesFromIndexed(entries: readonly (readonly [number, string])[]): NamesResult {
  if (entries.length === 0) return { ok: false, error: "no class names" };
  const names: string[] = [];
  for (const [index, name] of entries) {
    if (!Number.isInteger(index) || index < 0 || index >= entries.length) {
      return { ok: false, error: `class index ${index} is outside 0..${entries.length - 1} (indices must run from 0 without gaps)` };
    }
    if (names[index] !== undefined) return { ok: false, error: `class index ${index} appears twice` };
    if (name.trim() === "") return { ok: false, error: `class ${index} has an empty name` };
    names[index] = name;
  }
  return { ok: true, names };
}

const PY_ESCAPES: Record<string, string> = { "\\": "\\", "'": "'", '"': '"', n: "\n", t: "\t", r: "\r" };

/** The value of a Python string literal's body (between its quotes), escapes resolved. */
function unescapePython(body: string): string {
  return body.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)/g, (whole, code: string) => {
    if (code.length > 1) return String.fromCodePoint(parseInt(code.slice(1), 16));
    return PY_ESCAPES[code] ?? whole;
  });
}

const PY_ENTRY = /\s*(\d+)\s*:\s*('((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")\s*(,|(?=\}))/y;

/** Ultralytics writes `str(model.names)` into the ONNX metadata: a Python dict of int → str. */
export function parseUltralyticsNames(text: string): NamesResult {
  const trimmed = text.trim();
  if (!trimmed.startsWith("{") || !trimmed.endsWith("}")) return { ok: false, error: "`names` metadata is not a {index: 'name'} dict" };
  const inner = trimmed.slice(1, -1);
  const entries: [number, string][] = [];
  PY_ENTRY.lastIndex = 0;
  const body = `${inner}}`; // the lookahead for the last entry needs the closing brace
  while (PY_ENTRY.lastIndex < inner.length) {
    const start = PY_ENTRY.lastIndex;
    const match = PY_ENTRY.exec(body);
    if (!match) {
      if (body.slice(start, -1).trim() === "") break; // trailing whitespace
      return { ok: false, error: `\`names\` metadata is not a {index: 'name'} dict (unreadable from character ${start + 1})` };
    }
    entries.push([Number(match[1]), unescapePython(match[3] ?? match[4] ?? "")]);
  }
  return namesFromIndexed(entries);
}

/** The operator's class names: a JSON array of names, or an object of index → name. */
export function parseClassNamesJson(text: string): NamesResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `not JSON: ${(error as Error).message}` };
  }
  if (Array.isArray(value)) {
    if (!value.every((v) => typeof v === "string")) return { ok: false, error: "a JSON array of class names must hold strings only" };
    return namesFromIndexed(value.map((name, index) => [index, name] as const));
  }
  if (value !== null && typeof value === "object") {
    const entries: [number, string][] = [];
    for (const [key, name] of Object.entries(value)) {
      if (!/^\d+$/.test(key)) return { ok: false, error: `key ${JSON.stringify(key)} is not a class index` };
      if (typeof name !== "string") return { ok: false, error: `class ${key} is not a string` };
      entries.push([Number(key), name]);
    }
    return namesFromIndexed(entries);
  }
  return { ok: false, error: 'expected ["name", ...] or {"0": "name", ...}' };
}
