/**
 * A real HTTP(S) server speaking the slice of the Kubernetes API the solver uses, for one
 * namespace: Jobs (create, get, list, delete), the Job's pods (list by the
 * `batch.kubernetes.io/job-name` label), pods by name, and pods' logs (`timestamps`, `sinceTime` at second
 * precision, `limitBytes`, 400 while the container is waiting). It checks the bearer token,
 * answers Status objects like the API server, and records every request. What a kubelet and
 * the Job controller would do (start a pod, write its log, set the Job's conditions) the test
 * does through the helpers.
 */
import { randomUUID } from "node:crypto";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import type { IJob } from "kubernetes-models/batch/v1/Job";
import type { IPod } from "kubernetes-models/v1/Pod";

export interface RecordedKubeRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  authorization?: string;
  body?: any;
}

interface FakePod {
  pod: IPod;
  /** `<RFC 3339 nanos> <line>` */
  lines: string[];
}

export interface FakeKubernetes {
  url: string;
  namespace: string;
  /** The token requests must carry (change it to test rotation). */
  token: string;
  requests: RecordedKubeRequest[];
  jobs: Map<string, IJob>;
  pods: Map<string, FakePod>;
  /** Called after a Job was created (the test plays the Job controller and kubelet). */
  onJobCreated?: (job: IJob) => void;
  /** Called after a Job was deleted. */
  onJobDeleted?: (job: IJob) => void;
  /** The next `count` requests get a 500 (an API server outage). */
  failNext(count: number): void;
  /** A pod of the Job, Pending until `runPod`. */
  addPod(jobName: string): string;
  runPod(podName: string): void;
  log(podName: string, line: string): void;
  /** Sets a terminal condition, as the Job controller does. */
  finishJob(name: string, type: "Complete" | "Failed", reason?: string, message?: string): void;
  close(): Promise<void>;
}

