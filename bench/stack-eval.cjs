// Evaluates the compiled dev stack under mocks from Pulumi.dev.yaml. Prints milliseconds from
// process start to the last resource registered, and how many were.
const path = require("node:path");
const build = process.argv[2];
const pulumi = require("@pulumi/pulumi");
let last = 0;
const types = {};
const state = (type, name) =>
  type === "random:index/randomPassword:RandomPassword" ? { result: `generated-${name}` }
  : type.startsWith("tls:") ? { certPem: "CERT", privateKeyPem: "KEY" }
  : type === "docker:index/remoteImage:RemoteImage" ? { imageId: `sha256:${name}` }
  : {};
pulumi.runtime.setMocks(
  {
    newResource: (a) => {
      types[a.type] = (types[a.type] ?? 0) + 1;
      last = performance.now();
      return { id: a.name, state: { ...a.inputs, ...state(a.type, a.name) } };
    },
    call: (a) => a.inputs,
  },
  "abode",
  "dev",
  false,
);
const { readStackFile } = require(path.join(build, "test/stack-file.js"));
const config = readStackFile("dev");
pulumi.runtime.setAllConfig(config.values, config.secretKeys);
const program = require(path.join(build, "stacks/index.js"));
pulumi.output(program).apply(() => {
  setImmediate(() => process.stdout.write(JSON.stringify({ ms: last, types })));
});
