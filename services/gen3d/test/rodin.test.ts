/** The 3D generation service against a local Rodin that follows the documented API. */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { JPEG, PNG, WEBP, image, startGen3d } from "./helpers";
import { startRodin, type RodinServer } from "./rodin-server";
import { TaskStore } from "../src/tasks/store";

const KEY = "rodin-test-key";
let rodin: RodinServer;
beforeAll(async () => {
  rodin = await startRodin(KEY);
});
afterAll(() => rodin.close());
beforeEach(() => {
  rodin.received.length = 0;
});

test("POST /generate forwards prompt, images (in order, byte for byte) and options as Rodin's multipart, with the bearer key", async () => {
  const gen3d = await startGen3d({ apiKey: KEY, baseUrl: rodin.url });
  try {
    const { status, body } = await gen3d.call("POST", "/generate", {
      prompt: "  a timber garden pavilion  ",
      images: [image(PNG, "image/png"), image(JPEG, "image/jpeg"), image(WEBP, "image/webp")],
      tier: "Detail",
      geometryFormat: "usdz",
      material: "PBR",
      quality: "medium",
      seed: 42,
    });
    expect(status).toBe(200);
    expect(body.taskId).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.subscriptionKey).toMatch(/^sub-/);
    expect(body.jobs).toHaveLength(2);
    expect(body).toMatchObject({ statusUrl: `/tasks/${body.taskId}`, filesUrl: `/tasks/${body.taskId}/files` });

    expect(rodin.received).toHaveLength(1);
    const sent = rodin.received[0]!;
    expect(sent.path).toBe("/rodin");
    expect(sent.authorization).toBe(`Bearer ${KEY}`);
    expect(sent.contentType).toMatch(/^multipart\/form-data; boundary=/);
    const fields = sent.parts!.filter((p) => p.value !== undefined).map((p) => [p.name, p.value]);
    expect(fields).toEqual([
      ["prompt", "a timber garden pavilion"],
      ["tier", "Detail"],
      ["geometry_file_format", "usdz"],
      ["material", "PBR"],
      ["quality", "medium"],
      ["seed", "42"],
    ]);
    const files = sent.parts!.filter((p) => p.file);
    expect(files.map((p) => [p.name, p.file!.filename, p.file!.type])).toEqual([
      ["images", "image-1.png", "image/png"],
      ["images", "image-2.jpg", "image/jpeg"],
      ["images", "image-3.webp", "image/webp"],
    ]);
    expect(files.map((p) => p.file!.bytes.equals([PNG, JPEG, WEBP][files.indexOf(p)]!))).toEqual([true, true, true]);
  } finally {
    await gen3d.close();
  }
});

test("only the fields given are sent, so Rodin's defaults apply", async () => {
  const gen3d = await startGen3d({ apiKey: KEY, baseUrl: rodin.url });
  try {
    expect((await gen3d.call("POST", "/generate", { prompt: "a chair" })).status).toBe(200);
    expect(rodin.received[0]!.parts).toEqual([{ name: "prompt", value: "a chair" }]);
    expect((await gen3d.call("POST", "/generate", { images: [image(PNG, "image/png")] })).status).toBe(200);
    expect(rodin.received[1]!.parts!.map((p) => p.name)).toEqual(["images"]);
  } finally {
    await gen3d.close();
  }
});

test("GET /tasks/:id polls Rodin's /status with the task's subscription key: Waiting → Generating → Done; a failed job fails the task", async () => {
  const gen3d = await startGen3d({ apiKey: KEY, baseUrl: rodin.url });
  try {
    const { body: task } = await gen3d.call("POST", "/generate", { prompt: "a lamp" });
    const polls = [];
    for (let i = 0; i < 4; i++) polls.push((await gen3d.call("GET", `/tasks/${task.taskId}`)).body);
    expect(polls.map((p) => p.status)).toEqual(["Waiting", "Generating", "Done", "Done"]);
    expect(polls[1].jobs).toEqual([
      { uuid: task.jobs[0], status: "Generating" },
      { uuid: task.jobs[1], status: "Waiting" },
    ]);
    const statusCalls = rodin.received.filter((r) => r.path === "/status");
    expect(statusCalls).toHaveLength(4);
    expect(statusCalls[0]).toMatchObject({ authorization: `Bearer ${KEY}`, contentType: "application/json", json: { subscription_key: task.subscriptionKey } });

    rodin.script.statuses = [["Done", "Failed"]];
    const { body: failing } = await gen3d.call("POST", "/generate", { prompt: "a door" });
    expect((await gen3d.call("GET", `/tasks/${failing.taskId}`)).body.status).toBe("Failed");
  } finally {
    rodin.script.statuses = [["Waiting", "Waiting"], ["Generating", "Waiting"], ["Done", "Done"]];
    await gen3d.close();
  }
});

