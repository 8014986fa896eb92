/**
 * One web-ifc instance (one wasm heap). `withModel` opens the bytes, hands the model to a
 * synchronous function and always closes it, so nothing of one request survives into the next.
 * Lives in a worker thread (see worker.ts); nothing here is shared between threads.
 */
import { IfcAPI, LogLevel } from "web-ifc";
import { hierarchyFor, schemaIndexOf } from "./hierarchy";
import { IfcModel } from "./model";
import { IfcProblem } from "./problem";
import { declaredSchemas, looksLikeStep } from "./step";

/** FILE_SCHEMA names web-ifc reads without falling back to another schema's layout. */
export const SUPPORTED_SCHEMAS = ["IFC2X3", "IFC4", "IFC4X3", "IFC4X3_ADD2"] as const;

const body = (message: string) => ({ fields: [{ field: "(body)", message }] });

const LOADER_SETTINGS = {
  // Refuse schemas web-ifc would read with another schema's layout (IFC4X1, IFC2X_FINAL, ...).
  ALLOW_INCOMPATIBLE_SCHEMA_ALIASES: false,
  // web-ifc tokenises into chunks of this size (default 64 MiB, allocated even for a 100 KB
  // file). 8 MiB chunks cut the wasm heap after AC20-FZK-Haus.ifc from 133 to ~26 MiB with
  // identical results; bigger files simply use more chunks.
  TAPE_SIZE: 8 * 1024 * 1024,
};

export class IfcEngine {
  /** OpenModel calls so far: model ids are handed out in order and never reused. */
  private attempts = 0;
  /** Every model id below this is known to be closed. */
  private swept = 0;

  private constructor(private readonly api: IfcAPI) {}

  static async create(): Promise<IfcEngine> {
    const api = new IfcAPI();
    // In Node, Init loads web-ifc-node.wasm from the package's own folder.
    await api.Init();
    // web-ifc logs with console.*; our logs are JSON lines, and failures are reported to the client.
    api.SetLogLevel(LogLevel.LOG_LEVEL_OFF);
    return new IfcEngine(api);
  }

  /** Bytes of wasm memory (it grows to the largest model seen and never shrinks). */
  heapBytes(): number {
    return (this.api.wasmModule?.HEAPU8?.length as number | undefined) ?? 0;
  }

  /** Models open right now; 0 between jobs (a diagnostic for tests). */
  openModels(): number {
    let open = 0;
    for (let id = 0; id < this.attempts; id++) if (this.api.IsModelOpen(id)) open++;
    return open;
  }

  withModel<T>(bytes: Uint8Array, use: (model: IfcModel) => T): T {
    const id = this.open(bytes);
    try {
      const schema = this.api.GetModelSchema(id);
      return use(new IfcModel(this.api, id, schema, hierarchyFor(schemaIndexOf(schema)!)));
    } finally {
      this.api.CloseModel(id);
    }
  }

  private open(bytes: Uint8Array): number {
    if (!looksLikeStep(bytes)) {
      throw new IfcProblem(400, "not_ifc", "The body is not an IFC file: it does not start with ISO-10303-21; (a STEP physical file).", body("not a STEP physical file"));
    }
    const schema = declaredSchemas(bytes)?.[0];
    if (schema !== undefined && !(SUPPORTED_SCHEMAS as readonly string[]).includes(schema.toUpperCase())) {
      throw new IfcProblem(422, "unsupported_schema", `FILE_SCHEMA names ${schema || "no schema"}; supported: ${SUPPORTED_SCHEMAS.join(", ")}.`, { schema, supported: SUPPORTED_SCHEMAS });
    }
    let id: number;
    this.attempts++;
    try {
      id = this.api.OpenModel(bytes, LOADER_SETTINGS);
    } catch {
      // web-ifc 0.0.78 throws on some malformed headers after it has created the model, and
      // does not close it: close whatever is open now (no model of ours is open here).
      this.closeStrays();
      id = -1;
    }
    if (id < 0) {
      throw new IfcProblem(400, "unreadable_ifc", "web-ifc could not read the file: its HEADER section (FILE_SCHEMA) is missing or malformed.", body("unreadable STEP header"));
    }
    return id;
  }

  private closeStrays(): void {
    for (let id = this.swept; id < this.attempts; id++) {
      if (this.api.IsModelOpen(id)) this.api.CloseModel(id);
    }
    this.swept = this.attempts;
  }
}
