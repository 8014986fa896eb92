/**
 * NREL Solar Position Algorithm (Reda & Andreas 2004, NREL/TP-560-34302), stated accuracy
 * ±0.0003° for years −2000..6000. Each step is a small function named after the paper's
 * quantity so it can be checked against the paper's worked example (see the tests).
 */
import { B_TERMS, L_TERMS, NUTATION_PE, NUTATION_Y, R_TERMS, type PeriodicTerm } from "./spa-terms";

const RAD = Math.PI / 180;
const DEG = 180 / Math.PI;
/** Apparent solar radius (degrees), used for sunrise/sunset and the refraction cut-off. */
export const SUN_RADIUS_DEG = 0.26667;
/** Refraction at the horizon assumed for sunrise/sunset (degrees): 34′. */
export const HORIZON_REFRACTION_DEG = 0.5667;

export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export interface SpaInput {
  /** Local civil time at the observer. */
  local: LocalDateTime;
  /** Offset of local time from UTC in hours (negative west of Greenwich). */
  timezoneHours: number;
  latitude: number;
  longitude: number;
  /** Metres above sea level. */
  elevation: number;
  /** Annual average local pressure, millibars. */
  pressure: number;
  /** Annual average local temperature, °C. */
  temperature: number;
  /** TT − UT1, seconds. */
  deltaT: number;
  /** UT1 − UTC, seconds. @default 0 */
  deltaUt1?: number;
  /** Surface slope from horizontal, degrees; with `azimuthRotation` gives the incidence angle. */
  slope?: number;
  /** Surface azimuth rotation, measured from south, negative east, degrees. */
  azimuthRotation?: number;
  /** @default HORIZON_REFRACTION_DEG */
  atmosphericRefraction?: number;
}

export interface SolarPosition {
  julianDay: number;
  /** Topocentric zenith angle, refraction-corrected, degrees. */
  zenith: number;
  /** Topocentric elevation angle, refraction-corrected, degrees (90 − zenith). */
  elevation: number;
  /** Topocentric azimuth, eastward from north, degrees in [0, 360). */
  azimuth: number;
  /** Geocentric declination, degrees. */
  declination: number;
  /** Angle between the sun and a surface's normal, degrees; only with slope and azimuthRotation. */
  incidence?: number;
  /** Equation of time, minutes. */
  equationOfTime: number;
  /** Earth–sun distance, AU. */
  earthSunDistance: number;
}

export type RiseTransitSet =
  | { kind: "normal"; sunrise: number; transit: number; sunset: number }
  /** The sun does not cross the −0.8333° horizon that day; `transit` is still defined. */
  | { kind: "polar-day" | "polar-night"; transit: number };

export const limitDegrees = (deg: number): number => {
  const limited = 360 * (deg / 360 - Math.floor(deg / 360));
  return limited < 0 ? limited + 360 : limited;
};

const limitDegrees180pm = (deg: number): number => {
  let limited = 360 * (deg / 360 - Math.floor(deg / 360));
  if (limited < -180) limited += 360;
  else if (limited > 180) limited -= 360;
  return limited;
};

const limitDegrees180 = (deg: number): number => {
  const limited = 180 * (deg / 180 - Math.floor(deg / 180));
  return limited < 0 ? limited + 180 : limited;
};

const limitZeroToOne = (value: number): number => {
  const limited = value - Math.floor(value);
  return limited < 0 ? limited + 1 : limited;
};

const limitMinutes = (minutes: number): number => {
  if (minutes < -20) return minutes + 1440;
  if (minutes > 20) return minutes - 1440;
  return minutes;
};

const cubic = (a: number, b: number, c: number, d: number, x: number) => ((a * x + b) * x + c) * x + d;

/** Julian day of a local time (eq. 4); the Gregorian correction applies after 1582-10-15. */
export function julianDay(t: LocalDateTime, timezoneHours: number, deltaUt1 = 0): number {
  let { year, month } = t;
  const dayDecimal = t.day + (t.hour - timezoneHours + (t.minute + (t.second + deltaUt1) / 60) / 60) / 24;
  if (month < 3) {
    month += 12;
    year -= 1;
  }
  let jd = Math.trunc(365.25 * (year + 4716)) + Math.trunc(30.6001 * (month + 1)) + dayDecimal - 1524.5;
  if (jd > 2299160) {
    const a = Math.trunc(year / 100);
    jd += 2 - a + Math.trunc(a / 4);
  }
  return jd;
}

