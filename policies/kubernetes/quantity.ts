/**
 * Kubernetes resource quantities (`500m`, `1.5`, `512Mi`, `2Gi`, `1e3`, `100k`) as plain numbers
 * (cores, bytes). Returns undefined for anything that is not a quantity, so a policy can say so
 * instead of comparing garbage.
 */
const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, "": 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };
const QUANTITY = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:(Ki|Mi|Gi|Ti|Pi|Ei)|[eE]([+-]?\d+)|(n|u|m|k|M|G|T|P|E))?$/;

export function parseQuantity(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value !== "string") return undefined;
  const m = QUANTITY.exec(value.trim());
  if (!m) return undefined;
  const [, number, binary, exponent, decimal] = m;
  const n = Number(number);
  if (binary) return n * BINARY[binary]!;
  if (exponent !== undefined) return n * 10 ** Number(exponent);
  return n * DECIMAL[decimal ?? ""]!;
}
