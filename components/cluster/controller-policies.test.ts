import { clusterAutoscalerPolicy, loadBalancerControllerPolicy } from "./controller-policies";
import { leastPrivilegeProblems } from "./irsa";

describe("controller IAM policies", () => {
  it.each([
    ["cluster-autoscaler", clusterAutoscalerPolicy("abode-prod")],
    ["aws-load-balancer-controller", loadBalancerControllerPolicy()],
  ])("%s passes the least-privilege check with only its listed unscoped statements", (_, { policy, unscopedSids }) => {
    expect(leastPrivilegeProblems(policy, { unscopedSids })).toEqual([]);
    for (const sid of unscopedSids) expect(policy.Statement.map((s) => s.Sid)).toContain(sid);
  });

  it("lets the autoscaler resize only this cluster's groups, and read empty node groups", () => {
    const { policy } = clusterAutoscalerPolicy("abode-prod");
    const resize = policy.Statement.find((s) => s.Sid === "ResizeOwnGroups")!;
    expect(resize.Condition).toEqual({ StringEquals: { "aws:ResourceTag/k8s.io/cluster-autoscaler/abode-prod": "owned" } });
    expect(policy.Statement.find((s) => s.Sid === "Describe")!.Action).toContain("eks:DescribeNodegroup");
  });

  it("lets the load balancer controller change or delete only what it tagged", () => {
    const { policy } = loadBalancerControllerPolicy();
    const destructive = policy.Statement.filter((s) => ([] as string[]).concat(s.Action).some((a) => /Delete(LoadBalancer|TargetGroup|SecurityGroup)|Modify(LoadBalancer|TargetGroup)/.test(a)));
    expect(destructive.length).toBeGreaterThan(0);
    for (const statement of destructive) expect(statement.Condition).toEqual({ Null: { "aws:ResourceTag/elbv2.k8s.aws/cluster": "false" } });
  });
});
