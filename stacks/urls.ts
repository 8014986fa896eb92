import { WORKLOAD_NAMES, catalogueEntry } from "./config/catalogue";
import { hostPorts, isEnabled, type StackConfig } from "./config/schema";

/** Ports people open in a browser or with curl; the rest are protocol endpoints. */
const WEB_PORTS = new Set(["http", "ui"]);

/** What an SRE needs to reach each enabled workload in dev, from config alone. Pure. */
export function publishedEndpoints(config: Pick<StackConfig, "workloads" | "bindAddress">) {
  const urls: Record<string, string> = {};
  const endpoints: Record<string, string> = {};
  for (const name of WORKLOAD_NAMES) {
    if (!isEnabled(config, name)) continue;
    const scheme = catalogueEntry(name).urlScheme ?? "http";
    for (const [portName, port] of Object.entries(hostPorts(config, name))) {
      if (WEB_PORTS.has(portName)) urls[name] = `${scheme}://${config.bindAddress}:${port}`;
      else endpoints[`${name}.${portName}`] = `${config.bindAddress}:${port}`;
    }
  }
  return { urls, endpoints };
}
