import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

/** A third-party chart pinned by repository, name and exact published version. */
export interface ChartRef {
  /** HTTPS Helm repository URL. */
  repository: string;
  chart: string;
  /** Exact semver; never a range. */
  version: string;
}

const EXACT_SEMVER = /^\d+\.\d+\.\d+$/;

/** True when `version` is an exact release (`1.2.3`), not a range, tag or pre-release. */
export function isExactVersion(version: string): boolean {
  return EXACT_SEMVER.test(version);
}

/** Every problem with a chart reference (empty when it is pinned and fetched over HTTPS). */
export function chartProblems(chart: ChartRef): string[] {
  const problems: string[] = [];
  if (!isExactVersion(chart.version)) problems.push(`version "${chart.version}" is not an exact x.y.z release`);
  if (!/^https:\/\/[^\s]+$/.test(chart.repository)) problems.push(`repository "${chart.repository}" is not an https URL`);
  if (!/^[a-z0-9][a-z0-9-]*$/.test(chart.chart)) problems.push(`chart name "${chart.chart}" is not a chart name`);
  return problems;
}

export interface HelmReleaseArgs {
  chart: ChartRef;
  namespace: string;
  values: pulumi.Input<Record<string, unknown>>;
  /** Helm release name. @default the component's name */
  releaseName?: string;
  /** @default true */
  createNamespace?: boolean;
  /** Seconds Helm waits for the release to become ready before rolling back. @default 600 */
  timeout?: number;
  /** Release revisions Helm keeps. @default 5 */
  maxHistory?: number;
}

/**
 * One Helm release of a pinned chart: atomic (a failed install or upgrade rolls back),
 * cleaned up on failure, bounded history. The provider comes from the parent's `providers`.
 */
export class HelmRelease extends pulumi.ComponentResource {
  public readonly release: k8s.helm.v3.Release;
  public readonly status: pulumi.Output<k8s.types.output.helm.v3.ReleaseStatus>;

  constructor(name: string, args: HelmReleaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super("abode:charts:HelmRelease", name, {}, opts);
    const problems = chartProblems(args.chart);
    if (problems.length > 0) throw new pulumi.ResourceError(`chart ${args.chart.chart}: ${problems.join("; ")}`, this);
    this.release = new k8s.helm.v3.Release(
      name,
      {
        name: args.releaseName ?? name,
        chart: args.chart.chart,
        version: args.chart.version,
        repositoryOpts: { repo: args.chart.repository },
        namespace: args.namespace,
        createNamespace: args.createNamespace ?? true,
        values: args.values,
        atomic: true,
        cleanupOnFail: true,
        timeout: args.timeout ?? 600,
        maxHistory: args.maxHistory ?? 5,
      },
      { parent: this },
    );
    this.status = this.release.status;
    this.registerOutputs({ status: this.status });
  }
}
