import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { imageReference } from "./kubernetes";
import type { WorkloadSpec } from "./spec";

export interface DockerImagesArgs {
  specs: WorkloadSpec[];
}

/**
 * Every image the workloads run, one resource per distinct image (a job runs from its
 * server's image, which is pulled once): third-party images pulled at their exact tag, ours
 * built from their Dockerfile.
 */
export class DockerImages extends pulumi.ComponentResource {
  private readonly byReference = new Map<string, pulumi.Output<string>>();

  constructor(name: string, args: DockerImagesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("abode:workload:DockerImages", name, {}, opts);
    for (const spec of args.specs) {
      const reference = imageReference(spec);
      if (!this.byReference.has(reference)) this.byReference.set(reference, this.declare(spec, reference));
    }
    this.registerOutputs({ images: [...this.byReference.keys()] });
  }

  /** What a container of this workload runs: an image id, or the digest of our built image. */
  imageFor(spec: WorkloadSpec): pulumi.Output<string> {
    const image = this.byReference.get(imageReference(spec));
    if (!image) throw new Error(`no image declared for workload ${spec.name} (${imageReference(spec)})`);
    return image;
  }

  private declare(spec: WorkloadSpec, reference: string): pulumi.Output<string> {
    const name = reference.replace(/[^a-zA-Z0-9.-]+/g, "-");
    if (spec.image.kind === "pinned") {
      return new docker.RemoteImage(name, { name: reference, keepLocally: true }, { parent: this }).imageId;
    }
    const built = new docker.Image(
      name,
      {
        imageName: reference,
        build: { context: spec.image.context, dockerfile: spec.image.dockerfile, platform: "linux/amd64", target: spec.image.target, args: spec.image.args },
        skipPush: true,
      },
      { parent: this },
    );
    // The digest changes with every rebuild, so containers are replaced when the code changes.
    return pulumi.all([built.repoDigest, built.imageName]).apply(([digest, imageName]) => digest || imageName);
  }
}