test("GET /tasks/:id/files asks Rodin for fresh links every time and says when they expire", async () => {
  const gen3d = await startGen3d({ apiKey: KEY, baseUrl: rodin.url });
  try {
    const { body: task } = await gen3d.call("POST", "/generate", { prompt: "a stair" });
    const before = Date.now();
    const first = await gen3d.call("GET", `/tasks/${task.taskId}/files`);
    const second = await gen3d.call("GET", `/tasks/${task.taskId}/files`);
    expect(first.status).toBe(200);
    expect(first.body.files.map((f: any) => f.name)).toEqual(["base_basic_pbr.glb", "texture_diffuse.png"]);
    // Not cached: each call is a new /download with new signed links.
    expect(second.body.files[0].url).not.toBe(first.body.files[0].url);
    expect(rodin.received.filter((r) => r.path === "/download").map((r) => r.json)).toEqual([{ task_uuid: task.taskId }, { task_uuid: task.taskId }]);
    const issued = Date.parse(first.body.issuedAt);
    expect(issued).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(first.body.expiresAt) - issued).toBe(600_000);
    // Our expiry is no later than the one Rodin signed into the link.
    const signed = Number(new URL(first.body.files[0].url).searchParams.get("expires")) * 1000;
    expect(Date.parse(first.body.expiresAt)).toBeLessThanOrEqual(signed + 1000);
    expect(first.body.note).toContain("expire about 10 minutes");

    rodin.script.files = [];
    const empty = await gen3d.call("GET", `/tasks/${task.taskId}/files`);
    expect(empty.status).toBe(409);
    expect(empty.body.error).toBe("files_not_ready");
  } finally {
    rodin.script.files = ["base_basic_pbr.glb", "texture_diffuse.png"];
    await gen3d.close();
  }
});

