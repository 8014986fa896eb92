import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { elasticImage } from "./elastic-stack";
import { SETUP_SCRIPT_PATH, elkSetupJob, logIndexTemplate, logRetentionPolicy, logsReaderRole, logstashWriterRole, renderSetupScript } from "./setup";
import { basicCredentials, makeTestPki, runBash, startFakeHttpsServer, type RecordedRequest, type Responder, type TestPki } from "./test-helpers";

// Deliberately awkward, to prove the quoting: JSON and curl-config metacharacters, shell ones.
const PASSWORDS = {
  ELASTIC_PASSWORD: 'el"astic\\pw$(touch /tmp/pwned)`x`&;',
  KIBANA_SYSTEM_PASSWORD: "kibana-system-pw'quote %s %n",
  LOGSTASH_WRITER_PASSWORD: "logstash writer pw:with:colons",
  GRAFANA_READER_PASSWORD: 'grafana\treader"pw\n{"roles":["superuser"]}',
};

const job = () =>
  elkSetupJob({
    image: elasticImage("elasticsearch"),
    elasticPassword: PASSWORDS.ELASTIC_PASSWORD,
    kibanaSystemPassword: PASSWORDS.KIBANA_SYSTEM_PASSWORD,
    logstashWriterPassword: PASSWORDS.LOGSTASH_WRITER_PASSWORD,
    grafanaReaderPassword: PASSWORDS.GRAFANA_READER_PASSWORD,
    caCertPem: "CA PEM",
  });

describe("the setup job's privileges and templates", () => {
  it("gives logstash_writer append-only access to the log indices and no more", () => {
    expect(logstashWriterRole()).toEqual({
      cluster: ["monitor"],
      indices: [{ names: ["abode-logs-*"], privileges: ["create_index", "create_doc"] }],
      metadata: { managed_by: "abode-elk-setup" },
    });
    const all = JSON.stringify(logstashWriterRole());
    for (const broad of ["all", "manage", "write", "delete", "index", "superuser"]) expect(all).not.toContain(`"${broad}"`);
  });

  it("gives logs_reader search and mappings of the log indices, monitor on the cluster, and no more", () => {
    expect(logsReaderRole()).toEqual({
      cluster: ["monitor"],
      indices: [{ names: ["abode-logs-*"], privileges: ["read", "view_index_metadata"] }],
      metadata: { managed_by: "abode-elk-setup" },
    });
    const all = JSON.stringify(logsReaderRole());
    for (const broad of ["all", "manage", "write", "create", "create_doc", "create_index", "index", "delete", "superuser"]) expect(all).not.toContain(`"${broad}"`);
  });

  it("templates the daily log indices with keyword ids, no replicas on one node and the retention policy", () => {
    const template = logIndexTemplate({ replicas: 0, policyName: "abode-logs-retention" });
    expect(template.index_patterns).toEqual(["abode-logs-*"]);
    expect(template.template.settings).toEqual({ number_of_shards: 1, number_of_replicas: 0, "index.lifecycle.name": "abode-logs-retention" });
    const props = template.template.mappings.properties;
    expect(props["@timestamp"].type).toBe("date");
    for (const field of [props.trace.properties.id, props.span.properties.id, props.log.properties.level, props.service.properties.name]) {
      expect(field.type).toBe("keyword");
    }
  });

  it("deletes log indices after the retention period", () => {
    expect(logRetentionPolicy(14).policy.phases.delete).toEqual({ min_age: "14d", actions: { delete: {} } });
    expect(() => logRetentionPolicy(0)).toThrow(/≥ 1/);
  });
});

describe("elkSetupJob", () => {
  it("is a job from the Elasticsearch image that runs the rendered script, after Elasticsearch", () => {
    const spec = job();
    expect(spec.kind).toBe("job");
    expect(spec.image).toEqual(elasticImage("elasticsearch"));
    expect(spec.command).toEqual(["/bin/bash", SETUP_SCRIPT_PATH]);
    expect(spec.args).toBeUndefined();
    expect(spec.dependsOn).toEqual(["elasticsearch"]);
    expect(spec.configFiles.find((f) => f.path === SETUP_SCRIPT_PATH)?.content).toBe(renderSetupScript());
  });

  it("passes the passwords only as environment variables, never in its command or files", () => {
    const spec = job();
    for (const [name, value] of Object.entries(PASSWORDS)) {
      expect(spec.env[name]).toBe(value);
      expect(JSON.stringify([spec.command, spec.args, spec.health])).not.toContain(value);
      for (const f of spec.configFiles) expect(String(f.content)).not.toContain(value);
    }
    // Nothing in the job is secret on disk, so no file needs restrictive modes.
    expect(spec.configFiles.every((f) => !f.secret)).toBe(true);
  });

  it("talks to Elasticsearch over HTTPS with the CA", () => {
    const spec = job();
    expect(spec.env.ELASTICSEARCH_URL).toBe("https://elasticsearch:9200");
    expect(spec.configFiles.find((f) => f.path === spec.env.CA_CERT)?.content).toBe("CA PEM");
  });
});

