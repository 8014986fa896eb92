import type { IJob } from "kubernetes-models/batch/v1/Job";
import type { IPod } from "kubernetes-models/v1/Pod";
import { jobState, LogFollower, podSituation } from "../src/kubernetes/status";

const job = (conditions: { type: string; status: string; reason?: string; message?: string }[]): IJob => ({
  apiVersion: "batch/v1",
  kind: "Job",
  metadata: { name: "cfd-x" },
  spec: { activeDeadlineSeconds: 8100, backoffLimit: 1, template: { spec: { containers: [] } } },
  status: { conditions: conditions.map((c) => ({ ...c, status: c.status as "True" | "False" })) as any },
});

describe("jobState", () => {
  test.each([
    ["no conditions", [], { phase: "running" }],
    ["Complete", [{ type: "Complete", status: "True" }], { phase: "succeeded" }],
    ["FailureTarget only (pods still terminating)", [{ type: "FailureTarget", status: "True", reason: "PodFailurePolicy" }], { phase: "running" }],
    ["Failed: deadline", [{ type: "Failed", status: "True", reason: "DeadlineExceeded" }], { phase: "failed", reason: "the run took longer than its 8100 s deadline and was stopped" }],
    [
      "Failed: the case container's exit code",
      [{ type: "Failed", status: "True", reason: "PodFailurePolicy", message: "Container case for pod abode/cfd-x-1 failed with exit code 137 matching FailJob rule at index 1" }],
      { phase: "failed", reason: "the case container failed: Container case for pod abode/cfd-x-1 failed with exit code 137 matching FailJob rule at index 1" },
    ],
    ["Failed: backoff", [{ type: "Failed", status: "True", reason: "BackoffLimitExceeded" }], { phase: "failed", reason: "the Job's pod failed 2 time(s)" }],
    ["Failed: other", [{ type: "Failed", status: "True", reason: "MaxFailedIndexesExceeded", message: "m" }], { phase: "failed", reason: "MaxFailedIndexesExceeded: m" }],
    ["a False condition is no condition", [{ type: "Complete", status: "False" }], { phase: "running" }],
  ])("%s", (_, conditions, expected) => {
    expect(jobState(job(conditions))).toEqual(expected);
  });
});

describe("podSituation", () => {
  const pod = (status: IPod["status"], nodeName?: string): IPod => ({ apiVersion: "v1", kind: "Pod", metadata: { name: "cfd-x-1" }, spec: { containers: [], nodeName }, status });
  test.each([
    ["waiting for a node", pod({ phase: "Pending", conditions: [{ type: "PodScheduled", status: "False", reason: "Unschedulable", message: "0/3 nodes are available" }] }), "pod cfd-x-1 waits for a node: 0/3 nodes are available"],
    ["an image that cannot be pulled", pod({ phase: "Pending", containerStatuses: [{ name: "case", ready: false, restartCount: 0, image: "i", imageID: "", state: { waiting: { reason: "ImagePullBackOff", message: "Back-off pulling image" } } }] }), "pod cfd-x-1: ImagePullBackOff (Back-off pulling image)"],
    ["being created", pod({ phase: "Pending", containerStatuses: [{ name: "case", ready: false, restartCount: 0, image: "i", imageID: "", state: { waiting: { reason: "ContainerCreating" } } }] }), undefined],
    ["running", pod({ phase: "Running" }, "ip-10-0-1-2"), "pod cfd-x-1 is running on ip-10-0-1-2"],
    ["killed for memory", pod({ phase: "Failed", containerStatuses: [{ name: "case", ready: false, restartCount: 0, image: "i", imageID: "", state: { terminated: { reason: "OOMKilled", exitCode: 137 } } }] }), "pod cfd-x-1 ended: OOMKilled, exit code 137"],
  ])("%s", (_, p, expected) => {
    expect(podSituation(p)).toBe(expected);
  });
});

describe("LogFollower", () => {
  const at = (fraction: string, line: string) => `2025-03-01T10:00:05.${fraction}Z ${line}\n`;

  test("overlapping polls (sinceTime has second precision) yield each line once", () => {
    const follower = new LogFollower();
    expect(follower.sinceTime()).toBeUndefined();
    expect(follower.push(at("100000000", "Time = 1") + at("200000000", "Time = 2"))).toEqual(["Time = 1", "Time = 2"]);
    expect(follower.sinceTime()).toBe("2025-03-01T10:00:05Z");
    expect(follower.push(at("100000000", "Time = 1") + at("200000000", "Time = 2") + at("3", "Time = 3"))).toEqual(["Time = 3"]);
  });

  test("fractions of different lengths compare as times; equal timestamps are counted, not merged", () => {
    const follower = new LogFollower();
    expect(follower.push(at("5", "a") + at("5", "b"))).toEqual(["a", "b"]);
    expect(follower.push(at("5", "a") + at("5", "b") + at("5", "c") + at("49", "d"))).toEqual(["c"]);
    expect(follower.push(at("500000001", "e"))).toEqual(["e"]);
  });

  test("a last line without its newline waits for the next poll; empty lines are lines", () => {
    const follower = new LogFollower();
    expect(follower.push(`${at("1", "")}2025-03-01T10:00:05.2Z partial`)).toEqual([""]);
    expect(follower.push(`${at("1", "")}${at("2", "partial line")}`)).toEqual(["partial line"]);
  });

  test("skipSecond moves past a second that is more than a poll can read", () => {
    const follower = new LogFollower();
    follower.push(at("1", "x"));
    expect(follower.skipSecond()).toBe("2025-03-01T10:00:05Z");
    expect(follower.sinceTime()).toBe("2025-03-01T10:00:06Z");
    expect(follower.push(at("9", "late in :05") + "2025-03-01T10:00:06.1Z next\n")).toEqual(["next"]);
  });
});
