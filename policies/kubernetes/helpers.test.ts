import { hasValidDigest, imageAllowedBy, parseImage, registryMatches } from "./images";
import { selectorMatches, words } from "./pods";
import { parseQuantity } from "./quantity";

test.each([
  ["500m", 0.5],
  ["1.5", 1.5],
  ["1", 1],
  [2, 2],
  ["512Mi", 512 * 2 ** 20],
  ["2Gi", 2 * 2 ** 30],
  ["1e3", 1000],
  ["1E3", 1000],
  ["2.5e-3", 0.0025],
  ["100k", 100_000],
  ["1M", 1e6],
  ["1E", 1e18],
  ["250u", 250e-6],
  [".5", 0.5],
])("parseQuantity(%p) = %p", (input, expected) => {
  expect(parseQuantity(input)).toBeCloseTo(expected as number, 12);
});

test.each(["", "lots", "1.5.2", "512MB", "Mi", "1ki", "--1", null, {}])("parseQuantity(%p) is not a quantity", (input) => {
  expect(parseQuantity(input)).toBeUndefined();
});

test.each([
  ["busybox", { registry: "docker.io", path: "library/busybox" }],
  ["grafana/grafana:11.2.0", { registry: "docker.io", path: "grafana/grafana", tag: "11.2.0" }],
  ["localhost:5000/a/b:1", { registry: "localhost:5000", path: "a/b", tag: "1" }],
  ["index.docker.io/library/redis@sha256:abc", { registry: "docker.io", path: "library/redis", digest: "sha256:abc" }],
  ["123.dkr.ecr.eu-west-1.amazonaws.com/search:1.2.3", { registry: "123.dkr.ecr.eu-west-1.amazonaws.com", path: "search", tag: "1.2.3" }],
])("parseImage(%p)", (image, expected) => {
  expect(parseImage(image)).toEqual(expected);
});

test("digests, registry globs and allow-list entries", () => {
  expect(hasValidDigest(parseImage(`a:1@sha256:${"0".repeat(64)}`))).toBe(true);
  expect(hasValidDigest(parseImage("a:1@sha256:nothex"))).toBe(false);
  expect(registryMatches("*.dkr.ecr.*.amazonaws.com", "123.dkr.ecr.eu-west-1.amazonaws.com")).toBe(true);
  expect(registryMatches("*.dkr.ecr.*.amazonaws.com", "evil.com")).toBe(false);
  expect(imageAllowedBy("docker.io/grafana", parseImage("grafana/loki:3"))).toBe(true);
  expect(imageAllowedBy("docker.io/grafana", parseImage("grafanafake/loki:3"))).toBe(false);
  expect(imageAllowedBy("docker.io/ollama/ollama", parseImage("ollama/ollama:0.12"))).toBe(true);
  expect(imageAllowedBy("docker.io/ollama/ollama", parseImage("ollama/other:0.12"))).toBe(false);
  expect(imageAllowedBy("docker.elastic.co", parseImage("docker.elastic.co/beats/filebeat:8"))).toBe(true);
});

test("label selectors", () => {
  const labels = { app: "api", tier: "web" };
  expect(selectorMatches({}, labels)).toBe(true);
  expect(selectorMatches(undefined, labels)).toBe(false);
  expect(selectorMatches({ matchLabels: { app: "api" }, matchExpressions: [{ key: "tier", operator: "In", values: ["web"] }] }, labels)).toBe(true);
  expect(selectorMatches({ matchExpressions: [{ key: "tier", operator: "NotIn", values: ["web"] }] }, labels)).toBe(false);
  expect(selectorMatches({ matchExpressions: [{ key: "canary", operator: "DoesNotExist" }] }, labels)).toBe(true);
  expect(selectorMatches({ matchExpressions: [{ key: "canary", operator: "Exists" }] }, labels)).toBe(false);
});

test("words", () => {
  expect(words("DB_PASSWORD2")).toEqual(["db", "password"]);
  expect(words("openaiApiKey")).toEqual(["openai", "api", "key"]);
  expect(words("tls.key")).toEqual(["tls", "key"]);
});
