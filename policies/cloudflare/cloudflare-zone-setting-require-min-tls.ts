import { zoneSettingPolicy } from "./zone";

export const cloudflareZoneSettingRequireMinTls = zoneSettingPolicy(
  {
    name: "cloudflare-zone-setting-require-min-tls",
    description:
      "Every zone refuses TLS below 1.2 at the edge (`min_tls_version` 1.2 or 1.3). Matches RFC 8996 (TLS 1.0 and 1.1 deprecated) and PCI DSS v4.0 requirement 4.2.1 (strong cryptography in transit); " +
      "Cloudflare publishes no control ids of its own.",
    severity: "high",
    remediation: "Declare `new cloudflare.ZoneSetting(..., { zoneId, settingId: \"min_tls_version\", value: \"1.2\" })`.",
    frameworks: ["rfc:8996", "pci-dss:4.2.1"],
  },
  "min_tls_version",
  (value) => (["1.2", "1.3"].includes(String(value)) ? undefined : `is ${JSON.stringify(value)}, below 1.2`),
);
