import type * as pulumiType from "@pulumi/pulumi";
import type { RawStackConfig } from "../stacks/config/load";

export interface CapturedResource {
  type: string;
  name: string;
  inputs: Record<string, any>;
  /** URNs of the resources it was declared to depend on (`dependsOn`, explicit or through inputs). */
  dependencies: string[];
}

export interface Evaluation {
  resources: CapturedResource[];
  /** The stack's outputs, resolved (secrets unwrapped). */
  outputs: Record<string, any>;
  /** The error the program threw, if it did. */
  error?: Error;
}

/** Outputs a real provider would compute, so dependent inputs resolve under mocks. */
function computedState(type: string, name: string, inputs: Record<string, any>): Record<string, any> {
  switch (type) {
    case "random:index/randomPassword:RandomPassword":
      return { result: `generated-${name}` };
    case "docker:index/remoteImage:RemoteImage":
      return { imageId: `sha256:${name}`, repoDigest: `${inputs.name}@sha256:0` };
    case "tls:index/privateKey:PrivateKey":
      return { privateKeyPem: `PRIVATE KEY ${name}`, publicKeyPem: `PUBLIC KEY ${name}` };
    case "tls:index/selfSignedCert:SelfSignedCert":
    case "tls:index/locallySignedCert:LocallySignedCert":
      return { certPem: `CERT ${name}` };
    case "tls:index/certRequest:CertRequest":
      return { certRequestPem: `CSR ${name}` };
    default:
      return {};
  }
}

/**
 * Evaluates the real program entry (`stacks/index.ts`) under `pulumi.runtime.setMocks` with
 * the given stack config, capturing every resource's inputs. Each call loads a fresh copy of
 * the program and the SDK, so evaluations do not share state.
 */
export async function evaluateStack(config: RawStackConfig, stack = "dev"): Promise<Evaluation> {
  const resources: CapturedResource[] = [];
  const dependencies = new Map<string, string[]>();
  let outputs: Record<string, any> = {};
  let error: Error | undefined;
  let pulumi!: typeof pulumiType;
  let program: Record<string, unknown> = {};
  jest.isolateModules(() => {
    pulumi = require("@pulumi/pulumi");
    void pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          resources.push({ type: args.type, name: args.name, inputs: args.inputs, dependencies: dependencies.get(`${args.type}::${args.name}`) ?? [] });
          return { id: `${args.name}-id`, state: { ...args.inputs, ...computedState(args.type, args.name, args.inputs) } };
        },
        call: (args) => args.inputs,
      },
      "abode",
      stack,
      false,
    );
    recordDependencies(pulumi, dependencies);
    pulumi.runtime.setAllConfig(config.values, config.secretKeys);
    try {
      program = require("../stacks/index");
    } catch (e) {
      error = e as Error;
    }
  });
  if (!error) outputs = await resolve(pulumi, program);
  // Let registrations scheduled by the last outputs settle.
  await new Promise((r) => setImmediate(r));
  return { resources, outputs, error };
}

/** The mock hook sees no dependencies, so read them off the register requests on the way in. */
function recordDependencies(pulumi: typeof pulumiType, into: Map<string, string[]>) {
  const monitor = pulumi.runtime.getMonitor() as any;
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req: any, callback: any) => {
    into.set(`${req.getType()}::${req.getName()}`, req.getDependenciesList());
    return register(req, callback);
  };
}

function resolve(pulumi: typeof pulumiType, value: Record<string, unknown>): Promise<Record<string, any>> {
  return new Promise((done) => pulumi.output(value).apply((v) => done(v as Record<string, any>)));
}
