/**
 * The AI parsing service's workload spec, consumed by the stacks (stacks/workloads.ts).
 * Its image is `services/ai-parsing/Dockerfile`, built with the repository root as context.
 */
import { appServiceWorkload } from "../../components/workload/app-service";
import type { Resources, WorkloadSpec } from "../../components/workload/spec";
import type { FloorplanCategory } from "./src/floorplan";

export const AI_PARSING_PORT = 8003;

/** Where the models volume is mounted; the operator puts the .onnx file here. */
export const AI_PARSING_MODELS_DIR = "/var/lib/abode/models";

/** The model file when the stack names none. */
export const AI_PARSING_DEFAULT_MODEL_PATH = `${AI_PARSING_MODELS_DIR}/model.onnx`;

/**
 * Two cores and 2 GiB: a YOLOv8 s/m model is 20–100 MB with a few hundred MB of arena, each
 * image in flight holds its upload, a 4.9 MB input tensor and up to its decoded raster, and
 * ONNX Runtime's intra-op threads are pinned to the CPU limit.
 */
export const AI_PARSING_DEFAULT_RESOURCES: Resources = { cpu: 2, memoryMiB: 2048, requests: { cpu: 1, memoryMiB: 1024 } };

export interface AiParsingWorkloadArgs {
  version: string;
  /** OTLP/HTTP base URL traces go to, e.g. http://otel-collector:4318. */
  otlpEndpoint: string;
  /** @default AI_PARSING_DEFAULT_RESOURCES */
  resources?: Resources;
  /**
   * Run on the GPU pool with one GPU and ONNX Runtime's CUDA execution provider. Without a
   * working CUDA provider in the image the service stays not ready (no CPU fallback).
   * @default false (CPU execution, general pool)
   */
  gpu?: boolean;
  /** The .onnx file on the models volume (`s3://` is reported as not supported yet). @default AI_PARSING_DEFAULT_MODEL_PATH */
  modelPath?: string;
  /** Class names, when the model's metadata has none or they should be replaced. @default the model's `names` metadata */
  classNames?: readonly string[];
  /** Detection defaults (requests may override within bounds). @default confidence 0.25, iou 0.7, maxDetections 300 */
  detection?: { confidence?: number; iou?: number; maxDetections?: number };
  /** @default maxUploadBytes 20 MiB, maxInputPixels 40 M, maxInFlight 4 */
  limits?: { maxUploadBytes?: number; maxInputPixels?: number; maxInFlight?: number };
  /** Which model classes are doors, windows, rooms, walls. @default each category's name and plural */
  floorplanClasses?: Partial<Record<FloorplanCategory, readonly string[]>>;
  /** @default 5 */
  modelsVolumeGiB?: number;
}

/** The service's own environment for these args: only what is set, plus the model and threads. Pure. */
export function aiParsingEnv(args: AiParsingWorkloadArgs): Record<string, string> {
  const resources = args.resources ?? AI_PARSING_DEFAULT_RESOURCES;
  const optional: Record<string, string | number | undefined> = {
    AI_PARSING_CLASS_NAMES: args.classNames ? JSON.stringify(args.classNames) : undefined,
    AI_PARSING_CONFIDENCE: args.detection?.confidence,
    AI_PARSING_IOU: args.detection?.iou,
    AI_PARSING_MAX_DETECTIONS: args.detection?.maxDetections,
    AI_PARSING_MAX_UPLOAD_BYTES: args.limits?.maxUploadBytes,
    AI_PARSING_MAX_INPUT_PIXELS: args.limits?.maxInputPixels,
    AI_PARSING_MAX_IN_FLIGHT: args.limits?.maxInFlight,
    AI_PARSING_FLOORPLAN_CLASSES: args.floorplanClasses ? JSON.stringify(args.floorplanClasses) : undefined,
  };
  return {
    AI_PARSING_MODEL_PATH: args.modelPath ?? AI_PARSING_DEFAULT_MODEL_PATH,
    AI_PARSING_EXECUTION_PROVIDER: args.gpu ? "cuda" : "cpu",
    // ONNX Runtime sizes its pool from the node's cores, not the container's CPU limit.
    AI_PARSING_INTRA_OP_THREADS: String(Math.max(1, Math.floor(resources.cpu))),
    ...Object.fromEntries(Object.entries(optional).flatMap(([key, value]) => (value === undefined ? [] : [[key, String(value)]]))),
  };
}

export function aiParsingWorkload(args: AiParsingWorkloadArgs): WorkloadSpec {
  return appServiceWorkload({
    name: "ai-parsing",
    ownDockerfile: true,
    component: "ai",
    port: AI_PARSING_PORT,
    version: args.version,
    otlpEndpoint: args.otlpEndpoint,
    resources: args.resources ?? AI_PARSING_DEFAULT_RESOURCES,
    env: aiParsingEnv(args),
    volumes: [{ name: "models", mountPath: AI_PARSING_MODELS_DIR, sizeGiB: args.modelsVolumeGiB ?? 5 }],
    gpu: args.gpu ? { count: 1 } : undefined,
    // The Dockerfile's `cuda` stage carries the CUDA runtime and ONNX Runtime's CUDA provider.
    buildTarget: args.gpu ? "cuda" : "cpu",
  });
}
