/**
 * The offline audit: pure pieces directly (manifest loading, running, SARIF, args, crossguard
 * mapping, pack data), and the command end to end as a child process.
 */
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fromPolicyResource, toCrossGuard } from "../core/crossguard";
import { ENFORCEMENT, enforcementFor, PACK_NAMES, packConfig, STACK_NAMES } from "../core/packs";
import { KUBERNETES_POLICIES } from "../kubernetes";
import { parseArgs, UsageError } from "../audit/args";
import { parseManifests } from "../audit/manifests";
import { packConfigFile, renderPackConfig } from "../audit/pack-configs";
import { renderSarif, renderTable } from "../audit/report";
import { runPolicies, type Finding } from "../audit/run";
import { awsKmsKeyEnableRotation } from "../aws/aws-kms-key-enable-rotation";
import { awsS3BucketEnableVersioning } from "../aws/aws-s3-bucket-enable-versioning";
import { bucketSet, resource } from "./fixtures";

const ROOT = path.resolve(__dirname, "..", "..");
const PSS = path.resolve(ROOT, "..", "shared", "fixtures", "pss");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "abode-audit-test-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function cli(args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ["-r", "@swc-node/register", "policies/audit/cli.ts", ...args], { cwd: ROOT, encoding: "utf8", timeout: 120_000 });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function readJson(file: string): { counts: Record<string, number>; findings: Finding[] } {
  return JSON.parse(fs.readFileSync(file, "utf8"));
}

/** The SARIF 2.1.0 structure the code-scanning tools read. */
function expectSarif(sarif: any) {
  expect(sarif.version).toBe("2.1.0");
  expect(sarif.$schema).toMatch(/sarif-2\.1\.0/);
  expect(Array.isArray(sarif.runs) && sarif.runs.length).toBe(1);
  const run = sarif.runs[0];
  expect(typeof run.tool.driver.name).toBe("string");
  const ids = run.tool.driver.rules.map((r: any) => r.id);
  expect(new Set(ids).size).toBe(ids.length);
  for (const rule of run.tool.driver.rules) {
    expect(typeof rule.id).toBe("string");
    expect(typeof rule.shortDescription.text).toBe("string");
    expect(typeof rule.help.text).toBe("string");
  }
  for (const result of run.results) {
    expect(ids).toContain(result.ruleId);
    expect(run.tool.driver.rules[result.ruleIndex].id).toBe(result.ruleId);
    expect(["error", "warning", "note", "none"]).toContain(result.level);
    expect(typeof result.message.text).toBe("string");
    expect(result.locations.length).toBeGreaterThan(0);
    expect(typeof result.locations[0].physicalLocation.artifactLocation.uri).toBe("string");
  }
}

describe("manifest loading", () => {
  it("reads every document of a multi-document file, skipping empty ones", () => {
    const { resources, problems } = parseManifests("m.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: x}\n---\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: b}\n");
    expect(problems).toEqual([]);
    expect(resources.map((r) => [r.type, r.name, r.source])).toEqual([
      ["kubernetes:core/v1:ConfigMap", "x/a", "m.yaml#0"],
      ["kubernetes:apps/v1:Deployment", "b", "m.yaml#2"],
    ]);
  });

  it("reports broken YAML and non-Kubernetes documents by file#index and why", () => {
    const { resources, problems } = parseManifests("m.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\nkey: [unclosed\n---\nreplicas: 3\n---\n- a list\n");
    expect(resources).toHaveLength(1);
    expect(problems.map((p) => p.source)).toEqual(["m.yaml#1", "m.yaml#2", "m.yaml#3"]);
    expect(problems[0]!.message).toMatch(/not valid YAML/);
    expect(problems[1]!.message).toMatch(/not a Kubernetes object: no apiVersion or kind/);
    expect(problems[2]!.message).toMatch(/a list/);
  });
});

