/** Writing OpenFOAM dictionaries: the FoamFile header and value formatting. */
import type { Vec3 } from "../geometry/mesh";

export interface FoamHeader {
  /** e.g. `dictionary`, `volVectorField`. */
  class: string;
  object: string;
  /** e.g. `"system"`, `"0"`. */
  location?: string;
}

const BANNER = "/*--------------------------------*- C++ -*----------------------------------*\\\n  Written by the Abode CFD service for OpenFOAM (ESI v1912 and later).\n\\*---------------------------------------------------------------------------*/";

export function foamFile(header: FoamHeader, body: string): string {
  const location = header.location ? `    location    "${header.location}";\n` : "";
  return `${BANNER}
FoamFile
{
    version     2.0;
    format      ascii;
    class       ${header.class};
${location}    object      ${header.object};
}
// * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * //

${body.trim()}

// ************************************************************************* //
`;
}

/** A number as OpenFOAM reads it: no float noise, no exponent surprises. */
export function num(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
  if (Number.isInteger(value)) return String(value);
  return String(Number(value.toPrecision(9)));
}

export const vec = (v: Vec3) => `(${num(v.x)} ${num(v.y)} ${num(v.z)})`;
