import * as pulumi from "@pulumi/pulumi";
import { installMocks } from "../test/mocks";
import { HelmRelease } from "./helm-release";
import { CHART } from "./metrics-server";

const created = installMocks(pulumi);

function settled<T>(o: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => o.apply(resolve));
}

describe("HelmRelease", () => {
  it("registers a helm v3 Release with the pinned chart, namespace and values, atomically", async () => {
    const r = new HelmRelease("metrics", { chart: CHART, namespace: "kube-system", values: { replicas: 2, nodeSelector: { "abode.io/pool": "system" } } });
    await settled(r.release.urn);
    const release = created.find((c) => c.type === "kubernetes:helm.sh/v3:Release" && c.name === "metrics");
    expect(release).toBeDefined();
    expect(release!.inputs).toMatchObject({
      name: "metrics",
      chart: CHART.chart,
      version: CHART.version,
      repositoryOpts: { repo: CHART.repository },
      namespace: "kube-system",
      createNamespace: true,
      values: { replicas: 2, nodeSelector: { "abode.io/pool": "system" } },
      atomic: true,
      cleanupOnFail: true,
      timeout: 600,
      maxHistory: 5,
    });
    expect(created.some((c) => c.type === "abode:charts:HelmRelease" && c.name === "metrics")).toBe(true);
  });
  it("refuses a chart that is not pinned", () => {
    expect(() => new HelmRelease("bad", { chart: { ...CHART, version: "^3.12.0" }, namespace: "x", values: {} })).toThrow(/exact/);
  });
});