describe("running and rendering", () => {
  const resources = [...bucketSet().filter((r) => !r.type.includes("Versioning")), resource("aws:kms/key:Key", "k", { enableKeyRotation: false })];
  const findings = runPolicies(resources, [awsS3BucketEnableVersioning, awsKmsKeyEnableRotation], { levelOf: (p) => (p.name.includes("kms") ? "advisory" : "mandatory") });

  it("reports each violation at its policy's level, mandatory first", () => {
    expect(findings.map((f) => [f.policy, f.level])).toEqual([
      ["aws-s3-bucket-enable-versioning", "mandatory"],
      ["aws-kms-key-enable-rotation", "advisory"],
    ]);
    expect(renderTable(findings, "t")).toMatch(/RESOURCE\s+POLICY\s+SEVERITY\s+LEVEL\s+MESSAGE/);
  });

  it("skips disabled policies and reports a policy that throws instead of crashing", () => {
    const broken = { ...awsKmsKeyEnableRotation, name: "broken", validateResource: () => { throw new Error("boom"); } };
    const out = runPolicies(resources, [broken, awsS3BucketEnableVersioning], { levelOf: (p) => (p.name === "broken" ? "advisory" : "disabled") });
    expect(out.every((f) => f.policy === "broken" && /boom/.test(f.message))).toBe(true);
  });

  it("renders SARIF 2.1.0: error for mandatory, warning for advisory, URN locations", () => {
    const sarif = renderSarif(findings, [awsS3BucketEnableVersioning, awsKmsKeyEnableRotation]) as any;
    expectSarif(sarif);
    expect(sarif.runs[0].results.map((r: any) => r.level)).toEqual(["error", "warning"]);
    expect(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toMatch(/^urn:pulumi:/);
    expect(sarif.runs[0].tool.driver.rules[0].help.text).toBe(awsS3BucketEnableVersioning.remediation);
  });
});

describe("arguments", () => {
  it("parses both modes and refuses bad usage", () => {
    expect(parseArgs(["--stack", "prod", "--sarif", "x.sarif"])).toMatchObject({ stack: "prod", sarif: "x.sarif" });
    expect(parseArgs(["a", "b", "--level", "dev", "--framework", "pss:baseline"])).toMatchObject({ paths: ["a", "b"], level: "dev", frameworks: ["pss:baseline"] });
    for (const bad of [[], ["--stack", "staging"], ["--stack", "prod", "dir"], ["--bogus", "x"], ["dir", "--json"]]) expect(() => parseArgs(bad)).toThrow(UsageError);
  });
});

describe("packs and CrossGuard", () => {
  it("enforces security in prod and advises everywhere else", () => {
    expect(enforcementFor("security", "prod")).toBe("mandatory");
    for (const pack of PACK_NAMES) expect(enforcementFor(pack, "dev")).toBe("advisory");
    for (const pack of ["reliability", "cost", "edge"] as const) expect(ENFORCEMENT.prod[pack]).toBe("advisory");
  });

  it("ships config.<stack>.json files equal to the data (regenerate with policies/audit/pack-configs.ts)", () => {
    for (const pack of PACK_NAMES) for (const stack of STACK_NAMES) expect(fs.readFileSync(packConfigFile(pack, stack), "utf8")).toBe(renderPackConfig(packConfig(pack, stack)));
  });

  it("pins each pack's @pulumi deps to the root's versions and builds its PolicyPack only in index.ts", () => {
    const root = require(path.join(ROOT, "package.json"));
    for (const pack of PACK_NAMES) {
      const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "policies", pack, "package.json"), "utf8"));
      expect(pkg.private).toBe(true);
      expect(pkg.dependencies).toEqual({ "@pulumi/policy": root.dependencies["@pulumi/policy"], "@pulumi/pulumi": root.dependencies["@pulumi/pulumi"] });
      expect(fs.readFileSync(path.join(ROOT, "policies", pack, "PulumiPolicy.yaml"), "utf8")).toMatch(/^runtime: nodejs$/m);
    }
    const constructs = execFileSync("grep", ["-rl", "new PolicyPack(", path.join(ROOT, "policies"), "--include=*.ts", "--exclude=*.test.ts"], { encoding: "utf8" }).trim().split("\n").map((f) => path.relative(ROOT, f)).sort();
    expect(constructs).toEqual(PACK_NAMES.map((p) => `policies/${p}/index.ts`).sort());
  });

  it("maps a policy to CrossGuard: level, metadata, config schema, violations with URNs", () => {
    const cg = toCrossGuard(awsS3BucketEnableVersioning, "mandatory") as any;
    expect(cg).toMatchObject({ name: "aws-s3-bucket-enable-versioning", enforcementLevel: "mandatory", severity: "medium", remediationSteps: awsS3BucketEnableVersioning.remediation });
    const reported: [string, string?][] = [];
    const set = bucketSet().filter((r) => !r.type.includes("Versioning"));
    const policyResources = set.map((r) => ({ type: r.type, name: r.name, urn: r.source, props: r.props, dependencies: [], propertyDependencies: {} }));
    cg.validateStack({ resources: policyResources, getConfig: () => ({}) }, (message: string, urn?: string) => reported.push([message, urn]));
    expect(reported).toEqual([[expect.stringMatching(/versioning is not enabled/), set[0]!.source]]);
    const withDeps = fromPolicyResource({ type: "t", name: "n", urn: "u", props: {}, dependencies: [{ urn: "a" } as any], propertyDependencies: { bucket: [{ urn: "b" } as any] } });
    expect(withDeps.dependencies).toEqual(["a", "b"]);
    const cost = toCrossGuard(require("../cost/aws-eks-nodegroup-require-scale-from-zero").awsEksNodegroupRequireScaleFromZero, "advisory") as any;
    expect(cost.configSchema.properties.maxSizeCap.default).toBe(10);
  });
});

