/**
 * The program entry (`main` in Pulumi.yaml). Config is parsed once, up front: a bad stack
 * file stops here with every problem listed, before a single resource is declared.
 */
import * as pulumi from "@pulumi/pulumi";
import { loadStackConfig } from "./config/load";
import { devStack } from "./dev";
import { prodStack } from "./prod";

function main() {
  const config = loadStackConfig();
  const stack = pulumi.getStack();
  if (config.target === "kubernetes") {
    // The AWS provider's own setting; the controllers need the region spelled out.
    const region = new pulumi.Config("aws").require("region");
    return prodStack(config, { stack, region });
  }
  return devStack(config, { stack });
}

export = main();
