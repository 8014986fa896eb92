import { FILEBEAT_ROOT_REASON } from "../elk/filebeat";
import { sampleSpec } from "./fixtures";
import type { WorkloadSpec } from "./spec";
import { specProblems } from "./validate";

describe("specProblems", () => {
  it("accepts a complete spec", () => {
    expect(specProblems(sampleSpec())).toEqual([]);
  });

  it("names every problem of a misshapen spec", () => {
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
      resources: { cpu: 0, memoryMiB: 512 },
    });
    expect(specProblems(spec)).toEqual([
      "workload Search_1: name must be a DNS label",
      "workload Search_1: port name http is used twice",
      "workload Search_1: port name a-very-long-port-name is longer than 15 characters",
      "workload Search_1: metrics.port metrics is not one of its ports",
      "workload Search_1: config file relative.yml is not an absolute path",
      "workload Search_1: depends on itself",
      "workload Search_1: health.command is empty",
      "workload Search_1: has no CPU or memory limit",
    ]);
  });

  it.each<[string, (s: WorkloadSpec) => WorkloadSpec, RegExp]>([
    ["root without a reason", (s) => ({ ...s, security: { ...s.security, runAsUser: 0 } }), /uid 0/],
    ["root group without a reason", (s) => ({ ...s, security: { ...s.security, runAsGroup: 0 } }), /gid 0/],
    ["a writable root filesystem", (s) => ({ ...s, security: { ...s.security, readOnlyRootFilesystem: false } }), /writable root filesystem/],
    ["an added capability", (s) => ({ ...s, security: { ...s.security, addCapabilities: ["NET_ADMIN"] } }), /NET_ADMIN/],
    ["a service-account token", (s) => ({ ...s, security: { ...s.security, serviceAccountToken: true } }), /service-account token/],
    ["the latest tag", (s) => ({ ...s, image: { kind: "pinned", repository: "r", tag: "latest" } }), /not pinned/],
    ["a minor-only tag", (s) => ({ ...s, image: { kind: "pinned", repository: "r", tag: "8.19" } }), /not pinned/],
    ["a malformed digest", (s) => ({ ...s, image: { kind: "pinned", repository: "r", tag: "1.2.3", digest: "md5:x" } }), /not a sha256 digest/],
    ["a host path without a reason", (s) => ({ ...s, hostPaths: [{ dockerHostPath: "/x", nodeHostPath: "/x", mountPath: "/x", reason: "" }] }), /host path \/x/],
    ["a writable root path", (s) => ({ ...s, security: { ...s.security, writablePaths: ["/"] } }), /writable path "\/"/],
    ["a single replica without a reason", (s) => ({ ...s, singleReplica: "state" }), /single replica without a documented reason/],
    ["egress without a reason", (s) => ({ ...s, externalEgress: [{ cidr: "0.0.0.0/0", ports: [443], reason: "api" }] }), /egress to 0\.0\.0\.0\/0 without a documented reason/],
  ])("flags %s", (_, mutate, message) => {
    expect(specProblems(mutate(sampleSpec())).join("\n")).toMatch(message);
  });

  it.each([["1.2.3"], ["v2.55.1"], ["pv-v5.8.0-osmesa-py3"], ["0.114.0-abode.1"], ["8.19.19"]])("accepts the exact tag %s", (tag) => {
    expect(specProblems(sampleSpec({ image: { kind: "pinned", repository: "r", tag } }))).toEqual([]);
  });

  it.each([undefined, "", "   ", "too short"])("flags uid/gid 0 with the root reason %p", (rootReason) => {
    const root = sampleSpec({ security: { runAsUser: 0, runAsGroup: 0, rootReason } });
    expect(specProblems(root)).toEqual(["workload search: runs as uid 0 gid 0 without a documented security.rootReason"]);
  });

  it("accepts a token, a single replica and egress that each say why", () => {
    const spec = sampleSpec();
    const documented: WorkloadSpec = {
      ...spec,
      security: { ...spec.security, serviceAccountToken: true, serviceAccountTokenReason: "creates its case Jobs through the Kubernetes API" },
      singleReplica: "its queue lives in the process and its cases on its own volume",
      externalEgress: [{ cidr: "0.0.0.0/0", ports: [443], reason: "queries the USGS and FEMA web services" }],
    };
    expect(specProblems(documented)).toEqual([]);
  });

  it("accepts root with a written reason", () => {
    expect(specProblems(sampleSpec({ security: { runAsUser: 0, runAsGroup: 0, rootReason: FILEBEAT_ROOT_REASON } }))).toEqual([]);
  });
});
