/**
 * Security headers on every answer of the API host, and the edge's own JSON errors (the kit's
 * shape: `{ error, message, ...details }`).
 */

/** OWASP's REST Security cheat-sheet set for a JSON API, plus HSTS from the zone's setting (when known). */
export function securityHeaders(hsts: string): Record<string, string> {
  return {
    ...(hsts ? { "strict-transport-security": hsts } : {}),
    "x-content-type-options": "nosniff",
    // An API response is never a page to frame or to load anything from.
    "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "permissions-policy": "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()",
  };
}

/** Headers that describe one connection, never forwarded (RFC 9110 §7.6.1). */
export const HOP_BY_HOP = ["connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade"];

/**
 * A response with the edge's headers: security headers set (overriding the origin's), the
 * cache status, internal cache tags removed. Keeps status and body.
 */
export function finalResponse(response: Response, extra: Record<string, string>, hsts: string): Response {
  const headers = new Headers(response.headers);
  for (const name of HOP_BY_HOP) headers.delete(name);
  headers.delete("cache-tag");
  for (const [name, value] of Object.entries({ ...securityHeaders(hsts), ...extra })) headers.set(name, value);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

export function problem(status: number, error: string, message: string, details: Record<string, unknown> = {}): Response {
  return new Response(JSON.stringify({ error, message, ...details }), { status, headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" } });
}
