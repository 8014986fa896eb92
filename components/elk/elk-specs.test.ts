import { parse } from "yaml";
import type { WorkloadSpec } from "../workload/spec";
import { ELASTIC_STACK_VERSION, elasticImage } from "./elastic-stack";
import { elasticsearchWorkload } from "./elasticsearch";
import { filebeatWorkload } from "./filebeat";
import { kibanaWorkload } from "./kibana";
import { logstashWorkload } from "./logstash";
import { specProblems } from "../workload/validate";
import { elkSetupJob } from "./setup";

/** Every secret the ELK specs take, as recognisable sentinels. */
const SECRETS = {
  elastic: "sentinel-elastic-0f3a",
  kibanaSystem: "sentinel-kibana-system-7c21",
  logstashWriter: "sentinel-logstash-writer-9b4e",
  grafanaReader: "sentinel-grafana-reader-3e8d",
  encryptionKey: "sentinel-encryption-key-5d6e-0123456789abcdef",
  nodeKey: "-----BEGIN EC PRIVATE KEY----- sentinel-node-key",
};
/** Where each secret may appear: only these environment variables. */
const ALLOWED_ENV: Record<string, Record<string, string>> = {
  elasticsearch: { ELASTIC_PASSWORD: SECRETS.elastic },
  "elk-setup": {
    ELASTIC_PASSWORD: SECRETS.elastic,
    KIBANA_SYSTEM_PASSWORD: SECRETS.kibanaSystem,
    LOGSTASH_WRITER_PASSWORD: SECRETS.logstashWriter,
    GRAFANA_READER_PASSWORD: SECRETS.grafanaReader,
  },
  kibana: { KIBANA_SYSTEM_PASSWORD: SECRETS.kibanaSystem, KIBANA_ENCRYPTION_KEY: SECRETS.encryptionKey },
  logstash: { LOGSTASH_WRITER_PASSWORD: SECRETS.logstashWriter },
  filebeat: {},
};

function elkSpecs(): WorkloadSpec[] {
  const tls = { caCertPem: "CA CERT", certPem: "NODE CERT", keyPem: SECRETS.nodeKey };
  return [
    elasticsearchWorkload({ elasticPassword: SECRETS.elastic, tls }),
    elkSetupJob({
      image: elasticImage("elasticsearch"),
      elasticPassword: SECRETS.elastic,
      kibanaSystemPassword: SECRETS.kibanaSystem,
      logstashWriterPassword: SECRETS.logstashWriter,
      grafanaReaderPassword: SECRETS.grafanaReader,
      caCertPem: tls.caCertPem,
    }),
    kibanaWorkload({ kibanaSystemPassword: SECRETS.kibanaSystem, encryptionKey: SECRETS.encryptionKey, caCertPem: tls.caCertPem, publicBaseUrl: "http://127.0.0.1:5601" }),
    logstashWorkload({ logstashWriterPassword: SECRETS.logstashWriter, caCertPem: tls.caCertPem }),
    filebeatWorkload(),
    filebeatWorkload({ target: "kubernetes" }),
  ];
}

describe.each(elkSpecs().map((spec) => [spec.name, spec] as const))("%s", (name, spec) => {
  it("passes the spec validator and its security baseline (Filebeat's root reason is in its spec)", () => {
    expect(specProblems(spec)).toEqual([]);
  });

  it("runs the official image pinned to the one stack version", () => {
    expect(spec.image.kind).toBe("pinned");
    expect(spec.image.repository).toMatch(/^docker\.elastic\.co\//);
    expect(spec.image.tag).toBe(ELASTIC_STACK_VERSION);
    expect(spec.component).toBe("logging");
  });

  it("has secrets only in the environment variables meant for them", () => {
    const allowed = ALLOWED_ENV[name];
    for (const [key, value] of Object.entries(spec.env)) {
      if (key in allowed) expect(value).toBe(allowed[key]);
      else for (const secret of Object.values(SECRETS)) expect(String(value)).not.toContain(secret);
    }
    for (const key of Object.keys(allowed)) expect(spec.env[key]).toBe(allowed[key]);
    const visible = JSON.stringify([spec.command, spec.args, spec.health, spec.ports, spec.volumes, spec.hostPaths]);
    for (const secret of Object.values(SECRETS)) expect(visible).not.toContain(secret);
  });

  it("writes no password into any file, and marks the one file holding a key as secret", () => {
    for (const file of spec.configFiles) {
      const content = String(file.content);
      for (const secret of [SECRETS.elastic, SECRETS.kibanaSystem, SECRETS.logstashWriter, SECRETS.grafanaReader, SECRETS.encryptionKey]) expect(content).not.toContain(secret);
      expect(Boolean(file.secret)).toBe(content === SECRETS.nodeKey);
    }
  });

  it("renders YAML files that parse and use no anchors or aliases", () => {
    for (const file of spec.configFiles.filter((f) => /\.ya?ml$/.test(f.path))) {
      const content = String(file.content);
      expect(() => parse(content)).not.toThrow();
      expect(content).not.toMatch(/(:|-)\s+[&*][A-Za-z0-9]+\s*$/m);
    }
  });

  it("has sensible limits", () => {
    expect(spec.resources.cpu).toBeGreaterThan(0);
    expect(spec.resources.cpu).toBeLessThanOrEqual(4);
    expect(spec.resources.memoryMiB).toBeGreaterThanOrEqual(128);
    expect(spec.resources.memoryMiB).toBeLessThanOrEqual(8192);
  });
});

describe("the ELK specs together", () => {
  it("depend only on each other, in an order that can start", () => {
    const specs = elkSpecs().slice(0, 5);
    const names = new Set(specs.map((s) => s.name));
    for (const spec of specs) for (const dep of spec.dependsOn) expect(names).toContain(dep);
    expect(specs.find((s) => s.name === "elasticsearch")?.dependsOn).toEqual([]);
  });
});