/**
 * The periodic-term tables packed once at load: per power of τ, one flat Float64Array of
 * A, B, C triples (the tables in spa-terms.ts stay the readable source). Summed in the same
 * order as the tables, so the result is the same as summing the nested arrays.
 */
const packSeries = (series: readonly (readonly PeriodicTerm[])[]): Float64Array[] => series.map((rows) => Float64Array.from(rows.flat()));
const L_PACKED = packSeries(L_TERMS);
const B_PACKED = packSeries(B_TERMS);
const R_PACKED = packSeries(R_TERMS);

function periodicSeries(series: readonly Float64Array[], jme: number): number {
  let total = 0;
  for (let i = series.length - 1; i >= 0; i--) {
    const terms = series[i]!;
    let sum = 0;
    for (let k = 0; k < terms.length; k += 3) sum += terms[k]! * Math.cos(terms[k + 1]! + terms[k + 2]! * jme);
    total = total * jme + sum; // Horner over the powers of τ
  }
  return total / 1e8;
}

/*
 * Nutation (SPA 3.4). Each term's argument is an integer combination Σ Yⱼ·Xⱼ of the five
 * fundamental arguments, so instead of a sin and a cos per term (126 calls) we take the sin
 * and cos of each Xⱼ once, build e^{i·k·Xⱼ} for the multipliers the table uses (−2..3), and
 * get each term's e^{i·arg} as a product of complex numbers. Same quantity, rounding aside
 * (~1e-15 relative; the terms are in 0.0001″).
 */
const NUTATION_COUNT = NUTATION_Y.length;
const NUT_Y = Int8Array.from(NUTATION_Y.flat());
const NUT_PE = Float64Array.from(NUTATION_PE.flat());
const NUT_K_MIN = Math.min(...NUT_Y);
const NUT_K_MAX = Math.max(...NUT_Y);
const NUT_SPAN = NUT_K_MAX - NUT_K_MIN + 1;
/** Offsets into the power tables: row j, multiplier k at j·SPAN + k − K_MIN. */
const NUT_INDEX = Int32Array.from(NUT_Y, (k, i) => (i % 5) * NUT_SPAN + k - NUT_K_MIN);
/** cos/sin of k·Xⱼ; scratch reused by every call (the computation is synchronous). */
const nutCos = new Float64Array(5 * NUT_SPAN);
const nutSin = new Float64Array(5 * NUT_SPAN);

function fillNutationPowers(j: number, xDeg: number): void {
  const base = j * NUT_SPAN - NUT_K_MIN;
  const c1 = Math.cos(xDeg * RAD);
  const s1 = Math.sin(xDeg * RAD);
  nutCos[base] = 1;
  nutSin[base] = 0;
  let c = 1;
  let s = 0;
  for (let k = 1; k <= NUT_K_MAX || k <= -NUT_K_MIN; k++) {
    const cn = c * c1 - s * s1;
    s = s * c1 + c * s1;
    c = cn;
    if (k <= NUT_K_MAX) {
      nutCos[base + k] = c;
      nutSin[base + k] = s;
    }
    if (-k >= NUT_K_MIN) {
      nutCos[base - k] = c;
      nutSin[base - k] = -s;
    }
  }
}

/** Geocentric right ascension/declination and the quantities sidereal time needs. */
interface GeocentricSun {
  alpha: number;
  delta: number;
  /** Apparent Greenwich sidereal time, degrees. */
  nu: number;
  earthSunDistance: number;
  deltaPsi: number;
  epsilon: number;
  jme: number;
}

