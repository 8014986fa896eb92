import { zoneSettingPolicy } from "./zone";

export const cloudflareZoneSettingEnableAlwaysHttps = zoneSettingPolicy(
  {
    name: "cloudflare-zone-setting-enable-always-https",
    description: "Every zone redirects plain-HTTP requests to HTTPS at the edge (`always_use_https: on`). Pairs with HSTS: the redirect protects the first visit, HSTS the following ones.",
    severity: "high",
    remediation: "Declare `new cloudflare.ZoneSetting(..., { zoneId, settingId: \"always_use_https\", value: \"on\" })`.",
    frameworks: ["cloudflare:always-use-https", "cis-controls:3.10"],
  },
  "always_use_https",
  (value) => (value === "on" ? undefined : `is ${JSON.stringify(value)}, not "on"`),
);
