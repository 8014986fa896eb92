import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { parse } from "yaml";
import { KIBANA_ENV, kibanaHealthCommand, kibanaWorkload, renderKibanaYml } from "./kibana";
import { runBash } from "./test-helpers";

const args = {
  kibanaSystemPassword: "sentinel-kibana-system-pw",
  encryptionKey: "sentinel-encryption-key-0123456789abcdef",
  caCertPem: "CA PEM",
  publicBaseUrl: "http://127.0.0.1:5601",
};
const spec = () => kibanaWorkload(args);
const kibanaYml = () => parse(String(spec().configFiles.find((f) => f.path === "/usr/share/kibana/config/kibana.yml")!.content));

describe("renderKibanaYml", () => {
  it("logs in to Elasticsearch as kibana_system, never as elastic", () => {
    const yml = kibanaYml();
    expect(yml["elasticsearch.username"]).toBe("kibana_system");
    expect(JSON.stringify(yml)).not.toMatch(/"elastic"/);
  });

  it("reaches Elasticsearch over HTTPS, verifying the certificate against our CA", () => {
    const yml = kibanaYml();
    expect(yml["elasticsearch.hosts"]).toEqual(["https://elasticsearch:9200"]);
    expect(yml["elasticsearch.ssl.verificationMode"]).toBe("full");
    const ca = yml["elasticsearch.ssl.certificateAuthorities"][0];
    expect(spec().configFiles.find((f) => f.path === ca)?.content).toBe("CA PEM");
  });

  it("refers to the password and the encryption keys by ${VAR}, each variable set in the environment", () => {
    const yml = kibanaYml();
    expect(yml["elasticsearch.password"]).toBe(`\${${KIBANA_ENV.systemPassword}}`);
    for (const key of ["xpack.security.encryptionKey", "xpack.encryptedSavedObjects.encryptionKey", "xpack.reporting.encryptionKey"]) {
      expect(yml[key]).toBe(`\${${KIBANA_ENV.encryptionKey}}`);
    }
    // Kibana refuses to start on a reference to an unset variable.
    const text = renderKibanaYml({ publicBaseUrl: args.publicBaseUrl });
    for (const [, name] of text.matchAll(/\$\{(\w+)\}/g)) expect(spec().env[name]).toBeDefined();
    expect(spec().env[KIBANA_ENV.systemPassword]).toBe(args.kibanaSystemPassword);
    expect(spec().env[KIBANA_ENV.encryptionKey]).toBe(args.encryptionKey);
  });

  it("keeps secrets off the names the image's entrypoint turns into command-line flags", () => {
    // kibana-docker maps e.g. ELASTICSEARCH_PASSWORD to --elasticsearch.password=… (visible in ps).
    for (const name of Object.keys(spec().env)) expect(name).not.toMatch(/^(ELASTICSEARCH_|XPACK_|SERVER_)/);
  });

  it("sets the public base URL and marks cookies Secure only behind HTTPS", () => {
    expect(kibanaYml()["server.publicBaseUrl"]).toBe("http://127.0.0.1:5601");
    expect(kibanaYml()["xpack.security.secureCookies"]).toBe(false);
    expect(parse(renderKibanaYml({ publicBaseUrl: "https://kibana.example.com" }))["xpack.security.secureCookies"]).toBe(true);
  });

  it.each(["kibana.example.com", "https://kibana.example.com/", "ftp://kibana"])("rejects the public base URL %s", (url) => {
    expect(() => renderKibanaYml({ publicBaseUrl: url })).toThrow(/publicBaseUrl/);
  });
});

describe("kibanaWorkload", () => {
  it("serves on 5601, after Elasticsearch and the setup job that sets its password", () => {
    expect(spec().ports).toEqual([{ name: "http", containerPort: 5601 }]);
    expect(spec().dependsOn).toEqual(["elasticsearch", "elk-setup"]);
  });

  it("holds no secret in any file or command", () => {
    for (const value of [args.kibanaSystemPassword, args.encryptionKey]) {
      for (const f of spec().configFiles) expect(String(f.content)).not.toContain(value);
      expect(JSON.stringify([spec().command, spec().args, spec().health])).not.toContain(value);
    }
  });

  it("probes /api/status", () => {
    expect(spec().health.http).toEqual({ port: 5601, path: "/api/status" });
    expect(spec().health.command.join(" ")).toContain("http://127.0.0.1:5601/api/status");
  });
});

describe("the Kibana health check, run for real against a stand-in /api/status", () => {
  async function probe(status: number, level: string) {
    const server = http.createServer((_req, res) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify({ status: { overall: { level } } }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const [, , flag, script] = kibanaHealthCommand();
      const local = script.replace("127.0.0.1:5601", `127.0.0.1:${(server.address() as AddressInfo).port}`);
      return (await runBash([flag, local], {})).code;
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  }

  it("is healthy when Kibana reports itself available", async () => {
    expect(await probe(200, "available")).toBe(0);
  });

  it.each([
    [200, "degraded"],
    [503, "unavailable"],
  ])("is unhealthy on HTTP %i with level %s", async (status, level) => {
    expect(await probe(status, level)).not.toBe(0);
  });
});
