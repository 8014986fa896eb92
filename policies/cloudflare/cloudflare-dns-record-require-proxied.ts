import type { ResourcePolicy } from "../core/policy";

export const DNS_RECORD_TYPES = new Set(["cloudflare:index/dnsRecord:DnsRecord", "cloudflare:index/record:Record"]);
const PROXIABLE = new Set(["A", "AAAA", "CNAME"]);

/** RFC 1918, loopback, link-local, CGNAT and ULA addresses: records pointing there are not public. */
export function isPrivateAddress(address: string): boolean {
  return /^(10\.|127\.|192\.168\.|169\.254\.|172\.(1[6-9]|2\d|3[01])\.|100\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7])\.)/.test(address) || /^(f[cd][0-9a-f]{2}:|fe80:|::1$)/i.test(address);
}

export const cloudflareDnsRecordRequireProxied: ResourcePolicy = {
  kind: "resource",
  name: "cloudflare-dns-record-require-proxied",
  pack: "edge",
  description:
    "Public A, AAAA and CNAME records are proxied through Cloudflare (`proxied: true`), so the origin's address stays hidden and TLS settings, WAF and rate limits apply. " +
    "Records pointing at private addresses are not public and are skipped. Matches Cloudflare's guidance on proxying DNS records and protecting origin IPs.",
  severity: "high",
  remediation: "Set `proxied: true` on the record (its TTL becomes automatic); lock the origin to Cloudflare's IP ranges or a Cloudflare Tunnel.",
  frameworks: ["cloudflare:proxied-dns-records"],
  validateResource({ type, props }) {
    if (!DNS_RECORD_TYPES.has(type) || !PROXIABLE.has(String(props.type).toUpperCase())) return [];
    const target = String(props.content ?? props.value ?? "");
    if (String(props.type).toUpperCase() !== "CNAME" && isPrivateAddress(target)) return [];
    return props.proxied === true ? [] : [`${props.type} record ${props.name} → ${target || "?"} is not proxied`];
  },
};
