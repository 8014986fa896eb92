import { readFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import path from "node:path";
import type { IJob } from "kubernetes-models/batch/v1/Job";
import type { IPod } from "kubernetes-models/v1/Pod";

/**
 * The five Kubernetes API calls the solver makes, over `node:https` with the cluster's CA
 * (`@kubernetes/client-node` is ESM-only; this service is CommonJS). Scoped to one namespace,
 * as the solver's Role is.
 */
export interface KubernetesApiOptions {
  /** `https://<host>:<port>` (plain `http://` only for tests). */
  baseUrl: string;
  namespace: string;
  /** The bearer token, read on every request: projected service-account tokens are rotated by the kubelet. */
  token: () => string;
  /** PEM of the CA that signed the API server's certificate. @default Node's trust store */
  ca?: string;
  /** @default 30000 */
  timeoutMs?: number;
}

/** Where the kubelet mounts a pod's service-account credentials. */
export const SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

/**
 * The API server as seen from inside a pod: `KUBERNETES_SERVICE_HOST`/`_PORT` and the mounted
 * token, CA and namespace. Throws naming what is missing (no token mounted: the pod's
 * `automountServiceAccountToken` is false).
 */
export function inClusterOptions(env: NodeJS.ProcessEnv = process.env, dir = SERVICE_ACCOUNT_DIR): KubernetesApiOptions {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT ?? "443";
  if (!host) throw new Error("KUBERNETES_SERVICE_HOST is not set: not running in a Kubernetes pod");
  const read = (file: string) => {
    try {
      return readFileSync(path.join(dir, file), "utf8");
    } catch {
      throw new Error(`no service-account ${file} at ${path.join(dir, file)} (is automountServiceAccountToken false for this pod?)`);
    }
  };
  read("token");
  const ca = read("ca.crt");
  const namespace = read("namespace").trim();
  return { baseUrl: `https://${host.includes(":") ? `[${host}]` : host}:${port}`, namespace, ca, token: () => read("token").trim() };
}

/** A non-2xx answer of the API server, with its `Status` reason (`NotFound`, `AlreadyExists`, `Forbidden`...). */
export class KubernetesApiError extends Error {
  override name = "KubernetesApiError";
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

export interface PodLogOptions {
  container: string;
  /** Prefix each line with its RFC 3339 timestamp (how {@link LogFollower} deduplicates polls). */
  timestamps?: boolean;
  /** Only lines at or after this time (RFC 3339). */
  sinceTime?: string;
  /** At most this many bytes of log. */
  limitBytes?: number;
}

export class KubernetesApi {
  readonly namespace: string;

  constructor(private readonly options: KubernetesApiOptions) {
    this.namespace = options.namespace;
  }

  createJob(job: IJob): Promise<IJob> {
    return this.json("POST", `/apis/batch/v1/namespaces/${this.ns()}/jobs`, job) as Promise<IJob>;
  }

  /** Jobs matching a label selector (at most `limit`): the readiness check's proof that the Role works. */
  async listJobs(labelSelector: string, limit: number): Promise<IJob[]> {
    const query = new URLSearchParams({ labelSelector, limit: String(limit) });
    const list = (await this.json("GET", `/apis/batch/v1/namespaces/${this.ns()}/jobs?${query}`)) as { items?: IJob[] };
    return list.items ?? [];
  }

  /** The Job, or undefined when it does not exist (deleted, or removed after its TTL). */
  async readJob(name: string): Promise<IJob | undefined> {
    return (await this.orUndefined(this.json("GET", `/apis/batch/v1/namespaces/${this.ns()}/jobs/${encodeURIComponent(name)}`))) as IJob | undefined;
  }

  /** Deletes the Job and, in the background, its pods. False when it was already gone. */
  async deleteJob(name: string): Promise<boolean> {
    const body = { apiVersion: "v1", kind: "DeleteOptions", propagationPolicy: "Background" };
    const deleted = await this.orUndefined(this.json("DELETE", `/apis/batch/v1/namespaces/${this.ns()}/jobs/${encodeURIComponent(name)}`, body));
    return deleted !== undefined;
  }

  /** The Job's pods (label `batch.kubernetes.io/job-name`), oldest first. */
  async listJobPods(jobName: string): Promise<IPod[]> {
    const selector = encodeURIComponent(`batch.kubernetes.io/job-name=${jobName}`);
    const list = (await this.json("GET", `/api/v1/namespaces/${this.ns()}/pods?labelSelector=${selector}`)) as { items?: IPod[] };
    return [...(list.items ?? [])].sort((a, b) => String(a.metadata?.creationTimestamp ?? "").localeCompare(String(b.metadata?.creationTimestamp ?? "")));
  }

  /** A pod, or undefined when it does not exist. */
  async readPod(name: string): Promise<IPod | undefined> {
    return (await this.orUndefined(this.json("GET", `/api/v1/namespaces/${this.ns()}/pods/${encodeURIComponent(name)}`))) as IPod | undefined;
  }

  /** A container's log as text. */
  async readPodLog(pod: string, options: PodLogOptions): Promise<string> {
    const query = new URLSearchParams({ container: options.container });
    if (options.timestamps) query.set("timestamps", "true");
    if (options.sinceTime) query.set("sinceTime", options.sinceTime);
    if (options.limitBytes) query.set("limitBytes", String(options.limitBytes));
    const { body } = await this.request("GET", `/api/v1/namespaces/${this.ns()}/pods/${encodeURIComponent(pod)}/log?${query}`);
    return body;
  }

  private ns(): string {
    return encodeURIComponent(this.namespace);
  }

  private async orUndefined(call: Promise<unknown>): Promise<unknown> {
    try {
      return await call;
    } catch (error) {
      if (error instanceof KubernetesApiError && error.status === 404) return undefined;
      throw error;
    }
  }

  private async json(method: string, pathAndQuery: string, body?: unknown): Promise<unknown> {
    const response = await this.request(method, pathAndQuery, body);
    return JSON.parse(response.body);
  }

  private request(method: string, pathAndQuery: string, body?: unknown): Promise<{ status: number; body: string }> {
    const url = new URL(pathAndQuery, this.options.baseUrl);
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const transport = url.protocol === "https:" ? https : http;
    return new Promise((resolve, reject) => {
      const req = transport.request(
        url,
        {
          method,
          ca: this.options.ca,
          timeout: this.options.timeoutMs ?? 30_000,
          headers: {
            authorization: `Bearer ${this.options.token()}`,
            accept: "application/json, */*",
            ...(payload ? { "content-type": "application/json", "content-length": payload.length } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("error", reject);
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) return resolve({ status, body: text });
            reject(apiError(method, url.pathname, status, text));
          });
        },
      );
      req.on("timeout", () => req.destroy(new Error(`${method} ${url.pathname}: no answer from the Kubernetes API within ${this.options.timeoutMs ?? 30_000} ms`)));
      req.on("error", reject);
      req.end(payload);
    });
  }
}

function apiError(method: string, pathname: string, status: number, text: string): KubernetesApiError {
  let reason = "Unknown";
  let message = text.slice(0, 500);
  try {
    const parsed = JSON.parse(text) as { reason?: string; message?: string };
    reason = parsed.reason ?? reason;
    message = parsed.message ?? message;
  } catch {
    // Not a Status object (a proxy's error page): keep the text.
  }
  return new KubernetesApiError(status, reason, `${method} ${pathname}: ${status} ${reason}: ${message}`);
}
