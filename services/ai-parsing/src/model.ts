/**
 * The detection model: read once from its file, checked, warmed up, then shared by every
 * request. Anything wrong — no location, an unreadable file, not ONNX, the wrong layout,
 * class names that do not match its outputs, a CUDA provider that is not there — leaves the
 * service not ready with that reason. There is no CPU fallback when CUDA was asked for.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { InferenceSession, Tensor } from "onnxruntime-node";
import { parseClassNamesJson, parseUltralyticsNames } from "./class-names";
import type { AiParsingConfig } from "./config";
import { outputLayout } from "./decode";
import type { Size } from "./geometry";
import { PAD_VALUE } from "./letterbox";
import { readOnnxMetadata } from "./onnx-metadata";

export type ModelSettings = AiParsingConfig["model"];

/** YOLOv8's input side when the model's shape and metadata do not say. */
export const DEFAULT_INPUT_SIZE = 640;

/** Ultralytics metadata keys worth reporting (the rest are training arguments). */
const REPORTED_METADATA = ["description", "author", "date", "version", "license", "task", "imgsz", "stride"] as const;

export interface ModelInfo {
  /** The file's name, e.g. `floorplan-yolov8s.onnx`. */
  name: string;
  path: string;
  sha256: string;
  sizeBytes: number;
  executionProvider: "cpu" | "cuda";
  input: { name: string } & Size;
  output: { name: string; classes: number; anchors: number };
  classNames: string[];
  classNamesSource: "AI_PARSING_CLASS_NAMES" | "AI_PARSING_CLASS_NAMES_FILE" | "model metadata";
  producer?: string;
  metadata: Partial<Record<(typeof REPORTED_METADATA)[number], string>>;
}

export interface ModelOutput {
  data: Float32Array;
  dims: readonly number[];
}

export interface LoadedModel {
  info: ModelInfo;
  /** Runs the model on one CHW float32 image of the input size. */
  run(chw: Float32Array): Promise<ModelOutput>;
  dispose(): Promise<void>;
}

/** The model cannot be used; the message is the readiness reason. */
export class ModelUnavailable extends Error {}

/** The file to load, or why there is none. */
export function modelFile(location: string | undefined): string {
  if (!location) throw new ModelUnavailable("AI_PARSING_MODEL_PATH is not set: no model to load");
  if (/^s3:\/\//i.test(location)) {
    throw new ModelUnavailable(`s3 models are not supported yet (${location}): copy the model onto the models volume and set AI_PARSING_MODEL_PATH to its path`);
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location)) throw new ModelUnavailable(`unsupported model location ${location}: give a file path`);
  return location;
}

/**
 * The square-or-not input size: the model's static [1, 3, H, W], else Ultralytics' `imgsz`
 * metadata (`[640, 640]`), else 640 — or why the input is not an image.
 */
export function inputSize(shape: readonly (number | string)[], imgsz: string | undefined): Size | string {
  const [batch, channels, height, width] = shape;
  if (shape.length !== 4 || (typeof batch === "number" && batch !== 1) || (typeof channels === "number" && channels !== 3)) {
    return `expected an image input of shape [1, 3, height, width], got [${shape.join(", ")}]`;
  }
  if (typeof height === "number" && typeof width === "number") return { width, height };
  const sides = imgsz?.match(/^\s*\[?\s*(\d+)\s*(?:,\s*(\d+)\s*)?\]?\s*$/);
  if (sides) return { height: Number(sides[1]), width: Number(sides[2] ?? sides[1]) };
  return { width: DEFAULT_INPUT_SIZE, height: DEFAULT_INPUT_SIZE };
}

async function classNamesOf(settings: ModelSettings, props: Record<string, string>): Promise<Pick<ModelInfo, "classNames" | "classNamesSource">> {
  if (settings.classNames && settings.classNamesFile) {
    throw new ModelUnavailable("both AI_PARSING_CLASS_NAMES and AI_PARSING_CLASS_NAMES_FILE are set: set one");
  }
  if (settings.classNames) return { classNames: settings.classNames, classNamesSource: "AI_PARSING_CLASS_NAMES" };
  if (settings.classNamesFile) {
    let text: string;
    try {
      text = await readFile(settings.classNamesFile, "utf8");
    } catch (error) {
      throw new ModelUnavailable(`cannot read AI_PARSING_CLASS_NAMES_FILE ${settings.classNamesFile}: ${(error as Error).message}`);
    }
    const parsed = parseClassNamesJson(text);
    if (!parsed.ok) throw new ModelUnavailable(`AI_PARSING_CLASS_NAMES_FILE ${settings.classNamesFile}: ${parsed.error}`);
    return { classNames: parsed.names, classNamesSource: "AI_PARSING_CLASS_NAMES_FILE" };
  }
  if (props.names === undefined) {
    throw new ModelUnavailable("the model has no `names` metadata: set AI_PARSING_CLASS_NAMES (JSON) or AI_PARSING_CLASS_NAMES_FILE");
  }
  const parsed = parseUltralyticsNames(props.names);
  if (!parsed.ok) throw new ModelUnavailable(`the model's class names: ${parsed.error}`);
  return { classNames: parsed.names, classNamesSource: "model metadata" };
}

