import * as aws from "@pulumi/aws";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";

/**
 * A lifecycle policy that keeps the newest `keep` images of a repository and drops untagged
 * layers-only leftovers after a day. With immutable tags a deployed image is never overwritten,
 * so `keep` bounds how far back a rollback can go.
 */
export function lifecyclePolicy(keep: number) {
  if (!Number.isInteger(keep) || keep < 1) throw new Error(`lifecyclePolicy: keep must be a positive integer (got ${keep})`);
  return {
    rules: [
      {
        rulePriority: 1,
        description: "Drop untagged images after a day",
        selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 1 },
        action: { type: "expire" },
      },
      {
        rulePriority: 2,
        description: `Keep the newest ${keep} images`,
        selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: keep },
        action: { type: "expire" },
      },
    ],
  };
}

/** ECR repository names: lowercase path segments. */
const REPOSITORY_SEGMENT = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

export interface ServiceRegistryArgs {
  /** One repository per service name (e.g. `ai-lighting`). */
  services: string[];
  /** The platform key; images are encrypted with it. */
  kmsKeyArn: pulumi.Input<string>;
  /** Repositories are named `<prefix>/<service>`. @default "abode" */
  prefix?: string;
  /** Images kept per repository. @default 30 */
  keepImages?: number;
  /** @default {} */
  tags?: Record<string, string>;
}

/**
 * One ECR repository per service: scanned on push, immutable tags (a tag always means the same
 * image, so what was reviewed is what runs), encrypted with the platform key, never force-deleted
 * with images inside, protected and retained.
 */
export class ServiceRegistry extends pulumi.ComponentResource {
  readonly repositories: Record<string, aws.ecr.Repository>;
  /** Repository URL per service. */
  readonly repositoryUrls: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: ServiceRegistryArgs, opts?: pulumi.ComponentResourceOptions) {
    super("abode:cluster:ServiceRegistry", name, {}, opts);
    const prefix = args.prefix ?? "abode";
    const keep = args.keepImages ?? 30;
    const duplicates = args.services.filter((s, i) => args.services.indexOf(s) !== i);
    if (duplicates.length > 0) throw new pulumi.ResourceError(`ServiceRegistry: services listed twice: ${duplicates.join(", ")}`, this);
    for (const segment of [prefix, ...args.services]) {
      if (!REPOSITORY_SEGMENT.test(segment)) throw new pulumi.ResourceError(`ServiceRegistry: "${segment}" is not a valid repository name segment`, this);
    }
    const policy = JSON.stringify(lifecyclePolicy(keep));
    this.repositories = {};
    for (const service of args.services) {
      const repository = new aws.ecr.Repository(
        `${name}-${service}`,
        {
          name: `${prefix}/${service}`,
          imageScanningConfiguration: { scanOnPush: true },
          imageTagMutability: "IMMUTABLE",
          encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: args.kmsKeyArn }],
          forceDelete: false,
          tags: { ...args.tags, "abode.io/service": service },
        },
        { parent: this, protect: true, retainOnDelete: true },
      );
      new aws.ecr.LifecyclePolicy(`${name}-${service}`, { repository: repository.name, policy }, { parent: this });
      this.repositories[service] = repository;
    }
    this.repositoryUrls = pulumi.all(Object.fromEntries(Object.entries(this.repositories).map(([s, r]) => [s, r.repositoryUrl])));
    this.registerOutputs({ repositoryUrls: this.repositoryUrls });
  }

  /** The repository of a service. */
  repositoryFor(service: string): aws.ecr.Repository {
    const repository = this.repositories[service];
    if (!repository) throw new Error(`no ECR repository for service ${service}`);
    return repository;
  }
}

export interface PushedImageArgs {
  /** The repository to push to (`ServiceRegistry.repositoryFor(service)`). */
  repository: aws.ecr.Repository;
  /** Build context, relative to the program's working directory (the repository root). */
  context: string;
  /** The Dockerfile, e.g. `services/ai-lighting/Dockerfile`. */
  dockerfile: string;
  /** The tag to push; immutable in ECR, so a new build needs a new tag. */
  tag: string;
  /** Build arguments. @default {} */
  args?: Record<string, string>;
  /** The Dockerfile stage to build. @default the last stage */
  target?: string;
}

/**
 * Builds a service's image for linux/amd64 (the nodes' architecture), pushes it to its ECR
 * repository with a short-lived token from `ecr:GetAuthorizationToken`, and returns the
 * reference to deploy: `<repo>@sha256:<digest>`, so pods run exactly the image pushed.
 */
export function pushedImage(name: string, args: PushedImageArgs, opts?: pulumi.CustomResourceOptions): pulumi.Output<string> {
  const token = aws.ecr.getAuthorizationTokenOutput({ registryId: args.repository.registryId }, { parent: opts?.parent });
  const imageName = pulumi.interpolate`${args.repository.repositoryUrl}:${args.tag}`;
  const image = new docker.Image(
    name,
    {
      imageName,
      build: { context: args.context, dockerfile: args.dockerfile, platform: "linux/amd64", args: args.args, target: args.target },
      registry: { server: token.proxyEndpoint, username: token.userName, password: pulumi.secret(token.password) },
      skipPush: false,
    },
    opts,
  );
  return pulumi.all([image.repoDigest, imageName]).apply(([digest, fallback]) => {
    if (digest) return digest;
    // Only under a preview that builds nothing: the immutable tag stands for the digest.
    return fallback;
  });
}

/** The Dockerfile that copies an upstream image unchanged (`FROM $SOURCE`). */
export const MIRROR_DOCKERFILE = "components/cluster/mirror/Dockerfile";

/**
 * A third-party image copied into its ECR repository: pulled at its pinned tag, pushed under the
 * same (immutable) tag, deployed by the pushed digest. Prod then runs only images from our own
 * immutable, scanned registry, and never depends on Docker Hub's availability or rate limits.
 */
export function mirroredImage(name: string, args: { repository: aws.ecr.Repository; source: { repository: string; tag: string } }, opts?: pulumi.CustomResourceOptions): pulumi.Output<string> {
  return pushedImage(
    name,
    {
      repository: args.repository,
      context: "components/cluster/mirror",
      dockerfile: MIRROR_DOCKERFILE,
      tag: args.source.tag,
      args: { SOURCE: `${args.source.repository}:${args.source.tag}` },
    },
    opts,
  );
}
