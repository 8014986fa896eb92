/** Reads a GLB back the way a glTF loader does, checking the container as it goes. */
export interface ParsedGlb {
  json: any;
  bin: Buffer;
  /** The accessor's data as a typed array (copied). */
  accessor(index: number): Float32Array | Uint32Array;
}

export function parseGlb(data: Buffer): ParsedGlb {
  if (data.readUInt32LE(0) !== 0x46546c67) throw new Error("bad magic");
  if (data.readUInt32LE(4) !== 2) throw new Error("not glTF 2");
  if (data.readUInt32LE(8) !== data.length) throw new Error(`header length ${data.readUInt32LE(8)} != ${data.length}`);
  const jsonLength = data.readUInt32LE(12);
  if (data.readUInt32LE(16) !== 0x4e4f534a) throw new Error("first chunk is not JSON");
  if (jsonLength % 4 !== 0) throw new Error("JSON chunk not 4-byte aligned");
  const json = JSON.parse(data.subarray(20, 20 + jsonLength).toString("utf8"));
  let bin: Buffer = Buffer.alloc(0);
  const binAt = 20 + jsonLength;
  if (binAt < data.length) {
    const binLength = data.readUInt32LE(binAt);
    if (data.readUInt32LE(binAt + 4) !== 0x004e4942) throw new Error("second chunk is not BIN");
    if (binLength % 4 !== 0) throw new Error("BIN chunk not 4-byte aligned");
    if (binAt + 8 + binLength !== data.length) throw new Error("BIN chunk length does not reach the end");
    bin = data.subarray(binAt + 8, binAt + 8 + binLength);
    if (json.buffers[0].byteLength > binLength) throw new Error("buffer longer than BIN chunk");
  }
  const accessor = (index: number) => {
    const a = json.accessors[index];
    const view = json.bufferViews[a.bufferView];
    const components = { SCALAR: 1, VEC3: 3 }[a.type as "SCALAR" | "VEC3"];
    const bytes = a.count * components * 4;
    if ((a.byteOffset ?? 0) + bytes > view.byteLength) throw new Error("accessor overruns its view");
    if ((view.byteOffset + (a.byteOffset ?? 0)) % 4 !== 0) throw new Error("accessor not aligned");
    const slice = Buffer.from(bin.subarray(view.byteOffset + (a.byteOffset ?? 0), view.byteOffset + (a.byteOffset ?? 0) + bytes));
    return a.componentType === 5126 ? new Float32Array(slice.buffer, slice.byteOffset, bytes / 4) : new Uint32Array(slice.buffer, slice.byteOffset, bytes / 4);
  };
  return { json, bin, accessor };
}
