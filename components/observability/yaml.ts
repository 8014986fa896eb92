import { stringify } from "yaml";

/**
 * YAML for a rendered config file. Line folding is off: a PromQL expression or a PEM block
 * stays byte-for-byte what the renderer produced, which keeps diffs in `pulumi preview` readable.
 * No anchors/aliases either: a shared array (e.g. the collector's processor list) is written out
 * in full wherever it is used, as a reader of the file expects.
 */
export function toYaml(value: unknown): string {
  return stringify(value, { lineWidth: 0, aliasDuplicateObjects: false });
}
