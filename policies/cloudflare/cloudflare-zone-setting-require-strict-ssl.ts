import { zoneSettingPolicy } from "./zone";

export const cloudflareZoneSettingRequireStrictSsl = zoneSettingPolicy(
  {
    name: "cloudflare-zone-setting-require-strict-ssl",
    description:
      "Every zone's SSL/TLS encryption mode is Full (strict): Cloudflare connects to the origin over TLS and validates its certificate. " +
      "Flexible sends visitors' traffic to the origin in clear text; Full accepts any certificate. Matches Cloudflare's own SSL/TLS recommendation (encryption modes) and the CIS Controls 3.10 (encrypt data in transit).",
    severity: "critical",
    remediation: "Declare `new cloudflare.ZoneSetting(..., { zoneId, settingId: \"ssl\", value: \"strict\" })` and give the origin a certificate Cloudflare trusts (an Origin CA certificate or a public one).",
    frameworks: ["cloudflare:ssl-mode-full-strict", "cis-controls:3.10"],
  },
  "ssl",
  (value) => (value === "strict" || value === "full_strict" ? undefined : `is ${JSON.stringify(value)}, not "strict"`),
);
