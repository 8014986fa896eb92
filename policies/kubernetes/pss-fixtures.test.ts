import * as fs from "node:fs";
import * as path from "node:path";
import { parseAllDocuments } from "yaml";
import { KUBERNETES_POLICIES } from "./index";
import { asResource, runPolicies } from "./testing";

/**
 * The Pod Security Standards conformance fixtures of kubernetes/pod-security-admission (v1.33):
 * every `fail` fixture of a level draws a violation from that level's policies (restricted
 * includes baseline) - from the policy of the check the fixture is named after - and every
 * `pass` fixture draws none.
 */
const ROOT = path.resolve(__dirname, "../../../shared/fixtures/pss");
const LEVELS = ["baseline", "restricted"] as const;

function levelPolicies(level: (typeof LEVELS)[number]) {
  const prefixes = level === "baseline" ? ["pss:baseline:"] : ["pss:baseline:", "pss:restricted:"];
  return KUBERNETES_POLICIES.filter((p) => p.frameworks.some((f) => prefixes.some((x) => f.startsWith(x))));
}

function load(file: string) {
  return parseAllDocuments(fs.readFileSync(file, "utf8"))
    .map((d) => d.toJS())
    .filter((o) => o && typeof o === "object")
    .map((o, i) => asResource(o, `${path.basename(file)}#${i}`));
}

const cases = LEVELS.flatMap((level) =>
  (["fail", "pass"] as const).flatMap((outcome) => {
    const dir = path.join(ROOT, level, "v1.33", outcome);
    return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith(".yaml")).sort().map((f) => ({ level, outcome, file: path.join(dir, f), stem: f.replace(/\.yaml$/, "") })) : [];
  }),
);

test("the fixtures are there", () => {
  expect(cases.filter((c) => c.level === "baseline").length).toBeGreaterThan(30);
  expect(cases.filter((c) => c.level === "restricted").length).toBeGreaterThan(80);
});

test("every level's policy set covers the Pod Security Standards checks exactly", () => {
  const ids = (level: "baseline" | "restricted") => [...new Set(levelPolicies(level).flatMap((p) => p.frameworks.filter((f) => f.startsWith("pss:"))))].sort();
  expect(ids("baseline")).toEqual(
    [
      "appArmorProfile",
      "capabilities_baseline",
      "hostNamespaces",
      "hostPathVolumes",
      "hostPorts",
      "privileged",
      "procMount",
      "seLinuxOptions",
      "seccompProfile_baseline",
      "sysctls",
      "windowsHostProcess",
    ]
      .map((id) => `pss:baseline:${id}`)
      .sort(),
  );
  expect(ids("restricted").filter((f) => f.startsWith("pss:restricted:"))).toEqual(
    ["allowPrivilegeEscalation", "capabilities_restricted", "restrictedVolumes", "runAsNonRoot", "runAsUser", "seccompProfile_restricted"].map((id) => `pss:restricted:${id}`).sort(),
  );
});

describe.each(cases)("$level/$outcome/$stem", ({ level, outcome, file, stem }) => {
  test(outcome === "fail" ? "violates the level, by its own check" : "passes the level", () => {
    const policies = levelPolicies(level);
    const findings = runPolicies(policies, load(file));
    if (outcome === "pass") {
      expect(findings.map((f) => `${f.policy}: ${f.message}`)).toEqual([]);
      return;
    }
    expect(findings.length).toBeGreaterThan(0);
    // The check the fixture is named after (file stem without its case number) is among those that fired.
    const check = stem.replace(/\d+$/, "");
    const fired = new Set(findings.flatMap((f) => KUBERNETES_POLICIES.find((p) => p.name === f.policy)!.frameworks).filter((f) => f.startsWith("pss:")).map((f) => f.split(":")[2]!.toLowerCase()));
    expect([...fired]).toContain(check);
  });
});
