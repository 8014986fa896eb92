// `npm run bench` (audit): the offline audit of 1,000 generated manifests and of the whole prod
// stack, each next to a floor measured in the same run: for manifests, reading and YAML-parsing
// the same files; for the stack, evaluating the program and YAML-parsing as many objects as it
// captured (the audit's own work on top is running the policies). Median of BENCH_RUNS runs.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const runs = Number(process.env.BENCH_RUNS ?? 5);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const dir = mkdtempSync(join(tmpdir(), "abode-audit-bench-"));

// 1,000 manifests: Deployments, Services and ConfigMaps, a third of them with violations.
const deployment = (i) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: app-${i}, namespace: ns-${i % 7}, labels: {app: app-${i}}}
spec:
  replicas: ${i % 3 === 0 ? 1 : 2}
  selector: {matchLabels: {app: app-${i}}}
  template:
    metadata: {labels: {app: app-${i}}}
    spec:
      automountServiceAccountToken: false
      serviceAccountName: app-${i}
      securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
      containers:
      - name: app
        image: ${i % 5 === 0 ? "nginx:latest" : `registry.example.com/app@sha256:${"a".repeat(64)}`}
        ports: [{containerPort: 8080}]
        securityContext: {allowPrivilegeEscalation: ${i % 4 === 0}, readOnlyRootFilesystem: true, capabilities: {drop: [ALL]}, privileged: ${i % 11 === 0}}
        resources: {requests: {cpu: 100m, memory: 128Mi}, limits: {cpu: 500m, memory: 256Mi}}
        livenessProbe: {httpGet: {path: /healthz, port: 8080}}
        readinessProbe: {httpGet: {path: /readyz, port: 8080}}
${i % 6 === 0 ? "      hostNetwork: true\n" : ""}`;
const service = (i) => `apiVersion: v1
kind: Service
metadata: {name: app-${i}, namespace: ns-${i % 7}}
spec: {type: ${i % 9 === 0 ? "NodePort" : "ClusterIP"}, selector: {app: app-${i}}, ports: [{port: 80, targetPort: 8080}]}
`;
const configMap = (i) => `apiVersion: v1
kind: ConfigMap
metadata: {name: app-${i}, namespace: ns-${i % 7}}
data: {LOG_LEVEL: info, ${i % 8 === 0 ? "DB_PASSWORD: hunter2" : "FEATURE: on"}}
`;
for (let i = 0; i < 1000; i++) writeFileSync(join(dir, `m-${String(i).padStart(4, "0")}.yaml`), [deployment, service, configMap][i % 3](i));

const node = (args) => {
  const started = process.hrtime.bigint();
  let out = "";
  try {
    out = execFileSync(process.execPath, args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (e) {
    if (e.status !== 1) throw e; // 1 = mandatory violations, expected
    out = e.stdout;
  }
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, out };
};
const floorScript = join(dir, "floor.cjs");
writeFileSync(
  floorScript,
  `const fs = require("node:fs"); const path = require("node:path"); const { parseAllDocuments, parse } = require(${JSON.stringify(join(root, "node_modules", "yaml"))});
const [mode, arg] = process.argv.slice(2);
if (mode === "files") { let n = 0; for (const f of fs.readdirSync(arg).filter((f) => f.endsWith(".yaml")).sort()) for (const d of parseAllDocuments(fs.readFileSync(path.join(arg, f), "utf8"))) if (d.toJS()) n++; console.log(n); }
`,
);
const stackFloorScript = join(dir, "stack-floor.ts");
writeFileSync(
  stackFloorScript,
  `const { stringify, parse } = require(${JSON.stringify(join(root, "node_modules", "yaml"))});
const { evaluateStackProgram } = require(${JSON.stringify(join(root, "policies", "audit", "evaluate.ts"))});
// The floor for the stack: evaluate it (as the audit must), then YAML round-trip every captured object once.
evaluateStackProgram("prod").then((e) => { let n = 0; for (const r of e.resources) if (parse(stringify(r.props ?? {}))) n++; console.log(n); });
`,
);

const swc = ["-r", "@swc-node/register"];
const rows = { manifestFloor: [], manifestAudit: [], stackFloor: [], stackAudit: [] };
node([...swc, "policies/audit/cli.ts", "--stack", "prod"]); // warm caches
for (let i = 0; i < runs; i++) {
  const check = (r, what) => {
    if (!/\S/.test(r.out)) throw new Error(`${what} printed nothing`);
    return r.ms;
  };
  rows.manifestFloor.push(check(node([floorScript, "files", dir]), "the manifest floor"));
  rows.manifestAudit.push(check(node([...swc, "policies/audit/cli.ts", dir, "--json", join(dir, "out.json")]), "the manifest audit"));
  rows.stackFloor.push(check(node([...swc, stackFloorScript]), "the stack floor"));
  rows.stackAudit.push(check(node([...swc, "policies/audit/cli.ts", "--stack", "prod"]), "the stack audit"));
}
const m = Object.fromEntries(Object.entries(rows).map(([k, v]) => [k, median(v)]));
const row = (label, ms, base) => console.log(`  ${label.padEnd(70)} ${ms.toFixed(0).padStart(6)} ms  ${(ms / base).toFixed(2)}×`);
console.log(`offline audit: median of ${runs} runs, ms from process start`);
row("floor: read + YAML-parse the 1,000 generated manifests", m.manifestFloor, m.manifestFloor);
row("audit of the 1,000 manifests (every Kubernetes policy, table + JSON)", m.manifestAudit, m.manifestFloor);
row("floor: evaluate the prod stack + YAML round-trip each captured object", m.stackFloor, m.stackFloor);
row("audit of the whole prod stack (every pack)", m.stackAudit, m.stackFloor);
console.log("  goal: each audit ≤ 2× its floor\n");
rmSync(dir, { recursive: true, force: true });
