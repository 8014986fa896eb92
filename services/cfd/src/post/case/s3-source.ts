/**
 * Cases in the solver's bucket (prod: each pod has its own volume, the bucket is what they
 * share): `<caseId>/case.json` is `cases/<caseId>/case.json`, which the solver publishes on
 * every write, and `<caseId>/sectors/<direction>/…` the results the case Jobs upload. Sector
 * files are kept in a disk cache by key: they are written once by their Job, and the reader
 * opens them only once the case has succeeded, after which nothing rewrites them. case.json
 * changes while the case runs, so it is always fetched. Read-only: results go elsewhere.
 */
import { mkdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { HttpProblem } from "@abode/service-kit";
import { CASES_PREFIX } from "../../storage/layout";
import { describeS3Error, type CaseStore } from "../../storage/s3";
import { isSafeKey, type BlobInfo, type CaseSource } from "./source";

export interface S3CaseSourceOptions {
  store: Pick<CaseStore, "bucket" | "getObject" | "listEntries" | "unavailable">;
  /** Where downloaded sector files are kept, by key. */
  cacheDir: string;
}

/** Keys that never change once readable: everything under `<caseId>/sectors/`. */
const isImmutable = (key: string) => key.split("/")[1] === "sectors";

export class S3CaseSource implements CaseSource {
  private readonly store: S3CaseSourceOptions["store"];
  private readonly cacheDir: string;
  /** Downloads under way, so concurrent requests for one file fetch it once. */
  private readonly downloads = new Map<string, Promise<Buffer | undefined>>();

  constructor(options: S3CaseSourceOptions) {
    this.store = options.store;
    this.cacheDir = path.resolve(options.cacheDir);
  }

  get description(): string {
    return `s3://${this.store.bucket}/${CASES_PREFIX}/ (sector files cached in ${this.cacheDir})`;
  }

  async read(key: string): Promise<Buffer | undefined> {
    const objectKey = this.objectKey(key);
    if (!isImmutable(key)) return this.fetch(key, objectKey);
    const cached = await readCached(this.cachePath(key));
    if (cached) return cached;
    let download = this.downloads.get(key);
    if (!download) {
      download = this.fetch(key, objectKey)
        .then(async (bytes) => {
          if (bytes) await this.remember(key, bytes);
          return bytes;
        })
        .finally(() => this.downloads.delete(key));
      this.downloads.set(key, download);
    }
    return download;
  }

  /**
   * Size and version. A sector file is downloaded into the cache here (the reader reads what it
   * asks about right after); its version is its size, since it never changes.
   */
  async info(key: string): Promise<BlobInfo | undefined> {
    if (isImmutable(key)) {
      const cached = await stat(this.cachePath(key)).catch(() => undefined);
      if (cached?.isFile()) return { size: cached.size, version: `${cached.size}` };
    }
    const bytes = await this.read(key);
    return bytes ? { size: bytes.length, version: `${bytes.length}` } : undefined;
  }

  async list(prefix: string): Promise<string[]> {
    const objectPrefix = `${this.objectKey(prefix)}/`;
    try {
      return (await this.store.listEntries(objectPrefix)).map((entry) => entry.name);
    } catch (error) {
      throw this.unreachable(`list ${prefix}/`, error);
    }
  }

  write(key: string): Promise<void> {
    return Promise.reject(new Error(`S3CaseSource is read-only: ${key} belongs in the post-processor's results directory`));
  }

  unavailable(): Promise<string | undefined> {
    return this.store.unavailable();
  }

  private objectKey(key: string): string {
    // Keys are built by the service from validated ids; this is the last line of defence.
    if (!isSafeKey(key)) throw new Error(`unsafe case key '${key}'`);
    return `${CASES_PREFIX}/${key}`;
  }

  private cachePath(key: string): string {
    return path.join(this.cacheDir, ...key.split("/"));
  }

  private async fetch(key: string, objectKey: string): Promise<Buffer | undefined> {
    try {
      return await this.store.getObject(objectKey);
    } catch (error) {
      throw this.unreachable(`read ${key}`, error);
    }
  }

  /** Into the cache, write-then-rename: a crash never leaves half a file to be taken for whole. */
  private async remember(key: string, bytes: Buffer): Promise<void> {
    const target = this.cachePath(key);
    await mkdir(path.dirname(target), { recursive: true });
    const temporary = `${target}.${process.pid}.${Date.now()}.partial`;
    await writeFile(temporary, bytes);
    await rename(temporary, target);
  }

  private unreachable(what: string, error: unknown): HttpProblem {
    const reason = describeS3Error(error);
    return new HttpProblem(503, "case_store_unavailable", `Cannot ${what} from s3://${this.store.bucket}/${CASES_PREFIX}/: ${reason}`, { bucket: this.store.bucket, reason });
  }
}

async function readCached(file: string): Promise<Buffer | undefined> {
  try {
    return await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw error;
  }
}
