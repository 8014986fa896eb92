/**
 * Where cases live, as a tiny blob store: keys are `/`-separated paths under the cases root
 * (`<caseId>/case.json`, `<caseId>/sectors/90/400/U`). The local implementation reads a
 * directory (the dev volume, tests); `S3CaseSource` (./s3-source.ts) reads the solver's bucket in prod.
 */
import { constants } from "node:fs";
import { access, mkdir, readFile, readdir, rename, stat, writeFile } from "node:fs/promises";
import path from "node:path";

export interface BlobInfo {
  size: number;
  /** Changes whenever the content does (mtime locally, an ETag on S3). */
  version: string;
}

export interface CaseSource {
  /** Human-readable location for logs and readiness reasons. */
  readonly description: string;
  /** The blob's bytes, or undefined when there is none. */
  read(key: string): Promise<Buffer | undefined>;
  /** Size and version, or undefined when there is none. */
  info(key: string): Promise<BlobInfo | undefined>;
  /** Names directly under `prefix` (files and "directories"), unsorted; empty when none. */
  list(prefix: string): Promise<string[]>;
  /** Stores `data` under `key`, replacing it atomically. */
  write(key: string, data: Buffer | string): Promise<void>;
  /** Why the store cannot be used, or undefined when it can. */
  unavailable(): Promise<string | undefined>;
}

/** A key's segments: non-empty, not `.` or `..`, no backslash, no control bytes. */
export function isSafeKey(key: string): boolean {
  return key.split("/").every((segment) => segment !== "" && segment !== "." && segment !== ".." && ![...segment].some((ch) => ch === "\\" || ch.charCodeAt(0) < 32));
}

export class LocalCaseSource implements CaseSource {
  readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  get description(): string {
    return `directory ${this.root}`;
  }

  private pathOf(key: string): string {
    // Keys are built by the service from validated ids; this is the last line of defence.
    if (!isSafeKey(key)) throw new Error(`unsafe case key '${key}'`);
    return path.join(this.root, ...key.split("/"));
  }

  async read(key: string): Promise<Buffer | undefined> {
    try {
      return await readFile(this.pathOf(key));
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async info(key: string): Promise<BlobInfo | undefined> {
    try {
      const s = await stat(this.pathOf(key));
      return s.isFile() ? { size: s.size, version: `${s.mtimeMs}:${s.size}` } : undefined;
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async list(prefix: string): Promise<string[]> {
    try {
      return await readdir(this.pathOf(prefix));
    } catch (error) {
      if (isMissing(error)) return [];
      throw error;
    }
  }

  async write(key: string, data: Buffer | string): Promise<void> {
    const target = this.pathOf(key);
    await mkdir(path.dirname(target), { recursive: true });
    // Write-then-rename: a reader never sees half a result.
    const temporary = `${target}.${process.pid}.${Date.now()}.partial`;
    await writeFile(temporary, data);
    await rename(temporary, target);
  }

  async unavailable(): Promise<string | undefined> {
    try {
      const s = await stat(this.root);
      if (!s.isDirectory()) return `${this.root} is not a directory`;
      await access(this.root, constants.R_OK | constants.W_OK | constants.X_OK);
      return undefined;
    } catch (error) {
      return isMissing(error) ? `${this.root} does not exist` : `${this.root}: ${(error as Error).message}`;
    }
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === "ENOENT" || code === "ENOTDIR";
}
