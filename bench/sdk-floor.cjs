// The floors. Arguments: the SDK packages the stack imports (comma-separated), then optionally a
// JSON histogram of resource types. Loads just those @pulumi/* modules and sets up mocks; with a
// histogram, also registers that many resources of each type with only their required inputs —
// the SDK's own cost for a graph the size of the stack's. Prints milliseconds since process
// start (to the last resource registered, if any).
const pulumi = require("@pulumi/pulumi");
const providers = Object.fromEntries(process.argv[2].split(",").map((p) => [p, require(`@pulumi/${p}`)]));
let last = performance.now();
pulumi.runtime.setMocks(
  { newResource: (a) => ((last = performance.now()), { id: a.name, state: a.inputs }), call: (a) => a.inputs },
  "abode",
  "dev",
  false,
);
const histogram = process.argv[3] ? JSON.parse(process.argv[3]) : {};
/** Just the inputs each type requires, so the SDK accepts it. */
const REQUIRED = {
  Container: { image: "x" },
  RemoteImage: { name: "x" },
  Image: { imageName: "x" },
  RandomPassword: { length: 32 },
  PrivateKey: { algorithm: "ECDSA" },
  CertRequest: { privateKeyPem: "x" },
  SelfSignedCert: { privateKeyPem: "x", allowedUses: [], validityPeriodHours: 1 },
  LocallySignedCert: { caCertPem: "x", caPrivateKeyPem: "x", certRequestPem: "x", allowedUses: [], validityPeriodHours: 1 },
};
let i = 0;
for (const [type, count] of Object.entries(histogram)) {
  // docker:index/volume:Volume → providers.docker.Volume; abode:... components → a bare component.
  const parts = type.split(/[:/]/);
  const [pkg, cls] = [parts[0], parts[parts.length - 1]];
  const Resource = providers[pkg]?.[cls];
  for (let n = 0; n < count; n++, i++) {
    if (Resource) new Resource(`r${i}`, REQUIRED[cls] ?? {});
    else new pulumi.ComponentResource(type, `r${i}`).registerOutputs({});
  }
}
setImmediate(() => process.stdout.write(JSON.stringify({ ms: last })));
