/**
 * Cloudflare Rules language (wirefilter) expressions, built from parts so every rule says the
 * same thing the same way. Pure. https://developers.cloudflare.com/ruleset-engine/rules-language/
 */

/** A string literal: double quotes, `\` and `"` escaped. */
export function literal(value: string): string {
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/** A set literal: `{"a" "b"}`. */
function set(values: readonly string[]): string {
  if (values.length === 0) throw new Error("an expression set needs at least one value");
  return `{${[...new Set(values)].map(literal).join(" ")}}`;
}

export function hostIs(host: string): string {
  return `http.host eq ${literal(host)}`;
}

export function hostIn(hosts: readonly string[]): string {
  return new Set(hosts).size === 1 ? hostIs(hosts[0]!) : `http.host in ${set(hosts)}`;
}

export function pathIn(paths: readonly string[]): string {
  return new Set(paths).size === 1 ? `http.request.uri.path eq ${literal(paths[0]!)}` : `http.request.uri.path in ${set(paths)}`;
}

export function pathStartsWith(prefix: string): string {
  return `starts_with(http.request.uri.path, ${literal(prefix)})`;
}

export const IS_GET = `http.request.method eq "GET"`;

/** The request carries no credentials of its own (header names are lower-cased by the engine). */
export const NO_AUTHORIZATION = `not any(http.request.headers.names[*] == "authorization")`;

/** Every part must hold; each part parenthesised so `or` inside a part cannot leak. */
export function allOf(...parts: string[]): string {
  return parts.length === 1 ? parts[0]! : parts.map((p) => `(${p})`).join(" and ");
}
