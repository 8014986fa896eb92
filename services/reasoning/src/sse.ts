/**
 * Server-sent events as the route's reply body. The kit's handlers return a value that fastify
 * sends; returning this stream (instead of hijacking the socket) keeps the kit's request log,
 * metrics and span, which are written when the stream ends.
 */
import { PassThrough } from "node:stream";
import type { FastifyInstance } from "fastify";

const HEARTBEAT_MS = 15_000;

export class EventStream extends PassThrough {
  private readonly heartbeat: NodeJS.Timeout;

  constructor() {
    super();
    // A comment line now and then keeps proxies from closing a quiet stream (a long tool call).
    this.heartbeat = setInterval(() => this.write(": keep-alive\n\n"), HEARTBEAT_MS);
    this.heartbeat.unref();
    this.once("close", () => clearInterval(this.heartbeat));
  }

  send(event: string, data: unknown): void {
    if (this.writableEnded || this.destroyed) return;
    // JSON.stringify escapes newlines, so the data is always one `data:` line.
    this.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  finish(): void {
    clearInterval(this.heartbeat);
    this.end();
  }
}

/** Sets the event-stream headers on any reply whose body is an EventStream. */
export function registerEventStreamHeaders(app: FastifyInstance): void {
  app.addHook("onSend", (_request, reply, payload, done) => {
    if (payload instanceof EventStream) {
      reply.header("content-type", "text/event-stream; charset=utf-8");
      reply.header("cache-control", "no-cache");
      // nginx-style proxies buffer responses unless told not to.
      reply.header("x-accel-buffering", "no");
    }
    done(null, payload);
  });
}

export function wantsEventStream(accept: string | undefined, stream: "true" | "false" | undefined): boolean {
  if (stream !== undefined) return stream === "true";
  return (accept ?? "").split(",").some((type) => type.split(";")[0]!.trim().toLowerCase() === "text/event-stream");
}
