import type { AuditResource } from "./policy";

/** Docker label naming the image a container runs (the container's `image` input is an image id). */
export const IMAGE_LABEL = "abode.image";

/**
 * A dev container seen as the Pod it would be on Kubernetes, so the pod policies report, for the
 * dev stack, what prod would forbid: root users, host ports and paths, writable root
 * filesystems, missing limits, unpinned images. The container itself stays in the audit too.
 * Undefined for anything that is not a `docker.Container`. Pure.
 */
export function dockerContainerAsPod(resource: AuditResource): AuditResource | undefined {
  if (resource.type !== "docker:index/container:Container") return undefined;
  const c = resource.props;
  const labels: Record<string, string> = Object.fromEntries(((c.labels as { label: string; value: string }[] | undefined) ?? []).map((l) => [l.label, l.value]));
  const [uid, gid] = String(c.user ?? "0:0").split(":").map(Number);
  const securityOpts: string[] = c.securityOpts ?? [];
  const name = String(c.hostname ?? c.name ?? resource.name);
  const probe = c.healthcheck?.tests?.length ? { exec: { command: c.healthcheck.tests.slice(1) } } : undefined;
  const volumes: Record<string, any>[] = (c.volumes ?? []).map((v: Record<string, any>, i: number) =>
    v.hostPath ? { name: `host-${i}`, hostPath: { path: v.hostPath } } : { name: `volume-${i}`, persistentVolumeClaim: { claimName: v.volumeName } },
  );
  return {
    type: "kubernetes:core/v1:Pod",
    name,
    source: `${resource.source} (as a pod)`,
    props: {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name, namespace: "docker", labels },
      spec: {
        // Docker has no service accounts: nothing is mounted, nothing to select.
        automountServiceAccountToken: false,
        serviceAccountName: "none-docker",
        hostNetwork: c.networkMode === "host",
        hostPID: c.pidMode === "host",
        hostIPC: c.ipcMode === "host",
        securityContext: { runAsUser: uid, runAsGroup: gid, ...(uid !== 0 ? { runAsNonRoot: true } : {}) },
        containers: [
          {
            name,
            image: labels[IMAGE_LABEL] ?? c.image,
            ports: (c.ports ?? []).map((p: Record<string, any>) => ({ containerPort: p.internal, ...(p.external ? { hostPort: p.external } : {}), protocol: String(p.protocol ?? "tcp").toUpperCase() })),
            securityContext: {
              privileged: c.privileged === true,
              readOnlyRootFilesystem: c.readOnly === true,
              allowPrivilegeEscalation: !securityOpts.includes("no-new-privileges:true"),
              capabilities: { drop: c.capabilities?.drops ?? [], ...(c.capabilities?.adds?.length ? { add: c.capabilities.adds } : {}) },
              // Docker applies its default seccomp profile unless told otherwise.
              seccompProfile: { type: securityOpts.includes("seccomp=unconfined") ? "Unconfined" : "RuntimeDefault" },
            },
            resources: {
              limits: { ...(c.cpus ? { cpu: String(c.cpus) } : {}), ...(c.memory ? { memory: `${c.memory}Mi` } : {}) },
              requests: { ...(c.memoryReservation ? { memory: `${c.memoryReservation}Mi` } : {}) },
            },
            ...(probe ? { livenessProbe: probe, readinessProbe: probe } : {}),
            volumeMounts: (c.volumes ?? []).map((v: Record<string, any>, i: number) => ({ name: volumes[i]!.name, mountPath: v.containerPath, readOnly: v.readOnly === true })),
          },
        ],
        volumes,
      },
    },
  };
}
