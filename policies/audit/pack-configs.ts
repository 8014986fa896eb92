/**
 * Writes each pack's `--policy-pack-config` files (policies/<pack>/config.<stack>.json) from
 * policies/core/packs.ts: `node -r @swc-node/register policies/audit/pack-configs.ts`.
 * A test fails when the committed files drift from the data.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { PACK_NAMES, packConfig, STACK_NAMES } from "../core/packs";

export function packConfigFile(pack: string, stack: string): string {
  return path.join(__dirname, "..", pack, `config.${stack}.json`);
}

export function renderPackConfig(config: unknown): string {
  return `${JSON.stringify(config, null, 2)}\n`;
}

if (require.main === module) {
  for (const pack of PACK_NAMES) {
    for (const stack of STACK_NAMES) {
      fs.writeFileSync(packConfigFile(pack, stack), renderPackConfig(packConfig(pack, stack)));
      process.stdout.write(`wrote ${path.relative(process.cwd(), packConfigFile(pack, stack))}\n`);
    }
  }
}
