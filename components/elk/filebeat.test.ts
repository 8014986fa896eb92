import { parse } from "yaml";
import { WORKLOAD_LOG_LABEL } from "../workload/docker";
import { DOCKER_WORKLOAD_FIELD, FILEBEAT_ROOT_REASON, filebeatHostPaths, filebeatWorkload, renderFilebeatConfig } from "./filebeat";

/** The docker-target input's processors by name, in order. */
const dockerInput = () => parse(renderFilebeatConfig({ target: "docker" }))["filebeat.inputs"][0];
const processor = (name: string) => dockerInput().processors.find((p: Record<string, unknown>) => name in p)?.[name];

describe("renderFilebeatConfig", () => {
  it("ships to Logstash on logstash:5000", () => {
    const config = parse(renderFilebeatConfig());
    expect(config["output.logstash"]).toEqual({ hosts: ["logstash:5000"] });
    expect(Object.keys(config).filter((k) => k.startsWith("output."))).toEqual(["output.logstash"]);
  });

  it("reads Docker's json-file container logs in dev without the Docker socket or add_docker_metadata", () => {
    const rendered = renderFilebeatConfig({ target: "docker" });
    const input = dockerInput();
    expect(input.type).toBe("filestream");
    expect(input.id).toBeTruthy();
    expect(input.paths).toEqual(["/var/lib/docker/containers/*/*-json.log"]);
    expect(rendered).not.toMatch(/docker\.sock/);
    expect(rendered).not.toMatch(/add_docker_metadata|unix:\/\//);
    expect(renderFilebeatConfig()).toBe(rendered); // docker is the default target
  });

  it("decodes the json-file envelope: the line the container wrote becomes the message", () => {
    // {"log":"…\n","stream":"stdout","attrs":{"abode_workload":"grafana"},"time":"…"} decoded under docker.*,
    // so its `log` string cannot clobber Filebeat's log.offset / log.file.path.
    expect(dockerInput().parsers).toEqual([{ ndjson: { target: "docker", message_key: "log", add_error_key: true } }]);
    // …and Docker's trailing newline is cut, as the container parser did, for Logstash's `^\s*\{` test and readers.
    const [replace] = processor("replace").fields;
    expect(replace.field).toBe("message");
    const pattern = new RegExp(replace.pattern);
    expect('{"msg":"hi"}\n'.replace(pattern, replace.replacement)).toBe('{"msg":"hi"}');
    expect("plain line\r\n".replace(pattern, replace.replacement)).toBe("plain line");
    expect("a\nb".replace(pattern, replace.replacement)).toBe("a\nb");
  });

  it("drops, first of all, every line without the workload label the Docker renderer sets", () => {
    expect(DOCKER_WORKLOAD_FIELD).toBe(`docker.attrs.${WORKLOAD_LOG_LABEL}`);
    expect(WORKLOAD_LOG_LABEL).not.toContain("."); // a dotted key would not be one field
    expect(dockerInput().processors[0]).toEqual({ drop_event: { when: { not: { has_fields: ["docker.attrs.abode_workload"] } } } });
    // The old part-of filter needed container labels from the Docker API; no trace of it is left.
    expect(renderFilebeatConfig({ target: "docker" })).not.toContain("part-of");
  });

  it("names the workload as service.name, keeps the stream, and drops the rest of the envelope", () => {
    expect(processor("rename")).toMatchObject({
      fields: [
        { from: "docker.attrs.abode_workload", to: "service.name" },
        { from: "docker.stream", to: "stream" },
      ],
    });
    expect(processor("drop_fields")).toEqual({ fields: ["docker"], ignore_missing: true });
    const names = dockerInput().processors.map((p: Record<string, unknown>) => Object.keys(p)[0]);
    expect(names.indexOf("rename")).toBeLessThan(names.indexOf("drop_fields"));
  });

  it("keeps Docker's receive time as the event time", () => {
    const timestamp = processor("timestamp");
    expect(timestamp).toMatchObject({ field: "docker.time", ignore_missing: true });
    expect(timestamp.target_field).toBeUndefined(); // @timestamp
    expect(timestamp.layouts).toEqual(["2006-01-02T15:04:05.999999999Z07:00"]);
    // Filebeat parses the test values at load time, so a wrong layout fails at start, not silently.
    expect(timestamp.test).toEqual(expect.arrayContaining(["2024-05-01T12:34:56.123456789Z"]));
    // Quoted, so a YAML 1.1 loader reads strings, not timestamps.
    expect(renderFilebeatConfig()).toContain("- '2024-05-01T12:34:56.123456789Z'");
    const names = dockerInput().processors.map((p: Record<string, unknown>) => Object.keys(p)[0]);
    expect(names.indexOf("timestamp")).toBeLessThan(names.indexOf("drop_fields"));
  });

  it("reads the kubelet's log tree on a node, with Kubernetes metadata", () => {
    const [input] = parse(renderFilebeatConfig({ target: "kubernetes" }))["filebeat.inputs"];
    expect(input.paths).toEqual(["/var/log/containers/*.log"]);
    expect(input["prospector.scanner.symlinks"]).toBe(true);
    expect(Object.keys(input.processors[0])).toEqual(["add_kubernetes_metadata"]);
    expect(input.processors[1].drop_event.when.not.equals).toEqual({ "kubernetes.labels.app_kubernetes_io/part-of": "abode" });
  });

  it("serves the stats endpoint the health check uses", () => {
    const config = parse(renderFilebeatConfig());
    expect(config).toMatchObject({ "http.enabled": true, "http.port": 5066 });
  });
});

describe("filebeatWorkload", () => {
  const spec = filebeatWorkload();

  it("mounts exactly Docker's container log directory in dev, with its reason, and no socket", () => {
    expect(filebeatHostPaths("docker")).toEqual([
      { dockerHostPath: "/var/lib/docker/containers", nodeHostPath: "/var/lib/docker/containers", mountPath: "/var/lib/docker/containers", reason: expect.any(String) },
    ]);
    expect(spec.hostPaths).toEqual(filebeatHostPaths("docker"));
    for (const h of spec.hostPaths ?? []) expect(h.reason.length).toBeGreaterThan(20);
    expect(JSON.stringify(spec)).not.toContain("docker.sock");
    // The config reads exactly what is mounted.
    const config = parse(String(spec.configFiles[0].content));
    expect(config["filebeat.inputs"][0].paths[0].startsWith(spec.hostPaths![0].mountPath)).toBe(true);
  });

  it("mounts the kubelet log tree on a node", () => {
    expect(filebeatHostPaths("kubernetes").map((h) => h.nodeHostPath)).toEqual(["/var/log/containers", "/var/log/pods"]);
    expect(filebeatWorkload({ target: "kubernetes" }).hostPaths?.map((h) => h.mountPath)).toEqual(["/var/log/containers", "/var/log/pods"]);
  });

  it("runs as root only to read root-owned files, with its reason in the spec, no capability and a read-only root filesystem", () => {
    expect(spec.security).toMatchObject({ runAsUser: 0, rootReason: FILEBEAT_ROOT_REASON, readOnlyRootFilesystem: true, addCapabilities: [] });
    expect(filebeatWorkload({ target: "kubernetes" }).security.rootReason).toBe(FILEBEAT_ROOT_REASON);
    expect(FILEBEAT_ROOT_REASON).toMatch(/root-owned/);
    // The reason must not still claim the socket it no longer reads.
    expect(FILEBEAT_ROOT_REASON).not.toMatch(/reads[^;]*socket/i);
  });

  it("loads its rendered config explicitly and keeps its registry on a volume", () => {
    const path = spec.configFiles[0].path;
    expect(spec.args).toEqual(expect.arrayContaining(["-c", path, "--strict.perms=true"]));
    expect(spec.volumes).toEqual([{ name: "data", mountPath: "/usr/share/filebeat/data", sizeGiB: 1 }]);
  });

  it("starts after Logstash and probes its stats endpoint", () => {
    expect(spec.dependsOn).toEqual(["logstash"]);
    expect(spec.health.http).toEqual({ port: 5066, path: "/" });
    expect(spec.health.command).toContain("http://127.0.0.1:5066/");
  });
});
