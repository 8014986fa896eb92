/**
 * The API host's Worker (module syntax), bundled by esbuild at deploy (components/edge/bundle.ts).
 * What it does and why: components/edge/README.md, "The API Worker".
 */
import { handle, type EdgeCache } from "./handler";
import { finalResponse, problem } from "./responses";
import { MisconfiguredError, parseSettings, type WorkerEnv } from "./settings";

/** `caches.default` of the Workers runtime (not in Node's types, which this repo compiles against). */
function defaultCache(): EdgeCache {
  return (globalThis as unknown as { caches: { default: EdgeCache } }).caches.default;
}

export default {
  async fetch(request: Request, env: WorkerEnv): Promise<Response> {
    let settings;
    try {
      settings = parseSettings(env);
    } catch (error) {
      if (!(error instanceof MisconfiguredError)) throw error;
      // The details go to the Worker's logs, not to visitors.
      console.error(error.message);
      return finalResponse(problem(500, "edge_misconfigured", "The edge is misconfigured; see the Worker's logs."), {}, "");
    }
    return handle(request, settings, {
      cache: defaultCache(),
      fetch: (req, init) => fetch(req, init),
      random: (bytes) => crypto.getRandomValues(new Uint8Array(bytes)),
    });
  },
};
