import * as pulumi from "@pulumi/pulumi";
import { renderDocker, renderEnv, type DockerTarget } from "./docker";
import { sampleSpec } from "./fixtures";

const target: DockerTarget = {
  prefix: "abode-dev",
  network: "abode-dev-net",
  bindAddress: "127.0.0.1",
  hostPorts: { http: 18080 },
  gpus: false,
  labels: { "app.kubernetes.io/part-of": "abode" },
};

describe("renderDocker", () => {
  const plan = renderDocker(sampleSpec(), target);
  const c = plan.container;

  it("names the container and joins the private network under the workload's name", () => {
    expect(c.name).toBe("abode-dev-search");
    expect(c.networksAdvanced).toEqual([{ name: "abode-dev-net", aliases: ["search"] }]);
  });

  it("publishes only the ports the stack maps, on the bind address", () => {
    expect(c.ports).toEqual([{ internal: 8080, external: 18080, ip: "127.0.0.1", protocol: "tcp" }]);
  });

  it("locks the container down", () => {
    expect(c.user).toBe("1000:1000");
    expect(c.readOnly).toBe(true);
    expect(c.capabilities).toEqual({ drops: ["ALL"], adds: [] });
    expect(c.securityOpts).toEqual(["no-new-privileges:true"]);
    expect(c.tmpfs).toEqual({ "/tmp": "rw,nosuid,nodev,size=256m" });
    expect(c).not.toHaveProperty("privileged");
  });

  it("limits CPU and memory, without swap", () => {
    expect(c.cpus).toBe("1.5");
    expect(c.memory).toBe(1024);
    expect(c.memorySwap).toBe(1024);
    expect(c.memoryReservation).toBe(512);
  });

  it("health-checks with the spec's command and waits for health", () => {
    expect(c.healthcheck).toEqual({
      tests: ["CMD", "wget", "-q", "-O-", "http://127.0.0.1:8080/healthz"],
      interval: "10s",
      timeout: "5s",
      retries: 5,
      startPeriod: "30s",
    });
    expect(c.wait).toBe(true);
    expect(c.restart).toBe("unless-stopped");
  });

  it("puts state on named volumes and config files on config volumes, secret files owner-only", () => {
    expect(plan.volumes).toEqual(["abode-dev-search-data", "abode-dev-search-config-etc-search", "abode-dev-search-config-etc-search-tls"]);
    expect(c.volumes).toEqual([
      { volumeName: "abode-dev-search-data", containerPath: "/var/lib/search" },
      { volumeName: "abode-dev-search-config-etc-search", containerPath: "/etc/search" },
      { volumeName: "abode-dev-search-config-etc-search-tls", containerPath: "/etc/search/tls" },
    ]);
    expect(c.uploads).toEqual([
      { file: "/etc/search/search.yml", content: "a: 1\n", owner: "1000", group: "1000", permissions: "0444" },
      { file: "/etc/search/tls/key.pem", content: "KEY", owner: "1000", group: "1000", permissions: "0400" },
      { file: "/var/lib/search/seed.json", content: "{}", owner: "1000", group: "1000", permissions: "0444" },
    ]);
  });

  it("sorts the environment and keeps command and args", () => {
    expect(c.envs).toEqual(["ALPHA=first", "ZETA=last"]);
    expect(c.entrypoints).toEqual(["/bin/search"]);
    expect(c.command).toEqual(["--serve"]);
  });

  it("labels the container like a Kubernetes object", () => {
    expect(c.labels).toEqual(
      expect.arrayContaining([
        { label: "app.kubernetes.io/name", value: "search" },
        { label: "app.kubernetes.io/component", value: "app" },
        { label: "app.kubernetes.io/version", value: "1.2.3" },
        { label: "app.kubernetes.io/part-of", value: "abode" },
      ]),
    );
  });

  it("gives GPUs only to GPU workloads on a GPU host", () => {
    expect(renderDocker(sampleSpec({ gpu: { count: 1 } }), { ...target, gpus: true }).container.gpus).toBe("all");
    expect(renderDocker(sampleSpec({ gpu: { count: 1 } }), target).container.gpus).toBeUndefined();
    expect(renderDocker(sampleSpec(), { ...target, gpus: true }).container.gpus).toBeUndefined();
  });

  it("runs a job once and waits for it to finish instead of for health", () => {
    const job = renderDocker(sampleSpec({ kind: "job" }), target).container;
    expect(job).toMatchObject({ restart: "no", wait: false, mustRun: false, attach: true, logs: true });
  });

  it("mounts host paths read-only", () => {
    const spec = sampleSpec({ hostPaths: [{ dockerHostPath: "/var/lib/docker/containers", nodeHostPath: "/var/log/pods", mountPath: "/logs", reason: "ships the containers' json-file logs" }] });
    expect(renderDocker(spec, target).container.volumes).toContainEqual({ hostPath: "/var/lib/docker/containers", containerPath: "/logs", readOnly: true });
  });

  it("needs no tmpfs where a config volume already makes a path writable", () => {
    const spec = sampleSpec({ security: { runAsUser: 1000, runAsGroup: 1000, writablePaths: ["/tmp", "/etc/search"] } });
    expect(renderDocker(spec, target).container.tmpfs).toEqual({ "/tmp": "rw,nosuid,nodev,size=256m" });
  });

  it("labels every log line with the workload, for Filebeat", () => {
    expect(c.logOpts).toEqual({ "max-size": "10m", "max-file": "3", labels: "abode_workload" });
    expect(c.labels).toContainEqual({ label: "abode_workload", value: "search" });
  });

  it("refuses to run as root without a documented reason", () => {
    const root = sampleSpec({ security: { runAsUser: 0, runAsGroup: 0 } });
    expect(() => renderDocker(root, target)).toThrow("workload search: runs as uid 0 gid 0 without a documented security.rootReason");
    const documented = sampleSpec({ security: { runAsUser: 0, runAsGroup: 0, rootReason: "reads root-owned container logs" } });
    expect(renderDocker(documented, target).container.user).toBe("0:0");
  });

  it("keeps secret environment values as outputs", async () => {
    const [plain, secret] = renderEnv({ A: "1", B: pulumi.secret("s3cret") });
    expect(plain).toBe("A=1");
    expect(pulumi.Output.isInstance(secret)).toBe(true);
  });
});
