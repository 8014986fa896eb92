/** Routes of the AI parsing service: thin handlers over the pipeline and the loaded model. */
import { HttpProblem, unprocessable, type RouteContext, type Service } from "@abode/service-kit";
import type { AiParsingConfig } from "./config";
import { detect, type Detection, type DetectionParameters } from "./detect";
import { FLOORPLAN_CATEGORIES, summarizeFloorplan, supportsFloorplans } from "./floorplan";
import { IMAGE_CONTENT_TYPES } from "./image";
import { loadInBackground, type LoadedModel, type ModelState } from "./model";
import { parametersFromQuery } from "./parameters";

/** Why the model cannot serve, or nothing when it can. */
export function modelReadiness(state: ModelState): string | undefined {
  if (state.status === "loading") return "the model is still loading";
  if (state.status === "failed") return state.reason;
  return undefined;
}

export interface ParsingRoutes {
  /** Resolves once the model is loaded or has failed (tests wait on it). */
  modelSettled: Promise<ModelState>;
}

export function registerParsingRoutes(service: Service, config: AiParsingConfig): ParsingRoutes {
  const model = loadInBackground(config.model);
  service.addReadinessCheck({ name: "model", check: () => modelReadiness(model.current()) });
  void model.settled.then((state) => {
    if (state.status === "ready") {
      const { name, sha256, executionProvider, input, output, classNamesSource } = state.model.info;
      service.log.info({ model: { name, sha256, executionProvider, input, output, classNamesSource } }, "model loaded");
    } else if (state.status === "failed") {
      service.log.error({ reason: state.reason }, "model unavailable; not ready");
    }
  });
  service.app.addHook("onClose", async () => {
    const state = await model.settled;
    if (state.status === "ready") await state.model.dispose();
  });

  let inFlight = 0;
  /** Validates the query, then runs `work` on the ready model within the in-flight bound. */
  async function withModel<T>(request: RouteContext<unknown>["request"], work: (model: LoadedModel, parameters: DetectionParameters) => Promise<T>): Promise<T> {
    const parameters = parametersFromQuery(request.query, config.detection);
    const state = model.current();
    if (state.status !== "ready") throw new HttpProblem(503, "model_unavailable", `No model: ${modelReadiness(state)}.`);
    if (inFlight >= config.limits.maxInFlight) {
      throw new HttpProblem(503, "busy", `${inFlight} images are being processed (AI_PARSING_MAX_IN_FLIGHT); retry shortly.`);
    }
    inFlight++;
    try {
      return await work(state.model, parameters);
    } finally {
      inFlight--;
    }
  }

  const upload = { binary: IMAGE_CONTENT_TYPES, bodyLimitBytes: config.limits.maxUploadBytes } as const;

  service.route({
    method: "POST",
    url: "/detect",
    ...upload,
    handler: ({ body, request }) => withModel(request, (loaded, parameters) => detect(body as Buffer, loaded, parameters, config.limits.maxInputPixels)),
  });

  service.route({
    method: "POST",
    url: "/parse-floorplan",
    ...upload,
    handler: ({ body, request }) =>
      withModel(request, async (loaded, parameters) => {
        const { classNames } = loaded.info;
        if (!supportsFloorplans(classNames, config.floorplanClasses)) {
          throw unprocessable(`The model has no ${FLOORPLAN_CATEGORIES.join(", ")} classes (case-insensitive); AI_PARSING_FLOORPLAN_CLASSES maps its own names.`, {
            modelClasses: classNames,
          });
        }
        const detection: Detection = await detect(body as Buffer, loaded, parameters, config.limits.maxInputPixels);
        const { objects, ...rest } = detection;
        return { ...summarizeFloorplan(objects, classNames, config.floorplanClasses), ...rest };
      }),
  });

  service.route({
    method: "GET",
    url: "/model",
    handler: () => {
      const state = model.current();
      if (state.status !== "ready") throw new HttpProblem(503, "model_unavailable", `No model: ${modelReadiness(state)}.`);
      return { ...state.model.info, defaults: config.detection, limits: config.limits, floorplanClasses: config.floorplanClasses };
    },
  });

  return { modelSettled: model.settled };
}
