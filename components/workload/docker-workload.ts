import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { renderDocker, type DockerTarget } from "./docker";
import { imageReference } from "./kubernetes";
import type { WorkloadSpec } from "./spec";

export interface DockerWorkloadArgs {
  spec: WorkloadSpec;
  target: DockerTarget;
  /** Containers that must be healthy (or, for jobs, finished) before this one is created. @default [] */
  dependsOn?: pulumi.Resource[];
}

/** One workload on the Docker host: its image, its volumes and its container, as rendered. */
export class DockerWorkload extends pulumi.ComponentResource {
  readonly container: docker.Container;

  constructor(name: string, args: DockerWorkloadArgs, opts?: pulumi.ComponentResourceOptions) {
    super("abode:workload:DockerWorkload", name, {}, opts);
    const plan = renderDocker(args.spec, args.target);
    const labels = [{ label: "app.kubernetes.io/part-of", value: "abode" }, { label: "app.kubernetes.io/name", value: args.spec.name }];
    const volumes = plan.volumes.map((volumeName) => new docker.Volume(volumeName, { name: volumeName, labels }, { parent: this }));
    this.container = new docker.Container(
      name,
      { ...plan.container, image: this.image(name, args.spec) },
      { parent: this, dependsOn: [...volumes, ...(args.dependsOn ?? [])] },
    );
    this.registerOutputs({ container: this.container.name });
  }

  /** Pins third-party images by pulling the exact tag; builds ours from their Dockerfile. */
  private image(name: string, spec: WorkloadSpec): pulumi.Input<string> {
    const image = spec.image;
    if (image.kind === "pinned") {
      return new docker.RemoteImage(`${name}-image`, { name: imageReference(spec), keepLocally: true }, { parent: this }).imageId;
    }
    const built = new docker.Image(
      `${name}-image`,
      {
        imageName: imageReference(spec),
        build: { context: image.context, dockerfile: image.dockerfile, platform: "linux/amd64" },
        skipPush: true,
      },
      { parent: this },
    );
    // The digest changes with every rebuild, so the container is replaced when the code changes.
    return pulumi.all([built.repoDigest, built.imageName]).apply(([digest, imageName]) => digest || imageName);
  }
}
