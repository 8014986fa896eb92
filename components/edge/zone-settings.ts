/**
 * Zone hardening as `cloudflare.ZoneSetting` inputs (v6: one resource per setting). Setting ids
 * and the keys inside `value` are the API's snake_case: the provider passes `value` through
 * untranslated (camelCase keys there never converge; pulumi/pulumi-cloudflare#1579). Pure.
 */

export interface HstsSettings {
  /** Seconds browsers remember to use HTTPS only. Ramp it up when first enabling HSTS. */
  maxAgeSeconds: number;
  /** Ask to be put on the browsers' preload list (needs a max-age of at least a year). */
  preload: boolean;
}

export interface ZoneSettingInput {
  settingId: string;
  value: unknown;
}

/**
 * Full (strict) TLS to the origin, TLS 1.2 minimum, TLS 1.3 on, plain HTTP redirected, HSTS
 * covering subdomains with `X-Content-Type-Options: nosniff`.
 */
export function zoneSettings(hsts: HstsSettings): ZoneSettingInput[] {
  return [
    { settingId: "ssl", value: "strict" },
    { settingId: "min_tls_version", value: "1.2" },
    { settingId: "tls_1_3", value: "on" },
    { settingId: "always_use_https", value: "on" },
    {
      settingId: "security_header",
      value: { strict_transport_security: { enabled: true, max_age: hsts.maxAgeSeconds, include_subdomains: true, preload: hsts.preload, nosniff: true } },
    },
  ];
}

/** The same HSTS policy as a header value, for the Worker's own responses. */
export function hstsHeader(hsts: HstsSettings): string {
  return `max-age=${hsts.maxAgeSeconds}; includeSubDomains${hsts.preload ? "; preload" : ""}`;
}
