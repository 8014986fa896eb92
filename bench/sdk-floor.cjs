// The floor: load just the @pulumi/* SDK modules the program imports, and set up the same
// mocks. Prints milliseconds since process start.
const pulumi = require("@pulumi/pulumi");
require("@pulumi/docker");
require("@pulumi/random");
require("@pulumi/tls");
pulumi.runtime.setMocks({ newResource: (a) => ({ id: a.name, state: a.inputs }), call: (a) => a.inputs }, "abode", "dev", false);
process.stdout.write(JSON.stringify({ ms: performance.now() }));