function sessionOptions(settings: ModelSettings): InferenceSession.SessionOptions {
  return {
    executionProviders: settings.executionProvider === "cuda" ? [{ name: "cuda", deviceId: 0 }] : ["cpu"],
    graphOptimizationLevel: "all",
    ...(settings.intraOpThreads ? { intraOpNumThreads: settings.intraOpThreads } : {}),
  };
}

async function createSession(bytes: Uint8Array, file: string, settings: ModelSettings): Promise<InferenceSession> {
  try {
    return await InferenceSession.create(bytes, sessionOptions(settings));
  } catch (error) {
    const message = (error as Error).message.split("\n")[0];
    if (settings.executionProvider === "cuda" && /cuda/i.test(message ?? "")) {
      throw new ModelUnavailable(`the CUDA execution provider is unavailable (no CPU fallback; AI_PARSING_EXECUTION_PROVIDER=cpu runs on CPU): ${message}`);
    }
    throw new ModelUnavailable(`ONNX Runtime cannot load ${file}: ${message}`);
  }
}

export async function loadModel(settings: ModelSettings): Promise<LoadedModel> {
  const file = modelFile(settings.location);
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new ModelUnavailable(`cannot read model file ${file}: ${(error as Error).message}`);
  }
  const session = await createSession(bytes, file, settings);
  try {
    return await checkedModel(session, bytes, file, settings);
  } catch (error) {
    await session.release();
    throw error;
  }
}

async function checkedModel(session: InferenceSession, bytes: Buffer, file: string, settings: ModelSettings): Promise<LoadedModel> {
  // ONNX Runtime accepted the protobuf, so its top level reads.
  const metadata = readOnnxMetadata(bytes);
  const props = metadata.props;
  if (props.task !== undefined && props.task !== "detect") {
    throw new ModelUnavailable(`the model is an Ultralytics "${props.task}" model; this service decodes "detect" models`);
  }
  const inputName = session.inputNames[0];
  const outputName = session.outputNames[0];
  const inputMeta = session.inputMetadata[0];
  if (!inputName || !outputName || !inputMeta) throw new ModelUnavailable("the model needs an image input and a detection output");
  if (!inputMeta.isTensor || inputMeta.type !== "float32") throw new ModelUnavailable(`input ${inputName} is not a float32 tensor`);
  const size = inputSize(inputMeta.shape, props.imgsz);
  if (typeof size === "string") throw new ModelUnavailable(`input ${inputName}: ${size}`);
  const names = await classNamesOf(settings, props);

  const run = async (chw: Float32Array): Promise<ModelOutput> => {
    const results = await session.run({ [inputName]: new Tensor("float32", chw, [1, 3, size.height, size.width]) });
    const output = results[outputName];
    if (!output || output.type !== "float32") throw new Error(`output ${outputName} is not a float32 tensor`);
    return { data: output.data as Float32Array, dims: output.dims };
  };

  // Warm-up on a padding-grey image: proves the model runs and shows its real output shape.
  let warm: ModelOutput;
  try {
    warm = await run(new Float32Array(3 * size.width * size.height).fill(PAD_VALUE / 255));
  } catch (error) {
    throw new ModelUnavailable(`the model does not run on a [1, 3, ${size.height}, ${size.width}] image: ${(error as Error).message.split("\n")[0]}`);
  }
  const layout = outputLayout(warm.dims);
  if (typeof layout === "string") throw new ModelUnavailable(`output ${outputName}: ${layout}`);
  if (layout.classes !== names.classNames.length) {
    throw new ModelUnavailable(
      `class names do not match the model: output ${outputName} [${warm.dims.join(", ")}] scores ${layout.classes} classes, ` +
        `but ${names.classNamesSource} names ${names.classNames.length}`,
    );
  }

  const info: ModelInfo = {
    name: path.basename(file),
    path: file,
    sha256: createHash("sha256").update(bytes).digest("hex"),
    sizeBytes: bytes.length,
    executionProvider: settings.executionProvider,
    input: { name: inputName, ...size },
    output: { name: outputName, ...layout },
    ...names,
    producer: metadata.producerName ? [metadata.producerName, metadata.producerVersion].filter(Boolean).join(" ") : undefined,
    metadata: Object.fromEntries(REPORTED_METADATA.flatMap((key) => (props[key] === undefined ? [] : [[key, props[key]]]))),
  };
  return { info, run, dispose: () => session.release() };
}

export type ModelState = { status: "loading" } | { status: "ready"; model: LoadedModel } | { status: "failed"; reason: string };

/** Starts loading; `current()` tells where it is, `settled` resolves once it is ready or failed. */
export function loadInBackground(settings: ModelSettings): { current(): ModelState; settled: Promise<ModelState> } {
  let state: ModelState = { status: "loading" };
  const settled = loadModel(settings).then(
    (model): ModelState => (state = { status: "ready", model }),
    (error: unknown): ModelState => (state = { status: "failed", reason: error instanceof ModelUnavailable ? error.message : `model load failed: ${(error as Error).message}` }),
  );
  return { current: () => state, settled };
}
