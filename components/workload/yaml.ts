import { stringify } from "yaml";

/**
 * A config file in YAML. No line folding: a PromQL expression, PEM path or URL stays exactly
 * as rendered (readable diffs in `pulumi preview`). No anchors/aliases: an array used twice is
 * written twice, because not every reader (nor every human) handles `&a1`/`*a1`. With
 * `renderer`, a header names the code that wrote it, so nobody edits it in the container.
 */
export function toYaml(value: unknown, renderer?: string): string {
  const header = renderer ? `# Rendered by ${renderer}. Do not edit in the container.\n` : "";
  return `${header}${stringify(value, { lineWidth: 0, aliasDuplicateObjects: false })}`;
}