describe("the audit command", () => {
  it("exits 2 on usage errors and prints the usage", () => {
    const r = cli(["--stack", "staging"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/usage: npm run audit/);
    expect(cli([]).status).toBe(2);
  });

  it("reports a broken YAML file and a non-Kubernetes document without crashing", () => {
    const dir = path.join(tmp, "broken");
    fs.mkdirSync(path.join(dir, "nested"), { recursive: true });
    fs.writeFileSync(path.join(dir, "broken.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [unclosed\n");
    fs.writeFileSync(path.join(dir, "nested", "values.yml"), "replicaCount: 2\nimage: {tag: latest}\n");
    fs.writeFileSync(path.join(dir, "nested", "ok.yaml"), "apiVersion: v1\nkind: Namespace\nmetadata: {name: fine}\n");
    const json = path.join(tmp, "broken.json");
    const r = cli([dir, "--level", "dev", "--json", json]);
    expect(r.status).toBe(0); // dev: advisory only
    const findings = readJson(json).findings.filter((f) => f.policy === "audit-manifest-require-kubernetes-object");
    expect(findings.map((f) => f.source).sort()).toEqual([path.join(dir, "broken.yaml#0"), path.join(dir, "nested", "values.yml#0")].sort());
    expect(r.stdout).toMatch(/not a Kubernetes object/);
    expect(r.stdout).toMatch(/not valid YAML/);
    // In prod an unreadable document cannot be vouched for: it fails the run.
    expect(cli([dir]).status).toBe(1);
  });

  const levels = fs.readdirSync(PSS).filter((d) => fs.statSync(path.join(PSS, d)).isDirectory());
  describe.each(levels)("over the PSS %s fixtures (v1.33)", (level) => {
    const frameworks = level === "restricted" ? ["pss:baseline", "pss:restricted"] : ["pss:baseline"];
    const flags = frameworks.flatMap((f) => ["--framework", f]);
    const dir = path.join(PSS, level, "v1.33");
    let findings: Finding[];
    beforeAll(() => {
      const json = path.join(tmp, `pss-${level}.json`);
      const sarif = path.join(tmp, `pss-${level}.sarif`);
      const r = cli([path.join(dir, "pass"), path.join(dir, "fail"), ...flags, "--json", json, "--sarif", sarif]);
      expect(r.stderr).toBe("");
      expect(r.status).toBe(1);
      findings = readJson(json).findings;
      expectSarif(JSON.parse(fs.readFileSync(sarif, "utf8")));
    });
    const files = (outcome: string) => (fs.existsSync(path.join(dir, outcome)) ? fs.readdirSync(path.join(dir, outcome)).filter((f) => f.endsWith(".yaml")) : []);
    it.each(files("fail"))(`fail/%s is a violation of the ${level} level`, (file) => {
      expect(findings.filter((f) => f.file === path.join(dir, "fail", file) && f.level === "mandatory").map((f) => f.policy)).not.toEqual([]);
    });
    it.each(files("pass"))(`pass/%s satisfies the ${level} level`, (file) => {
      expect(findings.filter((f) => f.file === path.join(dir, "pass", file)).map((f) => `${f.policy}: ${f.message}`)).toEqual([]);
    });
  });

  it("has both PSS levels' fixtures and the policies to classify them with", () => {
    expect(levels.sort()).toEqual(["baseline", "restricted"]);
    expect(KUBERNETES_POLICIES.filter((p) => p.frameworks.some((f) => f.startsWith("pss:restricted:"))).length).toBeGreaterThan(0);
  });

  describe("over the stacks", () => {
    let prod: { status: number; stdout: string };
    let dev: { status: number; stdout: string };
    const prodJson = path.join(tmp, "prod.json");
    const prodSarif = path.join(tmp, "prod.sarif");
    const devJson = path.join(tmp, "dev.json");
    beforeAll(() => {
      prod = cli(["--stack", "prod", "--json", prodJson, "--sarif", prodSarif]);
      dev = cli(["--stack", "dev", "--json", devJson]);
    }, 240_000);

    it("finds no violation of our AWS, cost and edge policies in prod", () => {
      const ours = readJson(prodJson).findings.filter((f) => !f.policy.startsWith("kubernetes-"));
      expect(ours).toEqual([]);
    });

    it("prod has zero mandatory violations (exit 0)", () => {
      const mandatory = readJson(prodJson).findings.filter((f) => f.level === "mandatory");
      expect(mandatory.map((f) => `${f.policy} ${f.resource}: ${f.message}`)).toEqual([]);
      expect(prod.status).toBe(0);
    });

    it("writes well-formed SARIF for the stack, located by URN", () => {
      const sarif = JSON.parse(fs.readFileSync(prodSarif, "utf8"));
      expectSarif(sarif);
      for (const r of sarif.runs[0].results) expect(r.locations[0].physicalLocation.artifactLocation.uri).toMatch(/^urn:pulumi:prod::abode::/);
    });

    it("dev reports, only as advisories (exit 0), what prod forbids: each container checked as the pod it would be", () => {
      expect(dev.status).toBe(0);
      const { findings } = readJson(devJson);
      expect(findings.every((f) => f.level === "advisory")).toBe(true);
      expect(dev.stdout).toMatch(/stack dev, \d+ policies: \d+ finding\(s\): 0 mandatory/);
      const found = (policy: string, resource: string) => findings.some((f) => f.policy === policy && f.resource === resource);
      // Published ports are host ports; upstream tags are not digests; Filebeat reads node logs as root.
      expect(found("kubernetes-core-pod-disallow-host-ports", "Pod grafana")).toBe(true);
      expect(found("kubernetes-core-pod-require-pinned-images", "Pod prometheus")).toBe(true);
      expect(found("kubernetes-core-pod-disallow-root-user", "Pod filebeat")).toBe(true);
      expect(found("kubernetes-core-pod-disallow-host-path-volumes", "Pod filebeat")).toBe(true);
      // What dev does as prod does is not reported: non-root, read-only root filesystems, dropped capabilities.
      for (const policy of ["kubernetes-core-pod-require-read-only-root-filesystem", "kubernetes-core-pod-require-drop-all-capabilities", "kubernetes-core-pod-disallow-privilege-escalation"]) {
        expect(findings.filter((f) => f.policy === policy)).toEqual([]);
      }
    });
  });

  it("reports in dev, as advisory, what prod forbids", () => {
    // The level switch on manifests: the same privileged pod is mandatory under prod levels,
    // advisory under dev.
    const file = path.join(tmp, "privileged.yaml");
    fs.writeFileSync(file, "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: registry.k8s.io/pause:3.9\n    securityContext: {privileged: true}\n");
    const prodJson = path.join(tmp, "privileged-prod.json");
    const devJson = path.join(tmp, "privileged-dev.json");
    const asProd = cli([file, "--json", prodJson]);
    const asDev = cli([file, "--level", "dev", "--json", devJson]);
    expect(asProd.status).toBe(1);
    expect(asDev.status).toBe(0);
    const prodPolicies = readJson(prodJson).findings.filter((f) => f.level === "mandatory").map((f) => f.policy);
    const devFindings = readJson(devJson).findings;
    expect(prodPolicies.length).toBeGreaterThan(0);
    expect(devFindings.every((f) => f.level === "advisory")).toBe(true);
    expect(devFindings.map((f) => f.policy)).toEqual(expect.arrayContaining(prodPolicies));
  });
});
