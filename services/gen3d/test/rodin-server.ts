/**
 * A local server following Rodin's documented API v2 (docs: developer.hyper3d.ai; summary in
 * shared/reference/DOMAIN.md): bearer auth, multipart POST /rodin, POST /status, POST /download
 * with links that carry their own expiry. Records every request; any route can be overridden
 * to fail.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";

export interface Part {
  name: string;
  value?: string;
  file?: { filename: string; type: string; bytes: Buffer };
}

export interface Recorded {
  path: string;
  authorization?: string;
  contentType?: string;
  json?: any;
  parts?: Part[];
}

type Override = (response: ServerResponse) => void;

export interface RodinServer {
  url: string;
  received: Recorded[];
  /** Job states each status poll walks through (the last one repeats). */
  script: { statuses: ("Waiting" | "Generating" | "Done" | "Failed")[][]; files: string[] };
  override(path: string, respond: Override | undefined): void;
  close(): Promise<void>;
}

async function parts(req: IncomingMessage, body: Buffer): Promise<Part[]> {
  // undici's multipart parser, the same one fetch uses.
  const form = await new Response(body, { headers: { "content-type": req.headers["content-type"] ?? "" } }).formData();
  const out: Part[] = [];
  for (const [name, value] of form.entries()) {
    if (typeof value === "string") out.push({ name, value });
    else out.push({ name, file: { filename: value.name, type: value.type, bytes: Buffer.from(await value.arrayBuffer()) } });
  }
  return out;
}

export async function startRodin(apiKey: string): Promise<RodinServer> {
  const received: Recorded[] = [];
  const overrides = new Map<string, Override>();
  const tasks = new Map<string, { key: string; jobs: string[]; polls: number }>();
  const script: RodinServer["script"] = { statuses: [["Waiting", "Waiting"], ["Generating", "Waiting"], ["Done", "Done"]], files: ["base_basic_pbr.glb", "texture_diffuse.png"] };
  let linkCounter = 0;

  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const path = (req.url ?? "").replace(/^\/api\/v2/, "");
    const contentType = req.headers["content-type"];
    const record: Recorded = { path, authorization: req.headers.authorization, contentType };
    if (contentType?.startsWith("multipart/form-data")) record.parts = await parts(req, body);
    else if (body.length > 0) record.json = JSON.parse(body.toString());
    received.push(record);
    const send = (status: number, payload: unknown) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(payload));

    if (req.headers.authorization !== `Bearer ${apiKey}`) return send(401, { error: "Unauthorized", message: "Invalid API key" });
    const override = overrides.get(path);
    if (override) return override(res);
    if (req.method !== "POST") return send(405, { error: "Method not allowed" });

    if (path === "/rodin") {
      if (!record.parts) return send(400, { error: "multipart/form-data required" });
      const uuid = randomUUID();
      const jobs = [randomUUID(), randomUUID()];
      const key = `sub-${randomUUID()}`;
      tasks.set(uuid, { key, jobs, polls: 0 });
      return send(201, { error: null, message: "Submitted.", uuid, jobs: { uuids: jobs, subscription_key: key } });
    }
    if (path === "/status") {
      const task = [...tasks.values()].find((t) => t.key === record.json?.subscription_key);
      if (!task) return send(404, { error: "subscription not found" });
      const states = script.statuses[Math.min(task.polls++, script.statuses.length - 1)]!;
      return send(201, { jobs: task.jobs.map((uuid, i) => ({ uuid, status: states[i] ?? states[0] })) });
    }
    if (path === "/download") {
      if (!tasks.has(record.json?.task_uuid)) return send(404, { error: "task not found" });
      const expires = Math.floor(Date.now() / 1000) + 600;
      return send(201, {
        list: script.files.map((name) => ({ name, url: `https://files.example.test/${record.json.task_uuid}/${name}?expires=${expires}&sig=${++linkCounter}` })),
      });
    }
    send(404, { error: "not found" });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/api/v2`,
    received,
    script,
    override: (path, respond) => void (respond ? overrides.set(path, respond) : overrides.delete(path)),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
