import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type * as docker from "@pulumi/docker";
import type { WorkloadSpec } from "./spec";
import { IMAGE_LABEL } from "../../policies/core/docker";
import { imageReference } from "./kubernetes";
import { assertValidSpec } from "./validate";

/** Where a workload runs on the Docker host: decided by the stack, not by the spec. */
export interface DockerTarget {
  /** Prefix of every container and volume name, e.g. `abode-dev`. */
  prefix: string;
  /** The private network every container joins. */
  network: pulumi.Input<string>;
  /** Address published ports bind to. */
  bindAddress: string;
  /** Port name → host port; ports not listed stay on the private network. */
  hostPorts: Record<string, number>;
  /** The Docker host has NVIDIA GPUs; without them a GPU workload runs on CPU. */
  gpus: boolean;
  /** `app.kubernetes.io/*`-style labels shared by every container. */
  labels: Record<string, string>;
}

/** Docker label naming the workload; copied into every json-file log line (no dots: it becomes a field name). */
export const WORKLOAD_LOG_LABEL = "abode_workload";

/** What the Docker component registers for one workload. */
export interface DockerPlan {
  /** Named volumes to create, in mount order. */
  volumes: string[];
  /** Container arguments without `image`, which comes from the image resource. */
  container: Omit<docker.ContainerArgs, "image">;
}

/** Renders a workload spec for Docker. Pure: same spec and target, same plan. */
export function renderDocker(spec: WorkloadSpec, target: DockerTarget): DockerPlan {
  assertValidSpec(spec);
  const containerName = `${target.prefix}-${spec.name}`;
  // A volume another workload owns is mounted under the owner's name and created by the owner.
  const stateVolumes = spec.volumes.map((v) => ({ volumeName: `${target.prefix}-${v.owner ?? spec.name}-${v.name}`, containerPath: v.mountPath }));
  const ownedVolumes = stateVolumes.filter((_, i) => !spec.volumes[i]!.owner);
  const configVolumes = configDirectories(spec).map((dir) => ({
    volumeName: `${containerName}-config${slug(dir)}`,
    containerPath: dir,
  }));
  const isJob = spec.kind === "job";
  const health = spec.health;
  return {
    volumes: [...ownedVolumes, ...configVolumes].map((v) => v.volumeName),
    container: {
      name: containerName,
      hostname: spec.name,
      entrypoints: spec.command,
      command: spec.args,
      envs: renderEnv(spec.env),
      networksAdvanced: [{ name: target.network, aliases: [spec.name] }],
      ports: spec.ports
        .filter((p) => target.hostPorts[p.name] !== undefined)
        .map((p) => ({ internal: p.containerPort, external: target.hostPorts[p.name], ip: target.bindAddress, protocol: p.protocol ?? "tcp" })),
      volumes: [
        ...stateVolumes,
        ...configVolumes,
        ...(spec.hostPaths ?? []).map((h) => ({ hostPath: h.dockerHostPath, containerPath: h.mountPath, readOnly: true })),
      ],
      // Uploaded before start. The root filesystem is read-only, so each file lands in its
      // directory's config volume (Docker allows copying into volumes of read-only containers).
      uploads: spec.configFiles.map((f) => ({
        file: f.path,
        content: f.content,
        owner: String(spec.security.runAsUser),
        group: String(spec.security.runAsGroup),
        permissions: f.mode ?? (f.secret ? "0400" : "0444"),
      })),
      healthcheck: {
        tests: health.command,
        interval: `${health.intervalSeconds ?? 10}s`,
        timeout: `${health.timeoutSeconds ?? 5}s`,
        retries: health.retries ?? 5,
        startPeriod: `${health.startPeriodSeconds ?? 30}s`,
      },
      cpus: String(spec.resources.cpu),
      memory: spec.resources.memoryMiB,
      memoryReservation: spec.resources.requests?.memoryMiB ?? Math.floor(spec.resources.memoryMiB / 2),
      // Swap would hide a memory limit that is too small.
      memorySwap: spec.resources.memoryMiB,
      gpus: spec.gpu && target.gpus ? "all" : undefined,
      user: `${spec.security.runAsUser}:${spec.security.runAsGroup}`,
      readOnly: spec.security.readOnlyRootFilesystem ?? true,
      tmpfs: Object.fromEntries(scratchPaths(spec, configVolumes.map((v) => v.containerPath)).map((p) => [p, "rw,nosuid,nodev,size=256m"])),
      capabilities: { drops: ["ALL"], adds: spec.security.addCapabilities ?? [] },
      securityOpts: ["no-new-privileges:true"],
      labels: Object.entries({
        ...target.labels,
        "app.kubernetes.io/name": spec.name,
        "app.kubernetes.io/component": spec.component,
        "app.kubernetes.io/version": spec.version,
        [WORKLOAD_LOG_LABEL]: spec.name,
        // The image by name: the container's `image` is an id, which says nothing to an auditor.
        [IMAGE_LABEL]: imageReference(spec),
      })
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([label, value]) => ({ label, value })),
      // Bounded json-file logs; each line carries the workload label in `attrs`, which is how
      // Filebeat picks out (and names) our containers' logs without the Docker socket.
      logDriver: "json-file",
      logOpts: { "max-size": "10m", "max-file": "3", labels: WORKLOAD_LOG_LABEL },
      restart: isJob ? "no" : "unless-stopped",
      // A service is created only once healthy, so dependents start after it; a job is
      // attached to and waited for until it exits.
      wait: !isJob,
      waitTimeout: isJob ? undefined : 300,
      mustRun: !isJob,
      attach: isJob ? true : undefined,
      logs: isJob ? true : undefined,
      destroyGraceSeconds: 30,
    },
  };
}

/** `KEY=value` pairs, sorted so the plan does not change with declaration order. */
export function renderEnv(env: Record<string, pulumi.Input<string>>): pulumi.Input<string>[] {
  return Object.keys(env)
    .sort()
    .map((key) => {
      const value = env[key];
      return typeof value === "string" ? `${key}=${value}` : pulumi.concat(key, "=", value);
    });
}

/** Directories holding config files that are not already on a state volume. */
function configDirectories(spec: WorkloadSpec): string[] {
  const onStateVolume = (dir: string) => spec.volumes.some((v) => dir === v.mountPath || dir.startsWith(`${v.mountPath}/`));
  const dirs = new Set(spec.configFiles.map((f) => path.posix.dirname(f.path)).filter((d) => !onStateVolume(d)));
  return [...dirs].sort();
}

/** Writable scratch paths that need a tmpfs: a config volume mounted there is writable already. */
function scratchPaths(spec: WorkloadSpec, configDirs: string[]): string[] {
  return (spec.security.writablePaths ?? []).filter((p) => !configDirs.includes(p));
}

function slug(dir: string): string {
  return dir.replace(/[^a-zA-Z0-9]+/g, "-").replace(/-+$/, "");
}
