import { weldTriangles, type TriangleMesh } from "./mesh";
import { GeometryError } from "./problems";

const HEADER_BYTES = 80;
const BINARY_TRIANGLE_BYTES = 50;

/**
 * Binary STL is recognised by its size (84 + 50 n bytes for the n it declares), not by the
 * "solid" prefix: many exporters start binary headers with "solid" too.
 */
export function isBinaryStl(data: Buffer): boolean {
  if (data.length < HEADER_BYTES + 4) return false;
  const count = data.readUInt32LE(HEADER_BYTES);
  return data.length === HEADER_BYTES + 4 + count * BINARY_TRIANGLE_BYTES;
}

export function parseStl(data: Buffer): TriangleMesh {
  return isBinaryStl(data) ? parseBinaryStl(data) : parseAsciiStl(data.toString("latin1"));
}

function parseBinaryStl(data: Buffer): TriangleMesh {
  const count = data.readUInt32LE(HEADER_BYTES);
  const corners = new Float64Array(count * 9);
  for (let t = 0; t < count; t++) {
    // Skip the 12-byte normal: it is recomputed from the winding where needed.
    const base = HEADER_BYTES + 4 + t * BINARY_TRIANGLE_BYTES + 12;
    for (let k = 0; k < 9; k++) corners[t * 9 + k] = data.readFloatLE(base + 4 * k);
  }
  return weldTriangles(corners, weldToleranceFor(corners, true));
}

function parseAsciiStl(text: string): TriangleMesh {
  if (!/^\s*solid\b/.test(text)) throw new GeometryError("geometry: not an STL file (neither binary STL nor ASCII starting with 'solid')");
  const corners: number[] = [];
  const vertex = /^\s*vertex\s+(\S+)\s+(\S+)\s+(\S+)/;
  const lines = text.split(/\r?\n/);
  let inFacet = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (/^\s*facet\b/.test(line)) inFacet = 0;
    const match = vertex.exec(line);
    if (!match) continue;
    const xyz = [Number(match[1]), Number(match[2]), Number(match[3])];
    if (!xyz.every(Number.isFinite)) throw new GeometryError(`geometry: line ${i + 1}: vertex coordinates are not numbers`);
    corners.push(...xyz);
    inFacet++;
    if (inFacet > 3) throw new GeometryError(`geometry: line ${i + 1}: a facet has more than three vertices`);
  }
  if (corners.length % 9 !== 0) throw new GeometryError("geometry: the STL ends in the middle of a facet");
  return weldTriangles(corners, weldToleranceFor(corners, false));
}

/**
 * Corners that are the same point must merge: exactly for text (written from the same
 * numbers), within float32 resolution for binary STL.
 */
function weldToleranceFor(corners: ArrayLike<number>, float32: boolean): number {
  if (!float32) return 1e-9;
  let extent = 0;
  for (let i = 0; i < corners.length; i++) extent = Math.max(extent, Math.abs(corners[i]));
  return Math.max(extent * 1e-7, 1e-9);
}
