/**
 * Repeated requests do not grow memory: 40 requests (validate, elements, geometry in turn) on
 * AC20-FZK-Haus.ifc. web-ifc's wasm heap grows to what the largest model needs and then stays;
 * a model left open or a leaked web-ifc object would grow it. It is reported per job (debug
 * log) and must be identical at request 10 and request 40. The process RSS (main thread,
 * worker thread and its wasm heap) is compared too; without --expose-gc the JS heaps float,
 * and the wasm allocator touches more of its heap over time, hence the generous bound.
 */
import { fixture, startIfc } from "./helpers";

const REQUESTS = 40;
const WARM = 10;
/** One leaked model per request would add well over 100 MB in 30 requests (web-ifc holds several × the 2.6 MB file). */
const RSS_TOLERANCE_MB = 50;

test(`${REQUESTS} requests: the wasm heap is the same at request ${WARM} and ${REQUESTS}, RSS within ${RSS_TOLERANCE_MB} MB`, async () => {
  const ifc = await startIfc({}, "debug");
  const data = fixture("AC20-FZK-Haus.ifc");
  const routes = ["/validate", "/elements", "/geometry"];
  const rss: number[] = [];
  try {
    for (let i = 0; i < REQUESTS; i++) {
      const route = routes[i % routes.length]!;
      const { status } = await ifc.post(route, data);
      expect([route, status]).toEqual([route, 200]);
      rss.push(process.memoryUsage().rss / 2 ** 20);
    }
  } finally {
    await ifc.close();
  }
  const heaps = ifc.logs.filter((l) => l.msg === "ifc job done").map((l) => l.wasm_heap_bytes as number);
  expect(heaps).toHaveLength(REQUESTS);
  expect(heaps[REQUESTS - 1]).toBe(heaps[WARM - 1]);
  expect(rss[REQUESTS - 1]! - rss[WARM - 1]!).toBeLessThan(RSS_TOLERANCE_MB);
}, 60_000);
