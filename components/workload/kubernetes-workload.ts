import { createHash } from "node:crypto";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { podTemplateOf, renderKubernetes, type KubernetesTarget } from "./kubernetes";
import { workloadNetworkPolicy, type WorkloadNetworkOptions } from "./network-policy";
import type { WorkloadSpec } from "./spec";

export interface KubernetesWorkloadArgs {
  spec: WorkloadSpec;
  /** Where and how it runs. `secretChecksum` is computed here (see {@link inputsChecksum}). */
  target: Omit<KubernetesTarget, "secretChecksum" | "serviceAccountRoleArn">;
  /** The image to run (e.g. the ECR repository URL with the build tag). @default the spec's own image reference */
  image?: pulumi.Input<string>;
  /** IAM role the ServiceAccount assumes through IRSA. @default none */
  serviceAccountRoleArn?: pulumi.Input<string>;
  /** The workload's NetworkPolicy peers (its namespace is the target's). Required: nothing runs without its policy. */
  network: Omit<WorkloadNetworkOptions, "namespace">;
  /** Resources every child waits for (the namespace, the CRDs, the workloads it depends on). @default [] */
  dependsOn?: pulumi.Input<pulumi.Resource>[];
  /** Protect a StatefulSet (its volume claims hold data) against deletion and replacement. @default true */
  protectState?: boolean;
}

/**
 * sha256 over the values of a spec the pure renderer cannot hash: secret environment values,
 * secret files, and config files whose content is a `pulumi.Output`. Undefined when there are
 * none. The result is deliberately *not* secret: it is a digest of high-entropy generated
 * values and keys, and keeping it plain keeps the Deployment's pod template readable in
 * previews. Resolved with `pulumi.all(...).apply`, so it is unknown during a preview that
 * creates those values.
 */
export function inputsChecksum(spec: WorkloadSpec): pulumi.Output<string> | undefined {
  const entries: [string, pulumi.Input<string>][] = [
    ...Object.keys(spec.env)
      .sort()
      .filter((k) => typeof spec.env[k] !== "string")
      .map((k): [string, pulumi.Input<string>] => [`env:${k}`, spec.env[k]!]),
    ...[...spec.configFiles]
      .sort((a, b) => a.path.localeCompare(b.path))
      .filter((f) => f.secret || typeof f.content !== "string")
      .map((f): [string, pulumi.Input<string>] => [`file:${f.path}`, f.content]),
  ];
  if (entries.length === 0) return undefined;
  const digest = pulumi
    .all(entries.map(([, value]) => value))
    .apply((values) => createHash("sha256").update(JSON.stringify(entries.map(([key], i) => [key, values[i]]))).digest("hex"));
  return pulumi.unsecret(digest);
}

/**
 * One workload on the prod cluster: everything `renderKubernetes` returns plus its
 * NetworkPolicy, registered as @pulumi/kubernetes resources. Decisions stay in the renderers;
 * this only registers, substitutes the image and the secret checksum (both Inputs), and sets
 * resource options: a StatefulSet is protected and retained on delete, replicas are left to
 * the autoscaler after creation, a Job is deleted before it is replaced.
 */
export class KubernetesWorkload extends pulumi.ComponentResource {
  readonly serviceAccount: k8s.core.v1.ServiceAccount;
  readonly workload: k8s.apps.v1.Deployment | k8s.apps.v1.StatefulSet | k8s.batch.v1.Job;
  readonly service?: k8s.core.v1.Service;
  readonly networkPolicy: k8s.networking.v1.NetworkPolicy;