function geocentricSun(jd: number, deltaT: number): GeocentricSun {
  const jc = (jd - 2451545) / 36525;
  const jde = jd + deltaT / 86400;
  const jce = (jde - 2451545) / 36525;
  const jme = jce / 10;

  const l = limitDegrees(periodicSeries(L_PACKED, jme) * DEG);
  const b = periodicSeries(B_PACKED, jme) * DEG;
  const r = periodicSeries(R_PACKED, jme);

  let theta = l + 180;
  if (theta >= 360) theta -= 360;
  const beta = -b;

  fillNutationPowers(0, cubic(1 / 189474, -0.0019142, 445267.11148, 297.85036, jce)); // mean elongation moon–sun
  fillNutationPowers(1, cubic(-1 / 300000, -0.0001603, 35999.05034, 357.52772, jce)); // mean anomaly sun
  fillNutationPowers(2, cubic(1 / 56250, 0.0086972, 477198.867398, 134.96298, jce)); // mean anomaly moon
  fillNutationPowers(3, cubic(1 / 327270, -0.0036825, 483202.017538, 93.27191, jce)); // argument of latitude moon
  fillNutationPowers(4, cubic(1 / 450000, 0.0020708, -1934.136261, 125.04452, jce)); // ascending node moon
  let sumPsi = 0;
  let sumEpsilon = 0;
  for (let i = 0; i < NUTATION_COUNT; i++) {
    // e^{i·arg} = Π e^{i·Yⱼ·Xⱼ}
    const y = i * 5;
    let idx = NUT_INDEX[y]!;
    let re = nutCos[idx]!;
    let im = nutSin[idx]!;
    for (let j = 1; j < 5; j++) {
      idx = NUT_INDEX[y + j]!;
      const c = nutCos[idx]!;
      const sn = nutSin[idx]!;
      const nextRe = re * c - im * sn;
      im = re * sn + im * c;
      re = nextRe;
    }
    const pe = i * 4;
    sumPsi += (NUT_PE[pe]! + jce * NUT_PE[pe + 1]!) * im;
    sumEpsilon += (NUT_PE[pe + 2]! + jce * NUT_PE[pe + 3]!) * re;
  }
  const deltaPsi = sumPsi / 36e6;
  const deltaEpsilon = sumEpsilon / 36e6;

  const u = jme / 10;
  const epsilon0 =
    84381.448 +
    u * (-4680.93 + u * (-1.55 + u * (1999.25 + u * (-51.38 + u * (-249.67 + u * (-39.05 + u * (7.12 + u * (27.87 + u * (5.79 + u * 2.45)))))))));
  const epsilon = deltaEpsilon + epsilon0 / 3600;

  const deltaTau = -20.4898 / (3600 * r);
  const lambda = theta + deltaPsi + deltaTau;
  const nu0 = limitDegrees(280.46061837 + 360.98564736629 * (jd - 2451545) + jc * jc * (0.000387933 - jc / 38710000));
  const nu = nu0 + deltaPsi * Math.cos(epsilon * RAD);

  const lambdaRad = lambda * RAD;
  const epsilonRad = epsilon * RAD;
  const betaRad = beta * RAD;
  const alpha = limitDegrees(
    Math.atan2(Math.sin(lambdaRad) * Math.cos(epsilonRad) - Math.tan(betaRad) * Math.sin(epsilonRad), Math.cos(lambdaRad)) * DEG,
  );
  const delta =
    Math.asin(Math.sin(betaRad) * Math.cos(epsilonRad) + Math.cos(betaRad) * Math.sin(epsilonRad) * Math.sin(lambdaRad)) * DEG;
  return { alpha, delta, nu, earthSunDistance: r, deltaPsi, epsilon, jme };
}

