/**
 * A minimal binary glTF 2.0 (GLB) writer: one node per element (named by the caller, e.g.
 * its GlobalId) with one mesh whose primitives are triangle lists with POSITION (with the
 * min/max the spec requires), NORMAL and 32-bit indices, and one material per distinct colour.
 * No installed package writes glTF, and this subset is all the service needs.
 */

export interface GlbPrimitive {
  positions: Float32Array;
  normals: Float32Array;
  indices: Uint32Array;
  /** Linear RGBA, 0..1; alpha below 1 makes the material blended. */
  color: readonly [number, number, number, number];
}

export interface GlbNode {
  name: string;
  extras?: Record<string, unknown>;
  primitives: readonly GlbPrimitive[];
}

const GLB_MAGIC = 0x46546c67; // "glTF"
const CHUNK_JSON = 0x4e4f534a; // "JSON"
const CHUNK_BIN = 0x004e4942; // "BIN\0"
const FLOAT = 5126;
const UNSIGNED_INT = 5125;
const ARRAY_BUFFER = 34962;
const ELEMENT_ARRAY_BUFFER = 34963;
const TRIANGLES = 4;

const pad4 = (n: number) => (n + 3) & ~3;

function bounds(positions: Float32Array): { min: number[]; max: number[] } {
  const min = [Infinity, Infinity, Infinity];
  const max = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < positions.length; i += 3) {
    for (let k = 0; k < 3; k++) {
      const v = positions[i + k]!;
      if (v < min[k]!) min[k] = v;
      if (v > max[k]!) max[k] = v;
    }
  }
  return { min, max };
}

/** The glTF document and its binary buffer, as a GLB container. */
export function writeGlb(nodes: readonly GlbNode[], asset: { generator: string; extras?: Record<string, unknown> }): Buffer {
  const bufferViews: Record<string, unknown>[] = [];
  const accessors: Record<string, unknown>[] = [];
  const materials: Record<string, unknown>[] = [];
  const materialIndex = new Map<string, number>();
  const meshes: Record<string, unknown>[] = [];
  const gltfNodes: Record<string, unknown>[] = [];
  const chunks: Uint8Array[] = [];
  let byteLength = 0;

  const view = (data: Float32Array | Uint32Array, target: number) => {
    // Every array is 4-byte elements, so offsets stay 4-byte aligned without padding.
    bufferViews.push({ buffer: 0, byteOffset: byteLength, byteLength: data.byteLength, target });
    chunks.push(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    byteLength += data.byteLength;
    return bufferViews.length - 1;
  };
  const accessor = (definition: Record<string, unknown>) => accessors.push(definition) - 1;
  const material = (color: GlbPrimitive["color"]) => {
    const rgba = color.map((c) => Math.round(Math.min(1, Math.max(0, c)) * 1000) / 1000);
    const key = rgba.join(",");
    let index = materialIndex.get(key);
    if (index === undefined) {
      index = materials.length;
      materials.push({
        name: `rgba(${key})`,
        pbrMetallicRoughness: { baseColorFactor: rgba, metallicFactor: 0, roughnessFactor: 1 },
        // IFC solids do not promise a consistent winding.
        doubleSided: true,
        ...(rgba[3]! < 1 ? { alphaMode: "BLEND" } : {}),
      });
      materialIndex.set(key, index);
    }
    return index;
  };

  for (const node of nodes) {
    const primitives = node.primitives
      .filter((p) => p.indices.length > 0 && p.positions.length > 0)
      .map((p) => {
        const count = p.positions.length / 3;
        const { min, max } = bounds(p.positions);
        const position = accessor({ bufferView: view(p.positions, ARRAY_BUFFER), componentType: FLOAT, count, type: "VEC3", min, max });
        const normal = accessor({ bufferView: view(p.normals, ARRAY_BUFFER), componentType: FLOAT, count, type: "VEC3" });
        const indices = accessor({ bufferView: view(p.indices, ELEMENT_ARRAY_BUFFER), componentType: UNSIGNED_INT, count: p.indices.length, type: "SCALAR" });
        return { attributes: { POSITION: position, NORMAL: normal }, indices, material: material(p.color), mode: TRIANGLES };
      });
    const gltfNode: Record<string, unknown> = { name: node.name };
    if (primitives.length > 0) {
      meshes.push({ name: node.name, primitives });
      gltfNode.mesh = meshes.length - 1;
    }
    if (node.extras) gltfNode.extras = node.extras;
    gltfNodes.push(gltfNode);
  }

  const document: Record<string, unknown> = {
    asset: { version: "2.0", generator: asset.generator, ...(asset.extras ? { extras: asset.extras } : {}) },
    scene: 0,
    scenes: [gltfNodes.length > 0 ? { nodes: gltfNodes.map((_, i) => i) } : {}],
    nodes: gltfNodes,
  };
  // glTF forbids empty top-level arrays: a model with no triangles is a scene of empty nodes.
  if (meshes.length > 0) Object.assign(document, { meshes, materials, accessors, bufferViews, buffers: [{ byteLength }] });
  if (gltfNodes.length === 0) delete document.nodes;

  const json = Buffer.from(JSON.stringify(document), "utf8");
  const jsonLength = pad4(json.length);
  const binLength = pad4(byteLength);
  const total = 12 + 8 + jsonLength + (byteLength > 0 ? 8 + binLength : 0);
  const out = Buffer.alloc(total);
  out.writeUInt32LE(GLB_MAGIC, 0);
  out.writeUInt32LE(2, 4);
  out.writeUInt32LE(total, 8);
  out.writeUInt32LE(jsonLength, 12);
  out.writeUInt32LE(CHUNK_JSON, 16);
  json.copy(out, 20);
  out.fill(0x20, 20 + json.length, 20 + jsonLength); // JSON chunk padding is spaces
  if (byteLength > 0) {
    let offset = 20 + jsonLength;
    out.writeUInt32LE(binLength, offset);
    out.writeUInt32LE(CHUNK_BIN, offset + 4);
    offset += 8;
    for (const chunk of chunks) {
      out.set(chunk, offset);
      offset += chunk.byteLength;
    }
    // BIN padding is zeros, already there from Buffer.alloc.
  }
  return out;
}
