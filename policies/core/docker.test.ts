import { dockerContainerAsPod, IMAGE_LABEL } from "./docker";

describe("dockerContainerAsPod", () => {
  const container = {
    type: "docker:index/container:Container",
    name: "grafana",
    source: "urn:x",
    props: {
      name: "abode-dev-grafana",
      hostname: "grafana",
      image: "sha256:abc",
      user: "472:472",
      readOnly: true,
      securityOpts: ["no-new-privileges:true"],
      capabilities: { drops: ["ALL"], adds: [] },
      cpus: "1",
      memory: 512,
      memoryReservation: 256,
      ports: [{ internal: 3000, external: 3001, ip: "127.0.0.1", protocol: "tcp" }],
      volumes: [{ volumeName: "abode-dev-grafana-data", containerPath: "/var/lib/grafana" }, { hostPath: "/var/log", containerPath: "/logs", readOnly: true }],
      healthcheck: { tests: ["CMD", "wget", "-q", "http://127.0.0.1:3000/api/health"] },
      labels: [{ label: IMAGE_LABEL, value: "grafana/grafana:11.3.1" }],
    },
  };

  it("maps what the container does to the pod fields the policies read", () => {
    const pod = dockerContainerAsPod(container)!;
    expect(pod.type).toBe("kubernetes:core/v1:Pod");
    expect(pod.props.spec.securityContext).toEqual({ runAsUser: 472, runAsGroup: 472, runAsNonRoot: true });
    const c = pod.props.spec.containers[0];
    expect(c.image).toBe("grafana/grafana:11.3.1");
    expect(c.ports).toEqual([{ containerPort: 3000, hostPort: 3001, protocol: "TCP" }]);
    expect(c.securityContext).toEqual({
      privileged: false,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ["ALL"] },
      seccompProfile: { type: "RuntimeDefault" },
    });
    expect(c.resources).toEqual({ limits: { cpu: "1", memory: "512Mi" }, requests: { memory: "256Mi" } });
    expect(c.livenessProbe).toEqual({ exec: { command: ["wget", "-q", "http://127.0.0.1:3000/api/health"] } });
    expect(pod.props.spec.volumes).toEqual([
      { name: "volume-0", persistentVolumeClaim: { claimName: "abode-dev-grafana-data" } },
      { name: "host-1", hostPath: { path: "/var/log" } },
    ]);
  });

  it("shows root, escalation and a writable root filesystem as they are", () => {
    const loose = dockerContainerAsPod({ ...container, props: { ...container.props, user: undefined, readOnly: false, securityOpts: [] } })!;
    expect(loose.props.spec.securityContext).toEqual({ runAsUser: 0, runAsGroup: 0 });
    expect(loose.props.spec.containers[0].securityContext).toMatchObject({ readOnlyRootFilesystem: false, allowPrivilegeEscalation: true });
  });

  it("leaves everything else alone", () => {
    expect(dockerContainerAsPod({ ...container, type: "docker:index/volume:Volume" })).toBeUndefined();
  });
});
