import { parse } from "yaml";
import { LOGSTASH_PASSWORD_ENV, LOGSTASH_TAGS, logstashWorkload, renderLogstashPipeline, renderLogstashYml } from "./logstash";

/*
 * Logstash is not installable here, so its own config check (`bin/logstash -t`) cannot run;
 * these tests check the rendered text's structure. To run the real check where Docker is:
 *   docker run --rm -v "$PWD/logstash.conf:/p.conf:ro" -e LOGSTASH_WRITER_PASSWORD=x \
 *     docker.elastic.co/logstash/logstash:<version> logstash -t -f /p.conf
 */

interface Block {
  name: string;
  body: string;
}

/**
 * Top-level `name { … }` blocks of a Logstash config, after checking that braces and brackets
 * balance outside strings, comments and regex literals. Throws on unbalanced input.
 */
function topLevelBlocks(config: string): Block[] {
  const blocks: Block[] = [];
  const stack: string[] = [];
  let start = -1;
  let name = "";
  for (let i = 0; i < config.length; i++) {
    const c = config[i];
    if (c === "#") {
      while (i < config.length && config[i] !== "\n") i++;
    } else if (c === '"' || c === "'") {
      for (i++; i < config.length && config[i] !== c; i++) if (config[i] === "\\") i++;
      if (i >= config.length) throw new Error("unterminated string");
    } else if (c === "/" && /[=!]~\s*$/.test(config.slice(Math.max(0, i - 8), i))) {
      for (i++; i < config.length && config[i] !== "/"; i++) if (config[i] === "\\") i++;
      if (i >= config.length) throw new Error("unterminated regex");
    } else if (c === "{" || c === "[") {
      if (stack.length === 0 && c === "{") {
        name = /(\w+)\s*$/.exec(config.slice(0, i))?.[1] ?? "";
        start = i + 1;
      }
      stack.push(c);
    } else if (c === "}" || c === "]") {
      const open = stack.pop();
      if (open !== (c === "}" ? "{" : "[")) throw new Error(`unbalanced "${c}" at offset ${i}`);
      if (stack.length === 0 && c === "}") blocks.push({ name, body: config.slice(start, i) });
    }
  }
  if (stack.length) throw new Error(`unclosed "${stack.join("")}"`);
  return blocks;
}

const pipeline = renderLogstashPipeline({ caCertPath: "/usr/share/logstash/config/certs/ca.crt" });
const section = (name: string) => topLevelBlocks(pipeline).find((b) => b.name === name)!.body;
const collapse = (text: string) => text.replace(/\s+/g, " ");

