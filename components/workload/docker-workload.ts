import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { renderDocker, type DockerTarget } from "./docker";
import type { WorkloadSpec } from "./spec";

export interface DockerWorkloadArgs {
  spec: WorkloadSpec;
  target: DockerTarget;
  /** The image to run (from `DockerImages`). */
  image: pulumi.Input<string>;
  /** Containers that must be healthy (or, for jobs, finished) before this one is created. @default [] */
  dependsOn?: pulumi.Resource[];
}

/** One workload on the Docker host: its volumes and its container, as rendered. */
export class DockerWorkload extends pulumi.ComponentResource {
  readonly container: docker.Container;

  constructor(name: string, args: DockerWorkloadArgs, opts?: pulumi.ComponentResourceOptions) {
    super("abode:workload:DockerWorkload", name, {}, opts);
    const plan = renderDocker(args.spec, args.target);
    const labels = [{ label: "app.kubernetes.io/part-of", value: "abode" }, { label: "app.kubernetes.io/name", value: args.spec.name }];
    const volumes = plan.volumes.map((volumeName) => new docker.Volume(volumeName, { name: volumeName, labels }, { parent: this }));
    this.container = new docker.Container(
      name,
      { ...plan.container, image: args.image },
      { parent: this, dependsOn: [...volumes, ...(args.dependsOn ?? [])] },
    );
    this.registerOutputs({ container: this.container.name });
  }
}
