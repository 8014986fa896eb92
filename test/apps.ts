/** Our HTTP APIs as the stacks publish them: behind the ALB in prod, each on `<name>.<domain>`. */
export const PUBLIC_APIS = ["ai-lighting", "ai-parsing", "cfd-mesher", "cfd-postprocessor", "cfd-solver", "gen3d", "ifc", "rag", "reasoning", "risk"];

/** `<name>.<domain>` for each. */
export const hostsOf = (names: string[], domain: string) => names.map((n) => `${n}.${domain}`).sort();