describe("renderLogstashPipeline", () => {
  it("is balanced and has exactly input, filter and output, in that order", () => {
    expect(topLevelBlocks(pipeline).map((b) => b.name)).toEqual(["input", "filter", "output"]);
  });

  it("listens for Beats on port 5000", () => {
    expect(collapse(section("input"))).toMatch(/beats \{ id => "filebeat" port => 5000 \}/);
  });

  it("parses a JSON line from message into its own namespace, tagging invalid JSON", () => {
    const filter = collapse(section("filter"));
    expect(filter).toContain('if [message] =~ /^\\s*\\{/ { json {');
    expect(filter).toMatch(/json \{ id => "parse-json" source => "message" target => "\[abode\]" tag_on_failure => \["abode_json_invalid"\] \}/);
  });

  it("keeps a line that is not JSON: it is tagged, never dropped", () => {
    const filter = collapse(section("filter"));
    expect(filter).toMatch(/\} else \{ mutate \{ id => "tag-not-json" add_tag => \["abode_not_json"\] \} \}/);
    expect(pipeline).not.toMatch(/\bdrop\s*\{/);
    expect(LOGSTASH_TAGS.notJson).toBe("abode_not_json");
  });

  it("maps our pino fields to ECS: msg, trace_id, span_id, service", () => {
    const filter = collapse(section("filter"));
    for (const [from, to] of [
      ["[abode][msg]", "message"],
      ["[abode][trace_id]", "[trace][id]"],
      ["[abode][span_id]", "[span][id]"],
      ["[abode][service]", "[service][name]"],
    ]) {
      expect(filter).toContain(`"${from}" => "${to}"`);
    }
  });

  it("keeps the raw line in event.original, copied before message is replaced", () => {
    const filter = section("filter");
    const copy = filter.indexOf('copy => { "message" => "[event][original]" }');
    const rename = filter.indexOf('"[abode][msg]" => "message"');
    expect(copy).toBeGreaterThan(-1);
    expect(copy).toBeLessThan(rename);
    // Two separate mutate blocks: inside one, Logstash runs rename before copy.
    expect(filter.slice(copy, rename)).toMatch(/\}\s*mutate\s*\{/);
  });

  it("turns pino's level (label or number) into log.level", () => {
    const filter = collapse(section("filter"));
    expect(filter).toContain('source => "[abode][level]" target => "[log][level]"');
    expect(filter).toContain('"30" => "info"');
    expect(filter).toContain('"50" => "error"');
    expect(filter).toContain('fallback => "%{[abode][level]}"');
  });

  it("sets @timestamp from time (ISO 8601 or epoch ms), tagging a time it cannot read", () => {
    const filter = collapse(section("filter"));
    expect(filter).toMatch(/date \{ id => "log-time" match => \["\[abode\]\[time\]", "ISO8601", "UNIX_MS"\] target => "@timestamp"/);
    expect(filter).toContain(`tag_on_failure => ["${LOGSTASH_TAGS.invalidTime}"]`);
  });

  it("writes to Elasticsearch over verified HTTPS as logstash_writer, password by environment reference", () => {
    const output = collapse(section("output"));
    expect(output).toContain('hosts => ["https://elasticsearch:9200"]');
    expect(output).toContain("ssl_enabled => true");
    expect(output).toContain('ssl_certificate_authorities => ["/usr/share/logstash/config/certs/ca.crt"]');
    expect(output).toContain('ssl_verification_mode => "full"');
    expect(output).toContain('user => "logstash_writer"');
    expect(output).toContain('password => "${LOGSTASH_WRITER_PASSWORD}"');
  });

  it("appends to daily abode-logs indices and manages no template (the setup job does)", () => {
    const output = collapse(section("output"));
    expect(output).toContain('index => "abode-logs-%{+YYYY.MM.dd}"');
    expect(output).toContain('action => "create"');
    expect(output).toContain("manage_template => false");
    expect(output).toContain("ilm_enabled => false");
    expect(output).toContain("data_stream => false");
  });

  it("refuses a password reference that is not an environment variable name", () => {
    expect(() => renderLogstashPipeline({ passwordEnv: "secret}\" hack" })).toThrow(/environment variable name/);
  });
});

describe("logstashWorkload", () => {
  const spec = logstashWorkload({ logstashWriterPassword: "sentinel-logstash-pw", caCertPem: "CA PEM" });
  const file = (path: string) => spec.configFiles.find((f) => f.path === path);

  it("exposes beats 5000 and api 9600", () => {
    expect(spec.ports).toEqual([
      { name: "beats", containerPort: 5000 },
      { name: "api", containerPort: 9600 },
    ]);
  });

  it("binds the API on all interfaces and turns legacy monitoring off", () => {
    const yml = parse(renderLogstashYml());
    expect(yml["api.http.host"]).toBe("0.0.0.0");
    expect(yml["api.http.port"]).toBe(9600);
    expect(yml["xpack.monitoring.enabled"]).toBe(false);
    expect(file("/usr/share/logstash/config/logstash.yml")?.content).toBe(renderLogstashYml());
  });

  it("runs exactly our pipeline file, which trusts the CA file it mounts", () => {
    const pipelines = parse(String(file("/usr/share/logstash/config/pipelines.yml")!.content));
    expect(pipelines).toHaveLength(1);
    const conf = String(file(pipelines[0]["path.config"])!.content);
    const ca = /ssl_certificate_authorities => \["([^"]+)"\]/.exec(conf)![1];
    expect(file(ca)?.content).toBe("CA PEM");
  });

  it("has the password only in its environment, under the name the pipeline refers to", () => {
    expect(spec.env[LOGSTASH_PASSWORD_ENV]).toBe("sentinel-logstash-pw");
    for (const f of spec.configFiles) expect(String(f.content)).not.toContain("sentinel-logstash-pw");
    for (const f of spec.configFiles) for (const [, name] of String(f.content).matchAll(/\$\{(\w+)\}/g)) expect(spec.env[name]).toBeDefined();
  });

  it("sets no environment variable the image's entrypoint would write into the read-only logstash.yml", () => {
    // docker-entrypoint's env2yaml matches names case-insensitively without dots and underscores.
    const squash = (s: string) => s.toLowerCase().replace(/[._]/g, "");
    const settings = ["api.http.host", "api.http.port", "path.data", "path.config", "pipeline.workers", "log.level", "xpack.monitoring.enabled", "http.host"];
    for (const name of Object.keys(spec.env)) expect(settings.map(squash)).not.toContain(squash(name));
  });

  it("sizes the heap at half the memory limit", () => {
    expect(spec.env.LS_JAVA_OPTS).toBe("-Xms768m -Xmx768m");
  });

  it("runs as uid 1000 on a read-only root filesystem with its data directory as scratch", () => {
    expect(spec.security).toMatchObject({ runAsUser: 1000, runAsGroup: 1000, readOnlyRootFilesystem: true });
    expect(spec.security.writablePaths).toContain("/usr/share/logstash/data");
  });

  it("probes the node API on 9600", () => {
    expect(spec.health.http).toEqual({ port: 9600, path: "/" });
    expect(spec.health.command).toContain("http://127.0.0.1:9600/");
  });
});
