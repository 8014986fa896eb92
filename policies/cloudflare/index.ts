import type { AuditPolicy } from "../core/policy";
import { cloudflareDnsRecordRequireProxied } from "./cloudflare-dns-record-require-proxied";
import { cloudflareRulesetRequireApiRateLimit } from "./cloudflare-ruleset-require-api-rate-limit";
import { cloudflareZoneSettingEnableAlwaysHttps } from "./cloudflare-zone-setting-enable-always-https";
import { cloudflareZoneSettingEnableHsts } from "./cloudflare-zone-setting-enable-hsts";
import { cloudflareZoneSettingRequireMinTls } from "./cloudflare-zone-setting-require-min-tls";
import { cloudflareZoneSettingRequireStrictSsl } from "./cloudflare-zone-setting-require-strict-ssl";

/** Every Cloudflare policy (the edge pack). */
export const CLOUDFLARE_POLICIES: AuditPolicy[] = [
  cloudflareZoneSettingRequireStrictSsl,
  cloudflareZoneSettingRequireMinTls,
  cloudflareZoneSettingEnableAlwaysHttps,
  cloudflareZoneSettingEnableHsts,
  cloudflareDnsRecordRequireProxied,
  cloudflareRulesetRequireApiRateLimit,
];
