// Evaluates a compiled stack under mocks from Pulumi.<stack>.yaml, with the test harness's
// provider answers. Prints milliseconds from process start to the last resource registered,
// and the resource types registered.
const path = require("node:path");
const [build, stack] = process.argv.slice(2);
const pulumi = require("@pulumi/pulumi");
const { mockState, mockCall } = require(path.join(build, "test/mocks.js"));
const { readStackFile } = require(path.join(build, "test/stack-file.js"));
let last = 0;
const types = {};
pulumi.runtime.setMocks(
  {
    newResource: (a) => {
      types[a.type] = (types[a.type] ?? 0) + 1;
      last = performance.now();
      return { id: a.name, state: { ...a.inputs, ...mockState(a.type, a.name, a.inputs) } };
    },
    call: (a) => mockCall(a.token, a.inputs),
  },
  "abode",
  stack,
  false,
);
const config = readStackFile(stack);
pulumi.runtime.setAllConfig(config.values, config.secretKeys);
const program = require(path.join(build, "stacks/index.js"));
pulumi.output(program).apply(() => {
  setTimeout(() => process.stdout.write(JSON.stringify({ ms: last, types })), 20);
});