describe("the setup script, run for real with bash and curl against a stand-in Elasticsearch", () => {
  let pki: TestPki;
  beforeAll(() => {
    pki = makeTestPki();
  });
  afterAll(() => fs.rmSync(pki.dir, { recursive: true, force: true }));

  /** Answers like Elasticsearch: 401 without the elastic password, then the given per-path answers. */
  const elasticsearch =
    (overrides: (r: RecordedRequest) => { status: number; body: unknown } | undefined = () => undefined): Responder =>
    (r) => {
      if (basicCredentials(r.authorization) !== `elastic:${PASSWORDS.ELASTIC_PASSWORD}`) return { status: 401, body: { error: "missing authentication credentials" } };
      return overrides(r) ?? { status: 200, body: r.url === "/_security/_authenticate" ? { username: "elastic" } : { acknowledged: true } };
    };

  async function run(script: string, respond: Responder) {
    const server = await startFakeHttpsServer(pki, respond);
    const scriptPath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "abode-elk-setup-")), "setup.sh");
    fs.writeFileSync(scriptPath, script);
    try {
      const result = await runBash([scriptPath], { ...PASSWORDS, ELASTICSEARCH_URL: server.url, CA_CERT: pki.caCertPath });
      return { ...result, requests: server.requests };
    } finally {
      await server.close();
      fs.rmSync(path.dirname(scriptPath), { recursive: true, force: true });
    }
  }

  it("sets the kibana_system password, the writer role and user, retention and template, as elastic", async () => {
    let attempts = 0;
    const result = await run(
      renderSetupScript({ retryIntervalSeconds: 1 }),
      elasticsearch((r) => (r.url === "/_security/_authenticate" && ++attempts === 1 ? { status: 503, body: { error: "starting" } } : undefined)),
    );
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const calls = result.requests.map((r) => `${r.method} ${r.url}`);
    expect(calls).toEqual([
      "GET /_security/_authenticate",
      "GET /_security/_authenticate",
      "POST /_security/user/kibana_system/_password",
      "PUT /_security/role/logstash_writer",
      "PUT /_security/user/logstash_writer",
      "PUT /_security/role/logs_reader",
      "PUT /_security/user/grafana_reader",
      "PUT /_ilm/policy/abode-logs-retention",
      "PUT /_index_template/abode-logs",
    ]);
    for (const r of result.requests) expect(basicCredentials(r.authorization)).toBe(`elastic:${PASSWORDS.ELASTIC_PASSWORD}`);
    const body = (url: string) => JSON.parse(result.requests.find((r) => r.url === url)!.body);
    expect(body("/_security/user/kibana_system/_password")).toEqual({ password: PASSWORDS.KIBANA_SYSTEM_PASSWORD });
    expect(body("/_security/role/logstash_writer")).toEqual(logstashWriterRole());
    expect(body("/_security/user/logstash_writer")).toMatchObject({ password: PASSWORDS.LOGSTASH_WRITER_PASSWORD, roles: ["logstash_writer"] });
    expect(body("/_security/role/logs_reader")).toEqual(logsReaderRole());
    // The password's quote, tab, newline and JSON stay inside the string: the user gets exactly one role.
    expect(body("/_security/user/grafana_reader")).toEqual({ password: PASSWORDS.GRAFANA_READER_PASSWORD, roles: ["logs_reader"], full_name: "Grafana log reader" });
    expect(body("/_ilm/policy/abode-logs-retention")).toEqual(logRetentionPolicy(14));
    expect(body("/_index_template/abode-logs")).toEqual(logIndexTemplate({ replicas: 0, policyName: "abode-logs-retention" }));
  });

  it("never puts a password on a command line", async () => {
    const result = await run(renderSetupScript(), elasticsearch());
    expect(result.code).toBe(0);
    expect(result.curlArgv.length).toBeGreaterThanOrEqual(6);
    for (const argv of result.curlArgv) {
      for (const value of Object.values(PASSWORDS)) expect(argv.join(" ")).not.toContain(value);
      expect(argv).toEqual(expect.arrayContaining(["--cacert", pki.caCertPath]));
    }
    // The shell metacharacters in the password were data, never code.
    expect(fs.existsSync("/tmp/pwned")).toBe(false);
  });

  it("fails, showing Elasticsearch's answer, when a request is refused", async () => {
    const result = await run(
      renderSetupScript(),
      elasticsearch((r) => (r.url.startsWith("/_security/role/") ? { status: 403, body: { error: "action [cluster:admin/xpack/security/role/put] is unauthorized" } } : undefined)),
    );
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("PUT /_security/role/logstash_writer answered HTTP 403");
    expect(result.requests.map((r) => r.url)).not.toContain("/_security/user/logstash_writer");
  });

  it("gives up with a reason when Elasticsearch never accepts the elastic user", async () => {
    const result = await run(renderSetupScript({ waitSeconds: 2, retryIntervalSeconds: 1 }), () => ({ status: 401, body: { error: "unauthorized" } }));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/did not accept the elastic user within 2s/);
    expect(result.stderr).toContain("answered HTTP 401");
  });

  it("refuses to run without its inputs", async () => {
    const script = renderSetupScript();
    const server = await startFakeHttpsServer(pki, elasticsearch());
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "abode-elk-setup-"));
    try {
      fs.writeFileSync(path.join(dir, "setup.sh"), script);
      const { ELASTIC_PASSWORD: _omitted, ...rest } = PASSWORDS;
      const result = await runBash([path.join(dir, "setup.sh")], { ...rest, ELASTICSEARCH_URL: server.url, CA_CERT: pki.caCertPath });
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain("ELASTIC_PASSWORD");
      expect(server.requests).toHaveLength(0);
    } finally {
      await server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