/** Sun position for one instant and place (SPA steps 3.1–3.15). */
export function solarPosition(input: SpaInput): SolarPosition {
  const jd = julianDay(input.local, input.timezoneHours, input.deltaUt1 ?? 0);
  const sun = geocentricSun(jd, input.deltaT);
  const refraction = input.atmosphericRefraction ?? HORIZON_REFRACTION_DEG;

  const h = limitDegrees(sun.nu + input.longitude - sun.alpha);
  const xi = 8.794 / (3600 * sun.earthSunDistance);

  // Parallax: the observer is on the Earth's surface, not at its centre.
  const latRad = input.latitude * RAD;
  const xiRad = xi * RAD;
  const hRad = h * RAD;
  const deltaRad = sun.delta * RAD;
  const uu = Math.atan(0.99664719 * Math.tan(latRad));
  const y = 0.99664719 * Math.sin(uu) + (input.elevation * Math.sin(latRad)) / 6378140;
  const x = Math.cos(uu) + (input.elevation * Math.cos(latRad)) / 6378140;
  const deltaAlphaRad = Math.atan2(-x * Math.sin(xiRad) * Math.sin(hRad), Math.cos(deltaRad) - x * Math.sin(xiRad) * Math.cos(hRad));
  const deltaPrime =
    Math.atan2((Math.sin(deltaRad) - y * Math.sin(xiRad)) * Math.cos(deltaAlphaRad), Math.cos(deltaRad) - x * Math.sin(xiRad) * Math.cos(hRad)) * DEG;
  const hPrime = h - deltaAlphaRad * DEG;

  const deltaPrimeRad = deltaPrime * RAD;
  const hPrimeRad = hPrime * RAD;
  const e0 = Math.asin(Math.sin(latRad) * Math.sin(deltaPrimeRad) + Math.cos(latRad) * Math.cos(deltaPrimeRad) * Math.cos(hPrimeRad)) * DEG;
  // Refraction only while the sun's upper limb can be above the horizon.
  const deltaE =
    e0 >= -(SUN_RADIUS_DEG + refraction)
      ? (input.pressure / 1010) * (283 / (273 + input.temperature)) * (1.02 / (60 * Math.tan((e0 + 10.3 / (e0 + 5.11)) * RAD)))
      : 0;
  const e = e0 + deltaE;
  const zenith = 90 - e;

  const azimuthAstro = limitDegrees(
    Math.atan2(Math.sin(hPrimeRad), Math.cos(hPrimeRad) * Math.sin(latRad) - Math.tan(deltaPrimeRad) * Math.cos(latRad)) * DEG,
  );
  const azimuth = limitDegrees(azimuthAstro + 180);

  let incidence: number | undefined;
  if (input.slope !== undefined && input.azimuthRotation !== undefined) {
    const zRad = zenith * RAD;
    const sRad = input.slope * RAD;
    incidence =
      Math.acos(Math.cos(zRad) * Math.cos(sRad) + Math.sin(sRad) * Math.sin(zRad) * Math.cos((azimuthAstro - input.azimuthRotation) * RAD)) * DEG;
  }

  const m = limitDegrees(
    280.4664567 + sun.jme * (360007.6982779 + sun.jme * (0.03032028 + sun.jme * (1 / 49931 + sun.jme * (-1 / 15300 + sun.jme * (-1 / 2000000))))),
  );
  const equationOfTime = limitMinutes(4 * (m - 0.0057183 - sun.alpha + sun.deltaPsi * Math.cos(sun.epsilon * RAD)));

  return { julianDay: jd, zenith, elevation: e, azimuth, declination: sun.delta, incidence, equationOfTime, earthSunDistance: sun.earthSunDistance };
}

/**
 * Sunrise, sun transit (solar noon) and sunset of the local calendar day, in local fractional
 * hours (SPA Appendix A.2): the sun's centre at −(radius + refraction) = −0.8333°.
 */
