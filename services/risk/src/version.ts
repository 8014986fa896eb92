export const SERVICE_NAME = "risk";
export const SERVICE_VERSION = "0.1.0";
export const DEFAULT_PORT = 8009;