describe("Rodin failures", () => {
  const reply = (status: number, body: string, headers: Record<string, string> = {}) => (res: import("node:http").ServerResponse) =>
    res.writeHead(status, { "content-type": "application/json", ...headers }).end(body);

  test.each([
    ["401", reply(401, '{"error":"Unauthorized","message":"Invalid API key"}'), 502, "rodin_auth_failed", "check RODIN_API_KEY"],
    ["402", reply(402, '{"error":"Payment Required","message":"Not enough credits"}'), 503, "rodin_insufficient_credits", "insufficient credits (Rodin said: Payment Required: Not enough credits)"],
    ["200 with an error field", reply(201, '{"error":"NO_ENOUGH_CREDITS","message":"Balance too low"}'), 503, "rodin_insufficient_credits", "NO_ENOUGH_CREDITS"],
    ["429", reply(429, '{"error":"Too many requests"}', { "retry-after": "30" }), 503, "rodin_rate_limited", "try again later"],
    ["400", reply(400, '{"error":"InvalidParameter","message":"tier is invalid"}'), 502, "rodin_rejected", "Rodin rejected task submission (HTTP 400): InvalidParameter: tier is invalid"],
    ["500", reply(500, "<html>upstream exploded</html>"), 502, "rodin_failed", "Rodin failed on task submission (HTTP 500): <html>upstream exploded</html>"],
    ["malformed JSON", reply(201, '{"uuid": "abc", "jobs": '), 502, "rodin_bad_response", "not JSON"],
    ["a different shape", reply(201, '{"uuid": "abc"}'), 502, "rodin_bad_response", "documented shape"],
  ])("submission answered %s → %i %s", async (_case, respond, status, code, message) => {
    rodin.override("/rodin", respond);
    const gen3d = await startGen3d({ apiKey: KEY, baseUrl: rodin.url });
    try {
      const { status: got, body } = await gen3d.call("POST", "/generate", { prompt: "a roof" });
      expect(got).toBe(status);
      expect(body.error).toBe(code);
      expect(body.message).toContain(message);
    } finally {
      rodin.override("/rodin", undefined);
      await gen3d.close();
    }
  });

  test("details: Rodin's status and words, Retry-After, and the fields a wrong shape lacks", async () => {
    const gen3d = await startGen3d({ apiKey: KEY, baseUrl: rodin.url });
    try {
      rodin.override("/rodin", reply(429, '{"error":"Too many requests"}', { "retry-after": "30" }));
      expect((await gen3d.call("POST", "/generate", { prompt: "x" })).body).toMatchObject({ upstreamStatus: 429, rodinMessage: "Too many requests", retryAfterSeconds: 30 });
      rodin.override("/rodin", reply(201, '{"uuid": "abc"}'));
      expect((await gen3d.call("POST", "/generate", { prompt: "x" })).body.fields).toEqual([{ field: "jobs", message: expect.any(String) }]);
    } finally {
      rodin.override("/rodin", undefined);
      await gen3d.close();
    }
  });

  test("a wrong key as Rodin sees it; a timeout; an unreachable Rodin; a failed submission leaves no task", async () => {
    const wrongKey = await startGen3d({ apiKey: "wrong", baseUrl: rodin.url });
    const slow = await startGen3d({ apiKey: KEY, baseUrl: rodin.url, timeoutMs: 200 });
    const nowhere = await startGen3d({ apiKey: KEY, baseUrl: "http://127.0.0.1:9/api/v2" });
    try {
      const denied = await wrongKey.call("POST", "/generate", { prompt: "x" });
      expect(denied.status).toBe(502);
      expect(denied.body).toMatchObject({ error: "rodin_auth_failed", upstreamStatus: 401 });
      expect(rodin.received[0]!.authorization).toBe("Bearer wrong");

      rodin.override("/rodin", () => undefined); // never answers
      const late = await slow.call("POST", "/generate", { prompt: "x" });
      expect(late).toEqual({ status: 502, body: { error: "rodin_timeout", message: "Rodin did not answer task submission within 200 ms (RODIN_TIMEOUT_MS)." } });

      const unreachable = await nowhere.call("POST", "/generate", { prompt: "x" });
      expect(unreachable.status).toBe(502);
      expect(unreachable.body.error).toBe("rodin_unreachable");
    } finally {
      rodin.override("/rodin", undefined);
      await Promise.all([wrongKey.close(), slow.close(), nowhere.close()]);
    }
  });

  test("status and download failures map the same way", async () => {
    const gen3d = await startGen3d({ apiKey: KEY, baseUrl: rodin.url });
    try {
      const { body: task } = await gen3d.call("POST", "/generate", { prompt: "a wall" });
      rodin.override("/status", reply(500, '{"error":"Internal"}'));
      expect((await gen3d.call("GET", `/tasks/${task.taskId}`)).body).toMatchObject({ error: "rodin_failed", upstreamStatus: 500 });
      rodin.override("/status", reply(201, '{"jobs":[{"uuid":"a","status":"Exploded"}]}'));
      expect((await gen3d.call("GET", `/tasks/${task.taskId}`)).body).toMatchObject({ error: "rodin_bad_response", fields: [{ field: "jobs[0].status" }] });
      rodin.override("/download", reply(201, '{"list":[{"name":"a.glb","url":"not a url"}]}'));
      expect((await gen3d.call("GET", `/tasks/${task.taskId}/files`)).body).toMatchObject({ error: "rodin_bad_response", fields: [{ field: "list[0].url" }] });
    } finally {
      rodin.override("/status", undefined);
      rodin.override("/download", undefined);
      await gen3d.close();
    }
  });
});