export async function startFakeKubernetes(options: { namespace: string; token: string; tls?: { key: string; cert: string } }): Promise<FakeKubernetes> {
  let failures = 0;
  let podCounter = 0;
  let clock = 0;
  const timestamp = () => {
    // Nanosecond timestamps as the kubelet writes them, strictly increasing within a millisecond.
    const iso = new Date().toISOString();
    return `${iso.slice(0, 23)}${String(++clock % 1_000_000).padStart(6, "0")}Z`;
  };
  const fake: FakeKubernetes = {
    url: "",
    namespace: options.namespace,
    token: options.token,
    requests: [],
    jobs: new Map(),
    pods: new Map(),
    failNext: (count) => {
      failures = count;
    },
    addPod(jobName) {
      const job = fake.jobs.get(jobName)!;
      const name = `${jobName}-${String(++podCounter).padStart(5, "0")}`;
      fake.pods.set(name, {
        lines: [],
        pod: {
          apiVersion: "v1",
          kind: "Pod",
          metadata: {
            name,
            namespace: options.namespace,
            creationTimestamp: new Date(Date.now() + podCounter).toISOString(),
            labels: { ...job.spec!.template.metadata!.labels, "batch.kubernetes.io/job-name": jobName, "batch.kubernetes.io/controller-uid": job.metadata!.uid! },
          },
          spec: job.spec!.template.spec!,
          status: {
            phase: "Pending",
            conditions: [{ type: "PodScheduled", status: "False", reason: "Unschedulable", message: "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector." }],
          },
        },
      });
      return name;
    },
    runPod(podName) {
      const entry = fake.pods.get(podName)!;
      entry.pod.spec = { ...entry.pod.spec!, nodeName: "ip-10-0-3-7.eu-west-1.compute.internal" };
      entry.pod.status = { phase: "Running", conditions: [{ type: "PodScheduled", status: "True" }], containerStatuses: [{ name: "case", ready: true, restartCount: 0, image: "x", imageID: "x", state: { running: {} } }] };
    },
    log(podName, line) {
      fake.pods.get(podName)!.lines.push(`${timestamp()} ${line}`);
    },
    finishJob(name, type, reason, message) {
      const job = fake.jobs.get(name)!;
      job.status = { ...job.status, conditions: [{ type, status: "True", reason, message }] };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };

  const status = (res: ServerResponse, code: number, reason: string, message: string) => {
    res.writeHead(code, { "content-type": "application/json" });
    res.end(JSON.stringify({ kind: "Status", apiVersion: "v1", status: "Failure", reason, message, code }));
  };
  const json = (res: ServerResponse, code: number, body: unknown) => {
    res.writeHead(code, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };
  const matches = (labels: Record<string, string> | undefined, selector: string | null) =>
    !selector || selector.split(",").every((term) => {
      const [k, v] = term.split("=");
      return labels?.[k!] === v;
    });

  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url!, "http://kube.local");
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString();
    fake.requests.push({
      method: req.method!,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      authorization: req.headers.authorization,
      body: text ? JSON.parse(text) : undefined,
    });
    if (req.headers.authorization !== `Bearer ${fake.token}`) return status(res, 401, "Unauthorized", "Unauthorized");
    if (failures > 0) {
      failures--;
      return status(res, 500, "InternalError", "etcdserver: request timed out");
    }
    const jobs = /^\/apis\/batch\/v1\/namespaces\/([^/]+)\/jobs(?:\/([^/]+))?$/.exec(url.pathname);
    const pods = /^\/api\/v1\/namespaces\/([^/]+)\/pods(?:\/([^/]+)(\/log)?)?$/.exec(url.pathname);
    const namespace = jobs?.[1] ?? pods?.[1];
    if (namespace && namespace !== options.namespace) {
      return status(res, 403, "Forbidden", `jobs.batch is forbidden: cannot access resources in the namespace "${namespace}"`);
    }
    if (jobs && !jobs[2] && req.method === "POST") {
      const job = JSON.parse(text) as IJob;
      const name = job.metadata!.name!;
      if (fake.jobs.has(name)) return status(res, 409, "AlreadyExists", `jobs.batch "${name}" already exists`);
      job.metadata = { ...job.metadata, uid: randomUUID(), creationTimestamp: new Date().toISOString() };
      job.status = {};
      fake.jobs.set(name, job);
      json(res, 201, job);
      fake.onJobCreated?.(job);
      return;
    }
    if (jobs && !jobs[2] && req.method === "GET") {
      const items = [...fake.jobs.values()].filter((j) => matches(j.metadata?.labels, url.searchParams.get("labelSelector")));
      return json(res, 200, { kind: "JobList", apiVersion: "batch/v1", items: items.slice(0, Number(url.searchParams.get("limit") ?? items.length)) });
    }
    if (jobs?.[2]) {
      const job = fake.jobs.get(decodeURIComponent(jobs[2]));
      if (!job) return status(res, 404, "NotFound", `jobs.batch "${jobs[2]}" not found`);
      if (req.method === "GET") return json(res, 200, job);
      if (req.method === "DELETE") {
        fake.jobs.delete(job.metadata!.name!);
        for (const [name, p] of fake.pods) if (p.pod.metadata?.labels?.["batch.kubernetes.io/job-name"] === job.metadata!.name) fake.pods.delete(name);
        json(res, 200, { ...job, metadata: { ...job.metadata, deletionTimestamp: new Date().toISOString() } });
        fake.onJobDeleted?.(job);
        return;
      }
    }
    if (pods && !pods[2] && req.method === "GET") {
      const items = [...fake.pods.values()].map((p) => p.pod).filter((p) => matches(p.metadata?.labels, url.searchParams.get("labelSelector")));
      return json(res, 200, { kind: "PodList", apiVersion: "v1", items });
    }
    if (pods?.[2] && req.method === "GET") {
      const entry = fake.pods.get(decodeURIComponent(pods[2]));
      if (!entry) return status(res, 404, "NotFound", `pods "${pods[2]}" not found`);
      if (!pods[3]) return json(res, 200, entry.pod);
      if (entry.pod.status?.phase === "Pending") return status(res, 400, "BadRequest", `container "case" in pod "${pods[2]}" is waiting to start: ContainerCreating`);
      const since = url.searchParams.get("sinceTime");
      let lines = entry.lines.filter((l) => !since || l.slice(0, 19) >= since.slice(0, 19));
      if (url.searchParams.get("timestamps") !== "true") lines = lines.map((l) => l.slice(l.indexOf(" ") + 1));
      let body = lines.map((l) => `${l}\n`).join("");
      const limit = Number(url.searchParams.get("limitBytes") ?? 0);
      if (limit > 0) body = body.slice(0, limit);
      res.writeHead(200, { "content-type": "text/plain" });
      return res.end(body);
    }
    return status(res, 404, "NotFound", "the server could not find the requested resource");
  };

  const server = options.tls ? https.createServer({ key: options.tls.key, cert: options.tls.cert }, handler) : http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  fake.url = `${options.tls ? "https" : "http"}://127.0.0.1:${port}`;
  return fake;
}
