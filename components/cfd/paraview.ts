import type { Resources, WorkloadSpec } from "../workload/spec";

/** ParaView's `pvserver` for remote visualization of CFD results (port 11111). */
export const PARAVIEW_IMAGE = { repository: "kitware/paraview", tag: "pv-v5.8.0-osmesa-py3" } as const;
/** The image's own unprivileged user (`pv-user`). */
const PV_UID = 1000;

export interface ParaviewArgs {
  /** @default { cpu: 2, memoryMiB: 4096 } */
  resources?: Resources;
}

export function paraviewWorkload(args: ParaviewArgs = {}): WorkloadSpec {
  return {
    name: "paraview",
    component: "cfd",
    version: PARAVIEW_IMAGE.tag,
    image: { kind: "pinned", ...PARAVIEW_IMAGE },
    command: ["/opt/paraview/bin/pvserver"],
    // --multi-clients: the health probe's connection must not take the only client slot.
    args: ["--server-port=11111", "--multi-clients", "--force-offscreen-rendering"],
    ports: [{ name: "pvserver", containerPort: 11111 }],
    env: { HOME: "/tmp" },
    configFiles: [],
    volumes: [],
    health: {
      tcp: { port: 11111 },
      command: ["CMD", "python3", "-c", "import socket; socket.create_connection(('127.0.0.1', 11111), 3).close()"],
    },
    resources: args.resources ?? { cpu: 2, memoryMiB: 4096 },
    security: { runAsUser: PV_UID, runAsGroup: PV_UID, writablePaths: ["/tmp"] },
    dependsOn: [],
  };
}