test("bad requests are 400s naming each field, and never reach Rodin", async () => {
  const gen3d = await startGen3d({ apiKey: KEY, baseUrl: rodin.url });
  try {
    const fieldsOf = async (body: unknown) => (await gen3d.call("POST", "/generate", body)).body.fields?.map((f: any) => `${f.field}: ${f.message}`);
    expect(await fieldsOf({})).toEqual(["prompt: give a prompt, images, or both"]);
    expect(await fieldsOf({ prompt: "x", tier: "Ultra", geometryFormat: "blend", seed: 70000, colour: "red" })).toEqual([
      'tier: Invalid option: expected one of "Gen-2"|"Regular"|"Detail"|"Smooth"|"Sketch"',
      'geometryFormat: Invalid option: expected one of "glb"|"usdz"|"fbx"|"obj"|"stl"',
      "seed: Too big: expected number to be <=65535",
      "colour: Unknown field",
    ]);
    expect(await fieldsOf({ images: Array.from({ length: 6 }, () => image(PNG, "image/png")) })).toEqual([expect.stringMatching(/^images: /)]);
    expect(await fieldsOf({ images: [{ data: "not base64!", mimeType: "image/png" }] })).toEqual([expect.stringMatching(/^images\[0\]\.data: /)]);
    expect(await fieldsOf({ images: [image(PNG, "image/png"), image(PNG, "image/jpeg")] })).toEqual(["images[1].data: holds a image/png image, not image/jpeg"]);
    expect(await fieldsOf({ images: [image(Buffer.from("GIF89a..."), "image/png")] })).toEqual(["images[0].data: is not a image/png image"]);
    expect(await fieldsOf({ images: [image(PNG, "image/gif")] })).toEqual([expect.stringMatching(/^images\[0\]\.mimeType: /)]);
    const oversized = Buffer.concat([PNG, Buffer.alloc(8 * 1024 * 1024)]);
    expect(await fieldsOf({ images: [image(oversized, "image/png")] })).toEqual(["images[0].data: over 8388608 bytes once decoded"]);

    expect((await gen3d.call("GET", "/tasks/not_a_task!")).body.fields).toEqual([{ field: "params.id", message: "letters, digits and dashes, at most 100" }]);
    const unknown = await gen3d.call("GET", "/tasks/00000000-0000-0000-0000-000000000000");
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toContain("kept in memory only (GEN3D_DATA_DIR is not set) and are forgotten on restart");
    expect((await gen3d.call("GET", "/tasks/00000000-0000-0000-0000-000000000000/files")).status).toBe(404);
    expect(rodin.received).toHaveLength(0);
  } finally {
    await gen3d.close();
  }
});

test("without RODIN_API_KEY: not ready, and every route that needs Rodin is a 503", async () => {
  const gen3d = await startGen3d({ baseUrl: rodin.url });
  try {
    const readyz = await fetch(`${gen3d.url}/readyz`);
    expect(readyz.status).toBe(503);
    expect(await readyz.json()).toEqual({ status: "not_ready", reasons: ["rodin: RODIN_API_KEY is not set"] });
    expect(await gen3d.call("POST", "/generate", { prompt: "x" })).toEqual({
      status: 503,
      body: { error: "rodin_not_configured", message: "3D generation is not available: RODIN_API_KEY is not set." },
    });
    expect(rodin.received).toHaveLength(0);
  } finally {
    await gen3d.close();
  }
});

describe("task persistence", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "gen3d-"));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  test("with a data directory, tasks survive a restart; the file is written whole", async () => {
    const first = await startGen3d({ apiKey: KEY, baseUrl: rodin.url, dataDir: dir });
    const { body: task } = await first.call("POST", "/generate", { prompt: "a bench" });
    await first.close();
    const file = JSON.parse(await readFile(path.join(dir, "tasks.json"), "utf8"));
    expect(file).toEqual({ version: 1, tasks: [{ taskId: task.taskId, subscriptionKey: task.subscriptionKey, jobs: task.jobs, createdAt: expect.any(String) }] });

    const second = await startGen3d({ apiKey: KEY, baseUrl: rodin.url, dataDir: dir });
    try {
      const polled = await second.call("GET", `/tasks/${task.taskId}`);
      expect(polled.status).toBe(200);
      expect(rodin.received[rodin.received.length - 1]!.json).toEqual({ subscription_key: task.subscriptionKey });
    } finally {
      await second.close();
    }
  });

  test("a corrupt task file stops the start with a clear message; the oldest tasks go beyond the limit", async () => {
    await writeFile(path.join(dir, "tasks.json"), '{"version":1,"tasks":[{"taskId":');
    await expect(TaskStore.open(dir, 10)).rejects.toThrow(/tasks\.json is not a valid task file .*move it aside/);

    await rm(path.join(dir, "tasks.json"));
    const store = await TaskStore.open(dir, 2);
    for (const id of ["a", "b", "c"]) await store.add({ taskId: id, subscriptionKey: `k-${id}`, jobs: [], createdAt: "2026-01-01T00:00:00Z" });
    expect([store.get("a"), store.get("b")?.subscriptionKey, store.get("c")?.subscriptionKey]).toEqual([undefined, "k-b", "k-c"]);
    const reopened = await TaskStore.open(dir, 2);
    expect(reopened.get("a")).toBeUndefined();
    expect(reopened.get("c")?.subscriptionKey).toBe("k-c");
  });
});
