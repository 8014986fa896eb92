/**
 * The program entry (`main` in Pulumi.yaml). Config is parsed once, up front: a bad stack
 * file stops here with every problem listed, before a single resource is declared.
 */
import * as pulumi from "@pulumi/pulumi";
import { loadStackConfig } from "./config/load";

function main() {
  const config = loadStackConfig();
  const stack = pulumi.getStack();
  // Each target loads only its own composition: dev never pays for the AWS and Kubernetes SDKs.
  if (config.target === "kubernetes") {
    const { prodStack } = require("./prod") as typeof import("./prod");
    // The AWS provider's own setting; the controllers need the region spelled out.
    const region = new pulumi.Config("aws").require("region");
    return prodStack(config, { stack, region });
  }
  const { devStack } = require("./dev") as typeof import("./dev");
  return devStack(config, { stack });
}

export = main();
