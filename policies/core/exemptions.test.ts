import { runPolicies } from "../audit/run";
import { EXEMPTION_PREFIX, exemptionAnnotation, exemptionFor } from "./exemptions";
import type { AuditPolicy, AuditResource } from "./policy";

const policy: AuditPolicy = {
  kind: "resource",
  name: "kubernetes-core-pod-disallow-root-user",
  pack: "security",
  description: "d",
  severity: "high",
  remediation: "r",
  frameworks: [],
  validateResource: (r) => (r.props.spec?.root ? ["runs as root"] : []),
};
const resource = (annotations?: Record<string, string>): AuditResource => ({
  type: "kubernetes:core/v1:Pod",
  name: "p",
  source: "p.yaml#0",
  props: { metadata: { name: "p", annotations }, spec: { root: true } },
});

describe("exemptions", () => {
  it("are annotations naming the one policy they exempt from, within Kubernetes' key limits", () => {
    expect(exemptionAnnotation("kubernetes-core-pod-disallow-root-user")).toBe(`${EXEMPTION_PREFIX}kubernetes-core-pod-disallow-root-user`);
    expect(() => exemptionAnnotation(`kubernetes-${"x".repeat(60)}`)).toThrow(/63 characters/);
  });

  it("need a reason that says something", () => {
    const key = exemptionAnnotation(policy.name);
    expect(exemptionFor(resource({ [key]: "reads node logs as their owner, uid 0" }), policy.name)).toBe("reads node logs as their owner, uid 0");
    expect(exemptionFor(resource({ [key]: "because" }), policy.name)).toBeUndefined();
    expect(exemptionFor(resource({ [exemptionAnnotation("other-policy")]: "a long enough reason for another policy" }), policy.name)).toBeUndefined();
  });

  it("keep the finding in the audit, as exempt with its reason, so it no longer fails the run", () => {
    const exempted = runPolicies([resource({ [exemptionAnnotation(policy.name)]: "reads node logs as their owner, uid 0" })], [policy], { levelOf: () => "mandatory" });
    expect(exempted).toEqual([expect.objectContaining({ level: "exempt", message: "runs as root (exempt: reads node logs as their owner, uid 0)" })]);
    expect(runPolicies([resource()], [policy], { levelOf: () => "mandatory" })).toEqual([expect.objectContaining({ level: "mandatory" })]);
  });
});
