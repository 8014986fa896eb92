/** Reported in the start log and on spans; the image tag carries the deployed version. */
export const SERVICE_VERSION = process.env.SERVICE_VERSION ?? "0.1.0";
export const SERVICE_NAME = "cfd-mesher";
export const DEFAULT_PORT = 8001;
