/**
 * Cloudflare zone settings as the current provider declares them, and as older ones did:
 *  - `cloudflare:index/zoneSetting:ZoneSetting` (v6): one setting per resource, `{ zoneId, settingId, value }`;
 *    setting ids appear as the API spells them (`min_tls_version`) or camel-cased (`minTlsVersion`);
 *  - `cloudflare:index/zoneSettingsOverride:ZoneSettingsOverride` (v4/v5): `{ zoneId, settings: { ssl, minTlsVersion, alwaysUseHttps, securityHeader } }`.
 * A zone is any `cloudflare:index/zone:Zone` in the stack, or any zone id another Cloudflare resource names.
 */
import type { AuditResource, StackPolicy } from "../core/policy";

export const ZONE = "cloudflare:index/zone:Zone";
export const ZONE_SETTING = "cloudflare:index/zoneSetting:ZoneSetting";
export const ZONE_SETTINGS_OVERRIDE = "cloudflare:index/zoneSettingsOverride:ZoneSettingsOverride";

/** `min_tls_version`, `minTlsVersion` → `mintlsversion`. */
export function settingKey(id: unknown): string {
  return String(id ?? "").replace(/[_-]/g, "").toLowerCase();
}

/** Reads a nested value whatever the key spelling (snake or camel case). */
export function field(value: unknown, key: string): unknown {
  if (typeof value !== "object" || value === null) return undefined;
  const wanted = settingKey(key);
  for (const [k, v] of Object.entries(value)) if (settingKey(k) === wanted) return v;
  return undefined;
}

export interface Zone {
  /** The zone id as other resources name it (or the Zone resource's id). */
  id: string;
  /** The resource findings about this zone attach to when no setting resource exists. */
  anchor: AuditResource;
}

export function zonesOf(resources: AuditResource[]): Zone[] {
  const zones = new Map<string, Zone>();
  for (const r of resources) {
    if (r.type === ZONE) zones.set(r.id ?? r.name, { id: r.id ?? r.name, anchor: r });
  }
  for (const r of resources) {
    if (!r.type.startsWith("cloudflare:")) continue;
    const id = r.props.zoneId;
    if (typeof id === "string" && !zones.has(id) && ![...zones.values()].some((z) => z.anchor.props.name === id)) zones.set(id, { id, anchor: r });
  }
  return [...zones.values()];
}

function inZone(resource: AuditResource, zone: Zone): boolean {
  const id = resource.props.zoneId;
  return id === zone.id || (zone.anchor.type === ZONE && (id === zone.anchor.props.name || (resource.dependencies ?? []).includes(zone.anchor.source)));
}

/** Every declaration of one setting for a zone: each ZoneSetting of that id, each override's entry. */
export function settingValues(zone: Zone, settingId: string, resources: AuditResource[]): { resource: AuditResource; value: unknown }[] {
  const key = settingKey(settingId);
  const found: { resource: AuditResource; value: unknown }[] = [];
  for (const r of resources) {
    if (!inZone(r, zone)) continue;
    if (r.type === ZONE_SETTING && settingKey(r.props.settingId) === key) found.push({ resource: r, value: r.props.value });
    if (r.type === ZONE_SETTINGS_OVERRIDE) {
      const value = field(r.props.settings, settingId);
      if (value !== undefined) found.push({ resource: r, value });
    }
  }
  return found;
}

/**
 * A policy requiring one zone setting on every zone: declared (Cloudflare's defaults are the
 * weak ones) and with a value `check` accepts (it returns why not, or undefined).
 */
export function zoneSettingPolicy(
  meta: Omit<StackPolicy, "kind" | "validateStack" | "pack">,
  settingId: string,
  check: (value: unknown) => string | undefined,
): StackPolicy {
  return {
    ...meta,
    kind: "stack",
    pack: "edge",
    validateStack(resources) {
      return zonesOf(resources).flatMap((zone) => {
        const values = settingValues(zone, settingId, resources);
        if (values.length === 0) return [{ resource: zone.anchor, message: `zone ${zone.id} does not set ${settingId} (Cloudflare's default applies)` }];
        return values.flatMap(({ resource, value }) => {
          const why = check(value);
          return why ? [{ resource, message: `zone ${zone.id}: ${settingId} ${why}` }] : [];
        });
      });
    },
  };
}
