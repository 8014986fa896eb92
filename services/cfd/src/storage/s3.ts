import { promises as fs } from "node:fs";
import path from "node:path";
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client, S3ServiceException } from "@aws-sdk/client-s3";
import { CASES_PREFIX } from "./layout";

/** Where case inputs and results are kept. */
export interface S3Settings {
  bucket: string;
  region: string;
  /** Another S3-compatible endpoint (MinIO, a test server). @default AWS S3 of `region` */
  endpoint?: string;
  /** `https://endpoint/bucket/key` instead of `https://bucket.endpoint/key` (needed by most non-AWS endpoints). @default false */
  forcePathStyle?: boolean;
  /** Static credentials; unset → the SDK's default chain (IRSA's web identity in prod). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/** A name directly under a listed prefix; `size` only for an object (absent for a "directory"). */
export interface ListedEntry {
  name: string;
  size?: number;
}

/** An S3 or network failure in words: the SDK's message, else the error code (a refused connection has no message). */
export function describeS3Error(error: unknown): string {
  const e = error as Error & { code?: string; errors?: Error[]; $metadata?: { httpStatusCode?: number } };
  const inner = e.errors?.map((x) => x.message).filter(Boolean).join("; ");
  const text = e.message || inner || e.code || e.name || String(error);
  const status = e.$metadata?.httpStatusCode;
  return status ? `${text} (HTTP ${status})` : text;
}

/** Files moved at once; S3 is latency-bound per object, OpenFOAM cases are many small files. */
const TRANSFER_CONCURRENCY = 8;

/**
 * The few S3 calls the CFD services make (PutObject, GetObject, ListObjectsV2), and directory
 * transfers built on them. Files are read into memory one at a time per transfer slot (fields
 * of a few-million-cell case are tens of MB each; PutObject takes up to 5 GB). S3 has no empty
 * directories, so none are transferred.
 */
export class CaseStore {
  readonly bucket: string;
  private readonly client: S3Client;

  constructor(settings: S3Settings) {
    this.bucket = settings.bucket;
    this.client = new S3Client({
      region: settings.region,
      endpoint: settings.endpoint,
      forcePathStyle: settings.forcePathStyle ?? false,
      credentials: settings.credentials,
      maxAttempts: 4,
    });
  }

  async putObject(key: string, body: Buffer | string, contentType = "application/octet-stream"): Promise<void> {
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType }));
  }

  /** The object's bytes, or undefined when there is no such key. */
  async getObject(key: string): Promise<Buffer | undefined> {
    try {
      const response = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return Buffer.from(await response.Body!.transformToByteArray());
    } catch (error) {
      if (error instanceof S3ServiceException && (error.name === "NoSuchKey" || error.$metadata.httpStatusCode === 404)) return undefined;
      // S3 answers 403, not 404, for a missing key unless the caller may list it; a ListBucket
      // limited by an `s3:prefix` condition may not count. A listing tells the two apart.
      if (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 403 && (await this.absent(key))) return undefined;
      throw error;
    }
  }

  /** True only when a listing shows there is no such key (false when the listing fails too). */
  private async absent(key: string): Promise<boolean> {
    try {
      // The key itself sorts first among the keys it prefixes.
      return (await this.listKeys(key, 1))[0] !== key;
    } catch {
      return false;
    }
  }

  async putJson(key: string, value: unknown): Promise<void> {
    await this.putObject(key, `${JSON.stringify(value, null, 2)}\n`, "application/json");
  }

  async getJson(key: string): Promise<unknown> {
    const bytes = await this.getObject(key);
    return bytes === undefined ? undefined : JSON.parse(bytes.toString("utf8"));
  }

  /** The keys under `prefix`, following continuation tokens: all of them, or the first page of at most `limit`. */
  async listKeys(prefix: string, limit?: number): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token, MaxKeys: limit }));
      for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
      token = page.IsTruncated && limit === undefined ? page.NextContinuationToken : undefined;
    } while (token);
    return keys;
  }

  /**
   * What lies directly under `prefix` (ending in "/"), like a directory listing: files with
   * their size, "directories" without. ListObjectsV2 with the "/" delimiter; keys further down
   * are folded into their first segment too, for servers that ignore the delimiter.
   */
  async listEntries(prefix: string): Promise<ListedEntry[]> {
    const entries = new Map<string, ListedEntry>();
    let token: string | undefined;
    do {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, Delimiter: "/", ContinuationToken: token }));
      const below = [...(page.CommonPrefixes ?? []).map((p) => ({ rest: p.Prefix, size: undefined })), ...(page.Contents ?? []).map((o) => ({ rest: o.Key, size: o.Size ?? 0 }))];
      for (const { rest, size } of below) {
        const relative = rest?.slice(prefix.length) ?? "";
        const slash = relative.indexOf("/");
        const name = slash < 0 ? relative : relative.slice(0, slash);
        if (name === "") continue;
        if (slash < 0) entries.set(name, { name, size });
        else if (!entries.has(name)) entries.set(name, { name });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return [...entries.values()];
  }

  /** Can the bucket be listed under `cases/`? The failure in words, or undefined. */
  async unavailable(): Promise<string | undefined> {
    try {
      await this.listKeys(`${CASES_PREFIX}/`, 1);
      return undefined;
    } catch (error) {
      return `S3 bucket ${this.bucket}: ${describeS3Error(error)}`;
    }
  }

  /**
   * Uploads every regular file under `dir` (symlinks to files followed) whose path relative to
   * `dir` passes `include`, as `<prefix><relative path>`. Returns the number of files.
   */
  async uploadDirectory(dir: string, prefix: string, include: (relativePath: string) => boolean = () => true): Promise<number> {
    const files = (await regularFiles(dir)).filter(include);
    await inParallel(files, async (relative) => this.putObject(`${prefix}${relative}`, await fs.readFile(path.join(dir, relative))));
    return files.length;
  }

  /**
   * Downloads every object under `prefix` into `dir`, keeping the key's path below the prefix.
   * A key that would land outside `dir` (`..`, absolute) is refused. Returns the number of files.
   */
  async downloadPrefix(prefix: string, dir: string): Promise<number> {
    const keys = (await this.listKeys(prefix)).filter((k) => !k.endsWith("/"));
    const targets = keys.map((key) => ({ key, file: safeJoin(dir, key.slice(prefix.length)) }));
    await inParallel(targets, async ({ key, file }) => {
      const bytes = await this.getObject(key);
      if (bytes === undefined) throw new Error(`s3://${this.bucket}/${key} disappeared while downloading ${prefix}`);
      await fs.mkdir(path.dirname(file), { recursive: true });
      await fs.writeFile(file, bytes);
    });
    return keys.length;
  }

  destroy(): void {
    this.client.destroy();
  }
}

/** Paths (POSIX, relative to `dir`) of the regular files below it. */
export async function regularFiles(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries) {
    const full = path.join(entry.parentPath, entry.name);
    const isFile = entry.isFile() || (entry.isSymbolicLink() && (await fs.stat(full).catch(() => undefined))?.isFile());
    if (isFile) files.push(path.relative(dir, full).split(path.sep).join("/"));
  }
  return files.sort();
}

function safeJoin(dir: string, relative: string): string {
  const target = path.resolve(dir, relative);
  if (relative === "" || path.isAbsolute(relative) || !target.startsWith(path.resolve(dir) + path.sep)) {
    throw new Error(`refusing to write object path "${relative}" outside ${dir}`);
  }
  return target;
}

async function inParallel<T>(items: T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(TRANSFER_CONCURRENCY, items.length) }, worker));
}
