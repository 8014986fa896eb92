import { overcastHorizontalIlluminance, overcastLuminance } from "../src/daylight";
import { startLighting } from "./helpers";

let svc: Awaited<ReturnType<typeof startLighting>>;
beforeAll(async () => (svc = await startLighting()));
afterAll(() => svc.close());

/** The published SPA test case (Reda & Andreas 2004, DOMAIN.md). */
const SPA_CASE = {
  latitude: 39.742476,
  longitude: -105.1786,
  elevation: 1830.14,
  pressure: 820,
  temperature: 11,
  deltaT: 67,
  time: "2003-10-17T12:30:30-07:00",
  surface: { slope: 30, azimuthRotation: -10 },
};

const seconds = (iso: string) => {
  const [h, m, s] = iso.slice(11, 19).split(":").map(Number) as [number, number, number];
  return h * 3600 + m * 60 + s;
};

describe("POST /natural-lighting", () => {
  test("reproduces the NREL SPA test case within 1e-4°", async () => {
    const { status, body } = await svc.post("/natural-lighting", SPA_CASE);
    expect(status).toBe(200);
    expect(Math.abs(body.sun.zenith - 50.111622)).toBeLessThan(1e-4);
    expect(Math.abs(body.sun.azimuth - 194.340241)).toBeLessThan(1e-4);
    expect(Math.abs(body.sun.incidence - 25.187)).toBeLessThan(1e-4);
    expect(Math.abs(body.sun.julianDay - 2452930.312847)).toBeLessThan(1e-6);
    expect(body.sun.elevation).toBeCloseTo(90 - body.sun.zenith, 10);
  });

  test("sunrise and sunset of the test case within a minute, in the request's offset", async () => {
    const { body } = await svc.post("/natural-lighting", SPA_CASE);
    expect(body.day.kind).toBe("normal");
    expect(body.day.sunrise).toMatch(/^2003-10-17T06:1\d:\d\d-07:00$/);
    expect(Math.abs(seconds(body.day.sunrise) - seconds("2003-10-17T06:12:43"))).toBeLessThanOrEqual(60);
    expect(Math.abs(seconds(body.day.sunset) - seconds("2003-10-17T17:20:19"))).toBeLessThanOrEqual(60);
    // Solar noon lies halfway between (to within the sun's change of declination over the day).
    expect(Math.abs(seconds(body.day.solarNoon) - (seconds(body.day.sunrise) + seconds(body.day.sunset)) / 2)).toBeLessThan(60);
  });

  test("the same instant written in UTC gives the same sun", async () => {
    const local = await svc.post("/natural-lighting", SPA_CASE);
    const utc = await svc.post("/natural-lighting", { ...SPA_CASE, time: "2003-10-17T19:30:30Z" });
    expect(utc.body.sun.zenith).toBeCloseTo(local.body.sun.zenith, 9);
    expect(utc.body.sun.azimuth).toBeCloseTo(local.body.sun.azimuth, 9);
  });

  test("without deltaT the built-in estimate stays within 1e-3° of the published case", async () => {
    const { deltaT: _omit, ...rest } = SPA_CASE;
    void _omit;
    const { body } = await svc.post("/natural-lighting", rest);
    expect(body.deltaT.source).toMatch(/estimated/);
    expect(Math.abs(body.sun.zenith - 50.111622)).toBeLessThan(1e-3);
  });

  test("polar night and polar day at Tromsø have no sunrise", async () => {
    const winter = await svc.post("/natural-lighting", { latitude: 69.65, longitude: 18.96, time: "2024-12-21T12:00:00+01:00" });
    expect(winter.body.day).toMatchObject({ kind: "polar-night", sunrise: null, sunset: null });
    expect(winter.body.sun.elevation).toBeLessThan(0);
    const summer = await svc.post("/natural-lighting", { latitude: 69.65, longitude: 18.96, time: "2024-06-21T00:30:00+02:00" });
    expect(summer.body.day).toMatchObject({ kind: "polar-day", daylightHours: 24 });
    expect(summer.body.sun.elevation).toBeGreaterThan(0);
  });

  test("HDRI band follows the sun through a day, rotated to its azimuth", async () => {
    const at = (time: string) => svc.post("/natural-lighting", { latitude: 51.5, longitude: -0.12, time }).then((r) => r.body);
    const night = await at("2024-06-21T01:00:00+01:00");
    const morning = await at("2024-06-21T05:10:00+01:00");
    const noon = await at("2024-06-21T13:00:00+01:00");
    expect(night.hdri.band).toBe("night");
    expect(morning.hdri.band).toBe("golden-hour");
    expect(noon.hdri.band).toBe("midday");
    expect(noon.hdri.rotationDeg).toBeCloseTo(noon.sun.azimuth, 9);
    expect(morning.sun.azimuth).toBeLessThan(90); // a June sunrise in London is north of east
    expect(night.sky.applicable).toBe(false);
    // Higher sun, more light, for both sky models.
    expect(noon.sky.clear.globalHorizontal).toBeGreaterThan(morning.sky.clear.globalHorizontal);
    expect(noon.sky.overcast.globalHorizontal).toBeGreaterThan(morning.sky.overcast.globalHorizontal);
    expect(noon.sky.clear.globalHorizontal).toBeGreaterThan(noon.sky.overcast.globalHorizontal);
  });

  test("rejects calendar nonsense, missing offsets and out-of-range values, naming each field", async () => {
    const bad = await svc.post("/natural-lighting", { latitude: 91, longitude: -181, time: "2024-02-30T10:00:00Z", temperature: 500 });
    expect(bad.status).toBe(400);
    expect(bad.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(["latitude", "longitude", "temperature", "time"]);
    const badDate = await svc.post("/natural-lighting", { latitude: 0, longitude: 0, time: "2024-02-30T10:00:00Z" });
    expect(badDate.body.fields).toEqual([{ field: "time", message: "not a calendar date" }]);
    const noOffset = await svc.post("/natural-lighting", { latitude: 0, longitude: 0, time: "2024-02-10T10:00:00" });
    expect(noOffset.status).toBe(400);
    expect(noOffset.body.fields[0].field).toBe("time");
    const farFuture = await svc.post("/natural-lighting", { latitude: 0, longitude: 0, time: "2400-01-01T00:00:00Z" });
    expect(farFuture.body.fields).toEqual([{ field: "deltaT", message: expect.stringContaining("required") }]);
  });
});

describe("GET /natural-lighting (cacheable at the edge)", () => {
  const query = (params: Record<string, string | number>) =>
    fetch(`${svc.url}/natural-lighting?${new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)]))}`).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));

  test("answers exactly as the POST does, tilted surface included", async () => {
    const { surface, ...flat } = SPA_CASE;
    const got = await query({ ...flat, surfaceSlope: surface.slope, surfaceAzimuthRotation: surface.azimuthRotation });
    expect(got.status).toBe(200);
    expect(got.body).toEqual((await svc.post("/natural-lighting", SPA_CASE)).body);
  });

  test("names each bad parameter, numbers and unknown ones included", async () => {
    const bad = await query({ latitude: "north", longitude: 0, time: "2024-02-10T10:00:00Z", colour: "red" });
    expect(bad.status).toBe(400);
    expect(bad.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(["query.colour", "query.latitude"]);
  });
});

describe("CIE standard overcast sky", () => {
  test("integrating L(γ)·sinγ over the hemisphere gives the closed form 7π·Lz/9", () => {
    const lz = 1000;
    const steps = 20_000;
    let sum = 0;
    for (let i = 0; i < steps; i++) {
      const gamma = ((i + 0.5) / steps) * (Math.PI / 2);
      // dω = cosγ dγ dφ, integrated over φ (2π)
      sum += overcastLuminance(lz, (gamma * 180) / Math.PI) * Math.sin(gamma) * Math.cos(gamma) * (Math.PI / 2 / steps) * 2 * Math.PI;
    }
    expect(sum).toBeCloseTo(overcastHorizontalIlluminance(lz), 3);
    expect(overcastLuminance(lz, 90) / overcastLuminance(lz, 0)).toBeCloseTo(3, 12); // zenith three times the horizon
  });
});
