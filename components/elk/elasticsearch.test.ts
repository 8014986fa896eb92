import * as fs from "node:fs";
import { parse } from "yaml";
import { ELASTIC_STACK_VERSION } from "./elastic-stack";
import { ES_CA_PATH, ES_CONFIG_DIR, elasticsearchHealthCommand, elasticsearchWorkload, renderElasticsearchYml, renderJvmOptions } from "./elasticsearch";
import { makeTestPki, runBash, startFakeHttpsServer, type TestPki } from "./test-helpers";

const TLS = { caCertPem: "CA PEM", certPem: "CERT PEM", keyPem: "KEY PEM" };
const spec = (overrides: Partial<Parameters<typeof elasticsearchWorkload>[0]> = {}) =>
  elasticsearchWorkload({ elasticPassword: "sentinel-elastic-pw", tls: TLS, ...overrides });
const file = (path: string) => spec().configFiles.find((f) => f.path === path);

describe("renderElasticsearchYml", () => {
  const yml = parse(renderElasticsearchYml());

  it("turns security on, never off", () => {
    expect(yml["xpack.security.enabled"]).toBe(true);
    expect(JSON.stringify(yml)).not.toMatch(/"xpack\.security\.enabled":false/);
    expect(yml["xpack.security.authc.anonymous.roles"]).toBeUndefined();
  });

  it.each(["http", "transport"])("serves TLS on the %s layer with our key, certificate and CA", (layer) => {
    const prefix = `xpack.security.${layer}.ssl.`;
    expect(yml[`${prefix}enabled`]).toBe(true);
    expect(yml[`${prefix}key`]).toBe("certs/elasticsearch.key");
    expect(yml[`${prefix}certificate`]).toBe("certs/elasticsearch.crt");
    expect(yml[`${prefix}certificate_authorities`]).toEqual(["certs/ca.crt"]);
  });

  it("authenticates nodes to each other with certificates on transport", () => {
    expect(yml["xpack.security.transport.ssl.client_authentication"]).toBe("required");
    expect(yml["xpack.security.transport.ssl.verification_mode"]).toBe("certificate");
  });

  it("runs one node that elects itself", () => {
    expect(yml["discovery.type"]).toBe("single-node");
    expect(yml["cluster.initial_master_nodes"]).toBeUndefined();
  });
});

describe("elasticsearchWorkload", () => {
  it("pins the official image to the stack version", () => {
    expect(spec().image).toEqual({ kind: "pinned", repository: "docker.elastic.co/elasticsearch/elasticsearch", tag: ELASTIC_STACK_VERSION });
    expect(spec().version).toBe(ELASTIC_STACK_VERSION);
  });

  it("exposes http 9200 and transport 9300 and keeps data on a volume", () => {
    expect(spec().ports).toEqual([
      { name: "http", containerPort: 9200 },
      { name: "transport", containerPort: 9300 },
    ]);
    expect(spec().volumes).toEqual([{ name: "data", mountPath: "/usr/share/elasticsearch/data", sizeGiB: 20 }]);
  });

  it("mounts every TLS file elasticsearch.yml names, the key as a secret", () => {
    const yml = parse(renderElasticsearchYml());
    for (const layer of ["http", "transport"]) {
      for (const key of ["key", "certificate"]) expect(file(`${ES_CONFIG_DIR}/${yml[`xpack.security.${layer}.ssl.${key}`]}`)).toBeDefined();
      expect(file(`${ES_CONFIG_DIR}/${yml[`xpack.security.${layer}.ssl.certificate_authorities`][0]}`)?.content).toBe("CA PEM");
    }
    expect(file(`${ES_CONFIG_DIR}/certs/elasticsearch.key`)).toMatchObject({ content: "KEY PEM", secret: true });
    expect(file(`${ES_CONFIG_DIR}/certs/elasticsearch.crt`)?.secret).toBeFalsy();
  });

  it("renders every file the scratch config directory hides from the image", () => {
    expect(spec().security.writablePaths).toContain(ES_CONFIG_DIR);
    for (const name of ["elasticsearch.yml", "jvm.options", "log4j2.properties"]) expect(file(`${ES_CONFIG_DIR}/${name}`)).toBeDefined();
    expect(renderJvmOptions()).toContain("-Djava.io.tmpdir=${ES_TMPDIR}");
    // The heap comes from ES_JAVA_OPTS only, so one place decides it.
    expect(renderJvmOptions()).not.toMatch(/-Xm[sx]/);
  });

  it("takes the elastic password from its input, as an environment variable only", () => {
    expect(spec().env.ELASTIC_PASSWORD).toBe("sentinel-elastic-pw");
    for (const f of spec().configFiles) expect(String(f.content)).not.toContain("sentinel-elastic-pw");
    expect(JSON.stringify(spec().health)).not.toContain("sentinel-elastic-pw");
  });

  it.each([
    [2048, "-Xms1024m -Xmx1024m"],
    [4096, "-Xms2048m -Xmx2048m"],
    [3000, "-Xms1500m -Xmx1500m"],
  ])("sizes the heap at half of a %i MiB limit", (memoryMiB, opts) => {
    expect(spec({ resources: { cpu: 2, memoryMiB } }).env.ES_JAVA_OPTS).toBe(opts);
  });

  it("refuses a memory limit the node cannot start in", () => {
    expect(() => spec({ resources: { cpu: 1, memoryMiB: 512 } })).toThrow(/512 MiB is below the 1024 MiB/);
  });

  it("runs as the image's uid 1000 on a read-only root filesystem without added capabilities", () => {
    expect(spec().security).toMatchObject({ runAsUser: 1000, runAsGroup: 1000, readOnlyRootFilesystem: true });
    expect(spec().security.addCapabilities ?? []).toEqual([]);
  });
});

describe("the Elasticsearch health check, run for real against a stand-in server", () => {
  let pki: TestPki;
  beforeAll(() => {
    pki = makeTestPki();
  });
  afterAll(() => fs.rmSync(pki.dir, { recursive: true, force: true }));

  /** The rendered probe, pointed at the stand-in's port and CA instead of the container's. */
  async function probe(status: number, ca = pki.caCertPath) {
    const server = await startFakeHttpsServer(pki, () => ({ status, body: {} }));
    try {
      const [, shell, flag, script] = elasticsearchHealthCommand();
      const local = script.replace(ES_CA_PATH, ca).replace("https://localhost:9200/", `${server.url}/`);
      expect(local).not.toBe(script);
      return { run: await runBash([flag, local], {}), requests: server.requests, shell };
    } finally {
      await server.close();
    }
  }

  it("is healthy when an anonymous request over verified TLS is refused with 401", async () => {
    const { run, requests, shell } = await probe(401);
    expect(shell).toBe("/bin/bash");
    expect(run.code).toBe(0);
    expect(requests).toHaveLength(1);
    expect(requests[0].authorization).toBeUndefined();
  });

  it("is unhealthy when the node answers without asking for credentials (security off)", async () => {
    expect((await probe(200)).run.code).not.toBe(0);
  });

  it("is unhealthy when the certificate does not chain to our CA", async () => {
    const other = makeTestPki();
    try {
      expect((await probe(401, other.caCertPath)).run.code).not.toBe(0);
    } finally {
      fs.rmSync(other.dir, { recursive: true, force: true });
    }
  });
});
