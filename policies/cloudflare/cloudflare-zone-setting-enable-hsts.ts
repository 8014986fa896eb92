import { field, zoneSettingPolicy } from "./zone";

/** The shortest HSTS max-age accepted: 180 days (the preload list asks for a year; 6 months is Cloudflare's smallest non-trivial choice). */
export const MIN_HSTS_MAX_AGE = 15_552_000;

export const cloudflareZoneSettingEnableHsts = zoneSettingPolicy(
  {
    name: "cloudflare-zone-setting-enable-hsts",
    description:
      "Every zone sends Strict-Transport-Security (`security_header.strict_transport_security.enabled`) with a max-age of at least 6 months, so browsers never fall back to HTTP. " +
      "Matches OWASP ASVS V14.4.5 (HSTS on all responses) and the OWASP HTTP Strict Transport Security cheat sheet.",
    severity: "medium",
    remediation:
      "Declare `new cloudflare.ZoneSetting(..., { zoneId, settingId: \"security_header\", value: { strict_transport_security: { enabled: true, max_age: 31536000, include_subdomains: true, nosniff: true } } })` " +
      "once every host of the zone serves HTTPS. Keys inside `value` are the API's snake_case: the provider passes them through untranslated (camelCase ones never converge, pulumi/pulumi-cloudflare#1579).",
    frameworks: ["owasp-asvs:14.4.5"],
  },
  "security_header",
  (value) => {
    // v6: { strict_transport_security: {...} } (any key spelling); v4/v5 override: { enabled, maxAge, ... }.
    const hsts = (field(value, "strict_transport_security") ?? value) as unknown;
    if (field(hsts, "enabled") !== true) return "does not enable HSTS";
    const maxAge = Number(field(hsts, "max_age") ?? 0);
    return maxAge >= MIN_HSTS_MAX_AGE ? undefined : `sets HSTS max-age ${maxAge}s, below ${MIN_HSTS_MAX_AGE}s (6 months)`;
  },
);
