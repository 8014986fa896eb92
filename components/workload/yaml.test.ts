import { toYaml } from "../workload/yaml";

describe("toYaml", () => {
  it("never folds long lines, so PromQL and PEM survive verbatim", () => {
    const expr = `sum(rate(http_requests_total{job="x"}[5m])) ${"and on() vector(1) ".repeat(10)}`.trim();
    expect(toYaml({ expr })).toBe(`expr: ${expr}\n`);
  });

  it("writes shared objects in full, without anchors or aliases", () => {
    const shared = ["memory_limiter", "batch"];
    const out = toYaml({ a: shared, b: shared });
    expect(out).not.toMatch(/[&*]a1/);
    expect(out.match(/memory_limiter/g)).toHaveLength(2);
  });

  it("names its renderer in a header when asked", () => {
    expect(toYaml({ a: 1 }, "components/elk/kibana.ts")).toBe("# Rendered by components/elk/kibana.ts. Do not edit in the container.\na: 1\n");
  });
});
