/**
 * A real HTTP server speaking the few S3 calls the CFD services use, path-style
 * (`/<bucket>/<key>`): PutObject, GetObject, ListObjectsV2 (paginated). It keeps objects in
 * memory and records every request. Requests without a SigV4 Authorization header for the
 * expected access key are refused with 403, as S3 would.
 */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

export const TEST_CREDENTIALS = { accessKeyId: "AKIATESTCFD", secretAccessKey: "test-secret-key" };

export interface RecordedS3Request {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingMessage["headers"];
}

export interface FakeS3 {
  url: string;
  bucket: string;
  objects: Map<string, Buffer>;
  requests: RecordedS3Request[];
  close(): Promise<void>;
}

export async function startFakeS3(options: { bucket: string; pageSize?: number }): Promise<FakeS3> {
  const objects = new Map<string, Buffer>();
  const requests: RecordedS3Request[] = [];
  const pageSize = options.pageSize ?? 1000;
  const server = createServer(async (req, res) => {
    const url = new URL(req.url!, "http://s3.local");
    const body = await readBody(req);
    requests.push({ method: req.method!, path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers });
    const xml = (status: number, text: string) => {
      res.writeHead(status, { "content-type": "application/xml" });
      res.end(`<?xml version="1.0" encoding="UTF-8"?>\n${text}`);
    };
    const error = (status: number, code: string) => xml(status, `<Error><Code>${code}</Code><Message>${code}</Message></Error>`);
    if (!String(req.headers.authorization ?? "").startsWith(`AWS4-HMAC-SHA256 Credential=${TEST_CREDENTIALS.accessKeyId}/`)) return error(403, "AccessDenied");
    const [, bucket, ...rest] = url.pathname.split("/");
    if (bucket !== options.bucket) return error(404, "NoSuchBucket");
    const key = rest.map(decodeURIComponent).join("/");

    if (req.method === "PUT" && key) {
      const chunked = String(req.headers["content-encoding"] ?? "").includes("aws-chunked");
      objects.set(key, chunked ? decodeAwsChunked(body) : body);
      res.writeHead(200, { etag: `"${objects.get(key)!.length}"` });
      return res.end();
    }
    if (req.method === "GET" && key) {
      const object = objects.get(key);
      if (!object) return error(404, "NoSuchKey");
      res.writeHead(200, { "content-type": "application/octet-stream", "content-length": object.length });
      return res.end(object);
    }
    if (req.method === "GET" && url.searchParams.get("list-type") === "2") {
      const prefix = url.searchParams.get("prefix") ?? "";
      const all = [...objects.keys()].filter((k) => k.startsWith(prefix)).sort();
      const start = Number(url.searchParams.get("continuation-token") ?? "0");
      const size = Math.min(pageSize, Number(url.searchParams.get("max-keys") ?? pageSize));
      const page = all.slice(start, start + size);
      const truncated = start + page.length < all.length;
      const contents = page
        .map((k) => `<Contents><Key>${escapeXml(k)}</Key><Size>${objects.get(k)!.length}</Size><LastModified>2025-01-01T00:00:00.000Z</LastModified><StorageClass>STANDARD</StorageClass></Contents>`)
        .join("");
      return xml(
        200,
        `<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${bucket}</Name><Prefix>${escapeXml(prefix)}</Prefix>` +
          `<KeyCount>${page.length}</KeyCount><MaxKeys>${size}</MaxKeys><IsTruncated>${truncated}</IsTruncated>${contents}` +
          `${truncated ? `<NextContinuationToken>${start + page.length}</NextContinuationToken>` : ""}</ListBucketResult>`,
      );
    }
    return error(405, "MethodNotAllowed");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    bucket: options.bucket,
    objects,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** `aws-chunked` bodies (streaming uploads with trailing checksums): `<hex size>[;ext]\r\n<data>\r\n`… until size 0. */
function decodeAwsChunked(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = body.indexOf("\r\n", at);
    const size = parseInt(body.subarray(at, eol).toString().split(";")[0]!, 16);
    if (!size) break;
    parts.push(body.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
