/**
 * Test support for the ELK tests: a throwaway CA and server certificate made with the real
 * `openssl`, an HTTPS server standing in for Elasticsearch or Kibana, and a way to run the
 * rendered shell scripts with a `curl` that records its argv (to prove secrets stay off it).
 * Not imported by any component.
 */
import { execFile, execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as https from "node:https";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";

export interface TestPki {
  dir: string;
  caCertPath: string;
  serverCertPath: string;
  serverKeyPath: string;
}

/** A CA and a `localhost`/127.0.0.1 server certificate it signed, valid for a day. */
export function makeTestPki(): TestPki {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "abode-elk-pki-"));
  const file = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];
  openssl("req", "-x509", ...ec, "-keyout", file("ca.key"), "-out", file("ca.crt"), "-days", "1", "-subj", "/CN=Abode test CA",
    "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
  openssl("req", ...ec, "-keyout", file("server.key"), "-out", file("server.csr"), "-subj", "/CN=localhost");
  fs.writeFileSync(file("server.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
  openssl("x509", "-req", "-in", file("server.csr"), "-CA", file("ca.crt"), "-CAkey", file("ca.key"), "-CAcreateserial",
    "-out", file("server.crt"), "-days", "1", "-extfile", file("server.ext"));
  return { dir, caCertPath: file("ca.crt"), serverCertPath: file("server.crt"), serverKeyPath: file("server.key") };
}

export interface RecordedRequest {
  method: string;
  url: string;
  authorization?: string;
  contentType?: string;
  body: string;
}

export type Responder = (request: RecordedRequest) => { status: number; body: unknown };

export interface FakeServer {
  url: string;
  port: number;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** An HTTPS server on 127.0.0.1 answering with `respond`, recording every request. */
export async function startFakeHttpsServer(pki: TestPki, respond: Responder): Promise<FakeServer> {
  const requests: RecordedRequest[] = [];
  const server = https.createServer({ cert: fs.readFileSync(pki.serverCertPath), key: fs.readFileSync(pki.serverKeyPath) }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const recorded: RecordedRequest = {
        method: req.method ?? "",
        url: req.url ?? "",
        authorization: req.headers.authorization,
        contentType: req.headers["content-type"],
        body: Buffer.concat(chunks).toString("utf8"),
      };
      requests.push(recorded);
      const { status, body } = respond(recorded);
      res.writeHead(status, { "content-type": "application/json" });
      res.end(typeof body === "string" ? body : JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://localhost:${port}`,
    port,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Decodes a Basic authorization header into `user:password`. */
export function basicCredentials(header: string | undefined): string | undefined {
  const match = /^Basic (.+)$/.exec(header ?? "");
  return match ? Buffer.from(match[1], "base64").toString("utf8") : undefined;
}

export interface ScriptRun {
  code: number;
  stdout: string;
  stderr: string;
  /** The argv of every `curl` the script started. */
  curlArgv: string[][];
}

/**
 * Runs a bash script (file or `-c` string) with only `env` (plus PATH), with a `curl` shim
 * first on PATH that records its argv and then execs the real curl. Asynchronous, so a fake
 * server in this process keeps answering.
 */
export async function runBash(args: string[], env: Record<string, string>): Promise<ScriptRun> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "abode-elk-run-"));
  const log = path.join(dir, "curl-argv.log");
  const realCurl = execFileSync("bash", ["-c", "command -v curl"]).toString().trim();
  fs.writeFileSync(
    path.join(dir, "curl"),
    `#!/usr/bin/env bash\n{ for a in "$@"; do printf '%s\\0' "$a"; done; printf '\\n\\0'; } >> ${JSON.stringify(log)}\nexec ${JSON.stringify(realCurl)} "$@"\n`,
    { mode: 0o755 },
  );
  const result = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile("bash", args, { env: { ...env, PATH: `${dir}:${process.env.PATH}` }, timeout: 25_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
  const raw = fs.existsSync(log) ? fs.readFileSync(log, "utf8") : "";
  fs.rmSync(dir, { recursive: true, force: true });
  const curlArgv = raw
    .split("\n\0")
    .filter((call) => call.length > 0)
    .map((call) => call.split("\0").filter((a, i, all) => i < all.length - 1 || a.length > 0));
  return { ...result, curlArgv };
}
