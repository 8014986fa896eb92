import { stringify } from "yaml";

/**
 * A rendered YAML config file: a header naming its renderer, then the settings. No line
 * folding (a PEM path or URL stays on one line) and no anchors/aliases: the same array used
 * twice is written out twice, because not every reader (nor every human) handles `&a1`/`*a1`.
 */
export function renderYamlFile(renderer: string, settings: unknown): string {
  const header = renderer ? `# Rendered by ${renderer}. Do not edit in the container.\n` : "";
  return `${header}${stringify(settings, { lineWidth: 0, aliasDuplicateObjects: false })}`;
}
