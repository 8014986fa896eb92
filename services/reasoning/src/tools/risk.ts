import { z } from "zod";
import type { ToolConfig } from "../config";
import { jsonTool } from "./json-tool";
import type { Tool } from "./tool";

export const RiskLookupInput = z.strictObject({
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
});

export function riskLookupTool(baseUrl: string, config: ToolConfig): Tool {
  return jsonTool(
    {
      name: "risk_lookup",
      description: "Seismic design parameters (USGS) and flood zones (FEMA NFHL) at a US location, with their sources.",
      input: RiskLookupInput,
      service: "risk",
      request: (input) => ({ method: "GET", path: "/risk", query: { lat: String(input.lat), lon: String(input.lon) } }),
    },
    baseUrl,
    config,
  );
}