export function riseTransitSet(input: SpaInput): RiseTransitSet {
  const refraction = input.atmosphericRefraction ?? HORIZON_REFRACTION_DEG;
  const h0Prime = -(SUN_RADIUS_DEG + refraction);
  const midnight = julianDay({ ...input.local, hour: 0, minute: 0, second: 0 }, 0, 0);
  const nu = geocentricSun(midnight, input.deltaT).nu;

  // α and δ at 0 TT of the day before, the day, and the day after.
  const alpha: number[] = [];
  const delta: number[] = [];
  for (let i = -1; i <= 1; i++) {
    const sun = geocentricSun(midnight + i, 0);
    alpha.push(sun.alpha);
    delta.push(sun.delta);
  }

  const latRad = input.latitude * RAD;
  const transitApprox = (alpha[1]! - input.longitude - nu) / 360;
  const cosH0 = (Math.sin(h0Prime * RAD) - Math.sin(latRad) * Math.sin(delta[1]! * RAD)) / (Math.cos(latRad) * Math.cos(delta[1]! * RAD));

  const interpolate = (values: number[], n: number) => {
    let a = values[1]! - values[0]!;
    let b = values[2]! - values[1]!;
    if (Math.abs(a) >= 2) a = limitZeroToOne(a);
    if (Math.abs(b) >= 2) b = limitZeroToOne(b);
    return values[1]! + (n * (a + b + (b - a) * n)) / 2;
  };
  const toLocalHours = (dayFraction: number) => 24 * limitZeroToOne(dayFraction + input.timezoneHours / 24);

  const refine = (m: number) => {
    const nuRts = nu + 360.985647 * m;
    const n = m + input.deltaT / 86400;
    const alphaPrime = interpolate(alpha, n);
    const deltaPrime = interpolate(delta, n);
    const hPrime = limitDegrees180pm(nuRts + input.longitude - alphaPrime);
    const altitude =
      Math.asin(Math.sin(latRad) * Math.sin(deltaPrime * RAD) + Math.cos(latRad) * Math.cos(deltaPrime * RAD) * Math.cos(hPrime * RAD)) * DEG;
    return { hPrime, deltaPrime, altitude };
  };

  const mTransit = limitZeroToOne(transitApprox);
  const transitRefined = refine(mTransit);
  const transit = toLocalHours(mTransit - transitRefined.hPrime / 360);

  if (Math.abs(cosH0) > 1) {
    // Sun always above (cos < −1) or always below (cos > 1) the rise/set altitude.
    return { kind: cosH0 < -1 ? "polar-day" : "polar-night", transit };
  }
  const h0 = limitDegrees180(Math.acos(cosH0) * DEG);
  const riseOrSet = (m: number) => {
    const r = refine(m);
    return m + (r.altitude - h0Prime) / (360 * Math.cos(r.deltaPrime * RAD) * Math.cos(latRad) * Math.sin(r.hPrime * RAD));
  };
  const sunrise = toLocalHours(riseOrSet(limitZeroToOne(transitApprox - h0 / 360)));
  const sunset = toLocalHours(riseOrSet(limitZeroToOne(transitApprox + h0 / 360)));
  return { kind: "normal", sunrise, transit, sunset };
}

/**
 * ΔT = TT − UT1 (seconds) estimated from the decimal year with the Espenak & Meeus (2006)
 * polynomials, for callers who do not supply an observed value. Valid 1900–2150; a few
 * seconds of error move the sun by about 1e-4° at most (the sun moves ~0.04″ per second).
 */
export function estimateDeltaT(decimalYear: number): number {
  const y = decimalYear;
  if (y < 1900 || y >= 2150) throw new RangeError(`no ΔT model for year ${y}; supply deltaT`);
  if (y < 1920) {
    const t = y - 1900;
    return -2.79 + 1.494119 * t - 0.0598939 * t ** 2 + 0.0061966 * t ** 3 - 0.000197 * t ** 4;
  }
  if (y < 1941) {
    const t = y - 1920;
    return 21.2 + 0.84493 * t - 0.0761 * t ** 2 + 0.0020936 * t ** 3;
  }
  if (y < 1961) {
    const t = y - 1950;
    return 29.07 + 0.407 * t - t ** 2 / 233 + t ** 3 / 2547;
  }
  if (y < 1986) {
    const t = y - 1975;
    return 45.45 + 1.067 * t - t ** 2 / 260 - t ** 3 / 718;
  }
  if (y < 2005) {
    const t = y - 2000;
    return 63.86 + 0.3345 * t - 0.060374 * t ** 2 + 0.0017275 * t ** 3 + 0.000651814 * t ** 4 + 0.00002373599 * t ** 5;
  }
  if (y < 2050) {
    const t = y - 2000;
    return 62.92 + 0.32217 * t + 0.005589 * t ** 2;
  }
  const u = (y - 1820) / 100;
  return -20 + 32 * u ** 2 - 0.5628 * (2150 - y);
}
