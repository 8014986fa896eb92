import type { ResourcePolicy } from "../core/policy";
import { containerRefs, forEachPod, show } from "./pods";

const PROBES = ["livenessProbe", "readinessProbe", "startupProbe"] as const;
const HANDLERS = ["httpGet", "tcpSocket", "grpc"] as const;

export const kubernetesCorePodRequireProbePorts: ResourcePolicy = {
  kind: "resource",
  name: "kubernetes-core-pod-require-probe-ports",
  pack: "reliability",
  description:
    "Every probe (liveness, readiness, startup; httpGet, tcpSocket or grpc) targets a port the container declares: a number among its `ports[*].containerPort`, " +
    "or a name among its `ports[*].name`. Operator-managed templates (ECK) are exempt. Matches kube-linter `liveness-port`, `readiness-port`, `startup-port`.",
  severity: "medium",
  remediation: "Point the probe at a declared port (preferably by its name, e.g. `port: http`), or declare the port in the container's `ports`.",
  frameworks: ["kube-linter:liveness-port", "kube-linter:readiness-port", "kube-linter:startup-port"],
  validateResource: (resource) =>
    forEachPod(resource, (target) => {
      if (target.operatorManaged) return [];
      return containerRefs(target).flatMap((c) => {
        const ports = (c.container.ports as any[] | undefined) ?? [];
        return PROBES.flatMap((probe) =>
          HANDLERS.flatMap((handler) => {
            const port = c.container[probe]?.[handler]?.port;
            if (port === undefined || port === null) return [];
            const numeric = typeof port === "number" ? port : /^\d+$/.test(String(port)) ? Number(port) : undefined;
            const found = numeric !== undefined ? ports.some((p) => Number(p?.containerPort) === numeric) : ports.some((p) => p?.name === port);
            return found
              ? []
              : [`${c.label}: ${c.path}.${probe}.${handler}.port is ${show(port)}, which is not among the container's ports (${ports.map((p) => p?.name ?? p?.containerPort).join(", ") || "none"})`];
          }),
        );
      });
    }),
};
