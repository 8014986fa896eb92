/**
 * Entry point of a web-ifc worker thread: initialises the wasm, says so, then runs one job
 * per message. web-ifc is synchronous; running it here keeps the HTTP thread (health, metrics,
 * uploads) responsive while a large file is parsed.
 */
import { parentPort } from "node:worker_threads";
import { IfcEngine } from "./engine";
import { runJob, type Job, type JobReply } from "./jobs";

export type WorkerMessage = { kind: "ready" } | { kind: "init-failed"; message: string } | { kind: "reply"; reply: JobReply };

const port = parentPort;
if (!port) throw new Error("worker.ts runs as a worker thread");

IfcEngine.create().then(
  (engine) => {
    port.on("message", (job: Job) => {
      const reply = runJob(engine, job);
      const transfer = reply.ok && reply.result.op === "geometry" && reply.result.glb ? [reply.result.glb.buffer as ArrayBuffer] : [];
      port.postMessage({ kind: "reply", reply } satisfies WorkerMessage, transfer);
    });
    port.postMessage({ kind: "ready" } satisfies WorkerMessage);
  },
  (error: unknown) => port.postMessage({ kind: "init-failed", message: error instanceof Error ? error.message : String(error) } satisfies WorkerMessage),
);
