/**
 * Test support: the mocks (policies/audit/mocks.ts, shared with the offline audit) and
 * `evaluateStack`, which runs the real program entry in an isolated module registry.
 */
import type * as pulumiType from "@pulumi/pulumi";
import type { RawStackConfig } from "../stacks/config/load";
import { installMocks, settle, type Captured, type Evaluation } from "../policies/audit/mocks";

export * from "../policies/audit/mocks";

/**
 * Evaluates the real program entry (`stacks/index.ts`) under mocks with the given stack config,
 * capturing every resource. Each call loads a fresh copy of the program and the SDK, so
 * evaluations do not share state.
 */
export async function evaluateStack(config: RawStackConfig, stack = "dev"): Promise<Evaluation> {
  let resources: Captured[] = [];
  let outputs: Record<string, any> = {};
  let error: Error | undefined;
  let pulumi!: typeof pulumiType;
  let program: Record<string, unknown> = {};
  jest.isolateModules(() => {
    pulumi = require("@pulumi/pulumi");
    resources = installMocks(pulumi, stack);
    pulumi.runtime.setAllConfig(config.values, config.secretKeys);
    try {
      program = require("../stacks/index");
    } catch (e) {
      error = e as Error;
    }
  });
  if (!error) outputs = await new Promise((done) => pulumi.output(program).apply((v) => done(v as Record<string, any>)));
  // Let registrations scheduled by the last outputs settle.
  await settle();
  return { resources, outputs, error };
}
