import { sampleSpec } from "./fixtures";
import { specProblems } from "./validate";

describe("specProblems", () => {
  it("accepts a complete spec", () => {
    expect(specProblems(sampleSpec())).toEqual([]);
  });

  it("names every problem of a broken spec", () => {
    const spec = sampleSpec({
      name: "Search_1",
      ports: [
        { name: "http", containerPort: 1 },
        { name: "http", containerPort: 2 },
        { name: "a-very-long-port-name", containerPort: 3 },
      ],
      metrics: { port: "metrics", path: "/metrics" },
      configFiles: [{ path: "relative.yml", content: "" }],
      dependsOn: ["Search_1"],
      health: { command: [] },
      image: { kind: "pinned", repository: "x", tag: "latest" },
      security: { runAsUser: 0, runAsGroup: 0 },
    });
    expect(specProblems(spec)).toEqual([
      "workload Search_1: name must be a DNS label",
      "workload Search_1: security.runAsUser is 0 without a security.rootReason",
      "workload Search_1: port name http is used twice",
      "workload Search_1: port name a-very-long-port-name is longer than 15 characters",
      "workload Search_1: metrics.port metrics is not one of its ports",
      "workload Search_1: config file relative.yml is not an absolute path",
      "workload Search_1: depends on itself",
      "workload Search_1: health.command is empty",
      "workload Search_1: image tag must be an exact version",
    ]);
  });
});