  constructor(name: string, args: KubernetesWorkloadArgs, opts?: pulumi.ComponentResourceOptions) {
    super("abode:workload:KubernetesWorkload", name, {}, opts);
    const { spec, target } = args;
    const objects = renderKubernetes(spec, target);
    const after = args.dependsOn ?? [];
    const child = (extra: pulumi.CustomResourceOptions = {}): pulumi.CustomResourceOptions => ({
      parent: this,
      ...extra,
      dependsOn: [...after, ...((extra.dependsOn as pulumi.Input<pulumi.Resource>[] | undefined) ?? [])],
    });

    this.serviceAccount = new k8s.core.v1.ServiceAccount(
      name,
      {
        ...objects.serviceAccount,
        metadata: args.serviceAccountRoleArn
          ? { ...objects.serviceAccount.metadata, annotations: { "eks.amazonaws.com/role-arn": args.serviceAccountRoleArn } }
          : objects.serviceAccount.metadata,
      } as k8s.core.v1.ServiceAccountArgs,
      child(),
    );

    const inputs: pulumi.Resource[] = [this.serviceAccount];
    if (objects.configMap) {
      inputs.push(new k8s.core.v1.ConfigMap(`${name}-config`, objects.configMap as k8s.core.v1.ConfigMapArgs, child()));
    }
    if (objects.secret) {
      inputs.push(
        new k8s.core.v1.Secret(`${name}-secrets`, { ...objects.secret, stringData: pulumi.secret(objects.secret.stringData) }, child()),
      );
    }

    // The pod template: the rendered one, with the image and the checksum annotation as Inputs.
    const rendered = podTemplateOf(objects);
    const checksum = inputsChecksum(spec);
    const annotations = checksum
      ? checksum.apply((c) => podTemplateOf(renderKubernetes(spec, { ...target, secretChecksum: c })).metadata!.annotations!)
      : rendered.metadata!.annotations!;
    const [container, ...sidecars] = rendered.spec!.containers;
    const template = {
      metadata: { ...rendered.metadata, annotations },
      spec: { ...rendered.spec, containers: [{ ...container, image: args.image ?? container!.image }, ...sidecars] },
    };
    // After creation the autoscaler owns the replica count; an update must not reset it.
    const scaled = objects.horizontalPodAutoscaler ? { ignoreChanges: ["spec.replicas"] } : {};
    const protect = args.protectState ?? true;

    if (objects.deployment) {
      this.workload = new k8s.apps.v1.Deployment(
        name,
        { ...objects.deployment, spec: { ...objects.deployment.spec!, template } } as k8s.apps.v1.DeploymentArgs,
        child({ ...scaled, dependsOn: inputs }),
      );
    } else if (objects.statefulSet) {
      this.workload = new k8s.apps.v1.StatefulSet(
        name,
        { ...objects.statefulSet, spec: { ...objects.statefulSet.spec!, template } } as k8s.apps.v1.StatefulSetArgs,
        child({ ...scaled, dependsOn: inputs, protect, retainOnDelete: protect }),
      );
    } else {
      this.workload = new k8s.batch.v1.Job(
        name,
        { ...objects.job!, spec: { ...objects.job!.spec!, template } } as k8s.batch.v1.JobArgs,
        // A Job's pod template is immutable: a changed Job is a new run, and it keeps its name.
        child({ dependsOn: inputs, deleteBeforeReplace: true }),
      );
    }

    if (objects.service) this.service = new k8s.core.v1.Service(name, objects.service as k8s.core.v1.ServiceArgs, child());
    if (objects.headlessService) {
      new k8s.core.v1.Service(`${name}-headless`, objects.headlessService as k8s.core.v1.ServiceArgs, child());
    }
    if (objects.horizontalPodAutoscaler) {
      new k8s.autoscaling.v2.HorizontalPodAutoscaler(
        name,
        objects.horizontalPodAutoscaler as k8s.autoscaling.v2.HorizontalPodAutoscalerArgs,
        child({ dependsOn: [this.workload] }),
      );
    }
    if (objects.podDisruptionBudget) {
      new k8s.policy.v1.PodDisruptionBudget(name, objects.podDisruptionBudget as k8s.policy.v1.PodDisruptionBudgetArgs, child());
    }
    if (objects.serviceMonitor) {
      new k8s.apiextensions.CustomResource(name, objects.serviceMonitor, child({ dependsOn: this.service ? [this.service] : [] }));
    }
    this.networkPolicy = new k8s.networking.v1.NetworkPolicy(
      name,
      workloadNetworkPolicy(spec, { labels: target.labels, ...args.network, namespace: target.namespace }) as k8s.networking.v1.NetworkPolicyArgs,
      child(),
    );

    this.registerOutputs({
      serviceAccount: this.serviceAccount.metadata.name,
      workload: this.workload.metadata.name,
      service: this.service?.metadata.name,
    });
  }
}
