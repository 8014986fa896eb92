import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { Certificates } from "../components/elk/certificates";
import { DockerImages } from "../components/workload/docker-images";
import { DockerWorkload } from "../components/workload/docker-workload";
import { CATALOGUE, type WorkloadName } from "./config/catalogue";
import { hostPorts, type StackConfig } from "./config/schema";
import { inDependencyOrder, startsAfter } from "./order";
import { generateSecrets } from "./secrets";
import { publishedEndpoints } from "./urls";
import { devWorkloads } from "./workloads";

export interface DevStackOptions {
  /** The Pulumi stack name; prefixes container, volume and network names. */
  stack: string;
}

/**
 * The dev stack: every enabled workload as a container on one private Docker network, ports
 * published on `bindAddress`, state on named volumes, each container started only once the
 * ones it depends on are healthy.
 */
export function devStack(config: StackConfig, options: DevStackOptions) {
  const prefix = `abode-${options.stack}`;
  const labels = { "app.kubernetes.io/part-of": "abode", "app.kubernetes.io/managed-by": "pulumi", "app.kubernetes.io/instance": prefix };
  const secrets = generateSecrets();
  const tls = new Certificates("elasticsearch-tls");
  const network = new docker.Network("network", {
    name: `${prefix}-net`,
    driver: "bridge",
    labels: Object.entries(labels).map(([label, value]) => ({ label, value })),
  });

  const specs = devWorkloads(config, { ...secrets, elasticTls: { caCertPem: tls.caCertPem, certPem: tls.certPem, keyPem: tls.keyPem } });
  const images = new DockerImages("images", { specs });
  const containers = new Map<string, docker.Container>();
  for (const spec of inDependencyOrder(specs)) {
    const published = spec.name in CATALOGUE ? hostPorts(config, spec.name as WorkloadName) : {};
    const workload = new DockerWorkload(spec.name, {
      spec,
      target: { prefix, network: network.name, bindAddress: config.bindAddress, hostPorts: published, gpus: config.dockerGpus, labels },
      image: images.imageFor(spec),
      dependsOn: startsAfter(spec).map((name) => containers.get(name)!),
    });
    containers.set(spec.name, workload.container);
  }

  const { urls, endpoints } = publishedEndpoints(config);
  return {
    network: network.name,
    containers: [...containers.values()].map((c) => c.name),
    urls,
    endpoints,
    grafanaAdminUser: "admin",
    grafanaAdminPassword: pulumi.secret(secrets.grafanaAdminPassword),
    elasticUser: "elastic",
    elasticPassword: pulumi.secret(secrets.elasticPassword),
    /** Trust this CA to reach Elasticsearch over TLS (curl --cacert). */
    elasticCaCertificate: tls.caCertPem,
  };
}
