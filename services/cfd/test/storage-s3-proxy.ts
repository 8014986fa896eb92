/**
 * A real HTTP server in front of the local S3 server (test/storage-s3-server.ts) that can play
 * an outage (every request answered 500 InternalError while `down`), a slow bucket, or a bucket whose caller
 * may not list a missing key (a 404 NoSuchKey turned into 403 AccessDenied, as S3 does then).
 */
import { createServer, request, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

export interface S3Proxy {
  url: string;
  down: boolean;
  /** Added to every answer: a slow bucket. */
  delayMs: number;
  close(): Promise<void>;
}

export async function startS3Proxy(target: string, options: { missingAs403?: boolean } = {}): Promise<S3Proxy> {
  const upstream = new URL(target);
  const proxy: S3Proxy = { url: "", down: false, delayMs: 0, close: async () => undefined };
  const server = createServer(async (req, res) => {
    const body = await readAll(req);
    if (proxy.delayMs > 0) await new Promise((r) => setTimeout(r, proxy.delayMs));
    const xmlError = (status: number, code: string) => {
      res.writeHead(status, { "content-type": "application/xml" });
      res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${code}</Message></Error>`);
    };
    if (proxy.down) return xmlError(500, "InternalError");
    const forwarded = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, async (answer) => {
      const bytes = await readAll(answer);
      if (options.missingAs403 && answer.statusCode === 404 && bytes.toString().includes("<Code>NoSuchKey</Code>")) return xmlError(403, "AccessDenied");
      res.writeHead(answer.statusCode!, answer.headers);
      res.end(bytes);
    });
    forwarded.on("error", () => xmlError(502, "BadGateway"));
    forwarded.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return proxy;
}

async function readAll(stream: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
