/**
 * Initial and boundary conditions (0/): an equilibrium atmospheric boundary layer at the inlet
 * (`atmBoundaryLayerInlet*`), a rough ground (`nutkAtmRoughWallFunction` with the terrain z0),
 * smooth building walls, a fixed-pressure outlet, symmetry at the sides and top.
 */
import type { Vec3 } from "../geometry/mesh";
import { foamFile, num, vec } from "./foam";
import { PATCHES } from "./dictionaries";
import { dissipationAt, turbulentKineticEnergy, type AtmosphericBoundaryLayer } from "./wind";

export interface FieldSettings extends AtmosphericBoundaryLayer {
  flowDirection: Vec3;
}

const field = (cls: string, object: string, dimensions: string, internal: string, patches: Record<string, string>) =>
  foamFile(
    { class: cls, object, location: "0" },
    `
dimensions      ${dimensions};

internalField   ${internal};

boundaryField
{
${Object.entries(patches)
  .map(([name, body]) => `    ${name}\n    {\n${body
    .trim()
    .split("\n")
    .map((line) => `        ${line.trim()}`)
    .join("\n")}\n    }`)
  .join("\n")}
}
`,
  );

const symmetry = { [PATCHES.sides]: "type symmetry;", [PATCHES.top]: "type symmetry;" };

/** The keywords every atmBoundaryLayerInlet* condition reads (v1912 names). */
function ablEntries(s: FieldSettings): string {
  return `
flowDir         ${vec(s.flowDirection)};
zDir            (0 0 1);
Uref            ${num(s.referenceSpeed)};
Zref            ${num(s.referenceHeight)};
z0              uniform ${num(s.z0)};
zGround         uniform 0;`;
}

export function velocityField(s: FieldSettings): string {
  const start = vec({ x: s.referenceSpeed * s.flowDirection.x, y: s.referenceSpeed * s.flowDirection.y, z: 0 });
  return field("volVectorField", "U", "[0 1 -1 0 0 0 0]", `uniform ${start}`, {
    [PATCHES.inlet]: `type atmBoundaryLayerInletVelocity;${ablEntries(s)}\nvalue uniform ${start};`,
    [PATCHES.outlet]: `type inletOutlet;\ninletValue uniform (0 0 0);\nvalue uniform ${start};`,
    [PATCHES.ground]: "type noSlip;",
    [PATCHES.buildings]: "type noSlip;",
    ...symmetry,
  });
}

export function pressureField(): string {
  return field("volScalarField", "p", "[0 2 -2 0 0 0 0]", "uniform 0", {
    [PATCHES.inlet]: "type zeroGradient;",
    [PATCHES.outlet]: "type fixedValue;\nvalue uniform 0;",
    [PATCHES.ground]: "type zeroGradient;",
    [PATCHES.buildings]: "type zeroGradient;",
    ...symmetry,
  });
}

export function turbulentKineticEnergyField(s: FieldSettings): string {
  const k = num(turbulentKineticEnergy(s));
  return field("volScalarField", "k", "[0 2 -2 0 0 0 0]", `uniform ${k}`, {
    [PATCHES.inlet]: `type atmBoundaryLayerInletK;${ablEntries(s)}\nvalue uniform ${k};`,
    [PATCHES.outlet]: `type inletOutlet;\ninletValue uniform ${k};\nvalue uniform ${k};`,
    [PATCHES.ground]: `type kqRWallFunction;\nvalue uniform ${k};`,
    [PATCHES.buildings]: `type kqRWallFunction;\nvalue uniform ${k};`,
    ...symmetry,
  });
}

export function dissipationField(s: FieldSettings): string {
  const epsilon = num(dissipationAt(s, s.referenceHeight));
  return field("volScalarField", "epsilon", "[0 2 -3 0 0 0 0]", `uniform ${epsilon}`, {
    [PATCHES.inlet]: `type atmBoundaryLayerInletEpsilon;${ablEntries(s)}\nvalue uniform ${epsilon};`,
    [PATCHES.outlet]: `type inletOutlet;\ninletValue uniform ${epsilon};\nvalue uniform ${epsilon};`,
    [PATCHES.ground]: `type epsilonWallFunction;\nvalue uniform ${epsilon};`,
    [PATCHES.buildings]: `type epsilonWallFunction;\nvalue uniform ${epsilon};`,
    ...symmetry,
  });
}

export function turbulentViscosityField(s: FieldSettings): string {
  return field("volScalarField", "nut", "[0 2 -1 0 0 0 0]", "uniform 0", {
    [PATCHES.inlet]: "type calculated;\nvalue uniform 0;",
    [PATCHES.outlet]: "type calculated;\nvalue uniform 0;",
    [PATCHES.ground]: `type nutkAtmRoughWallFunction;\nz0 uniform ${num(s.z0)};\nvalue uniform 0;`,
    [PATCHES.buildings]: "type nutkWallFunction;\nvalue uniform 0;",
    ...symmetry,
  });
}

/** Every file of 0/, by name. */
export function initialFields(s: FieldSettings): Record<string, string> {
  return {
    U: velocityField(s),
    p: pressureField(),
    k: turbulentKineticEnergyField(s),
    epsilon: dissipationField(s),
    nut: turbulentViscosityField(s),
  };
}
