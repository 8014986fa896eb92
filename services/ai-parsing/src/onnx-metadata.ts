/**
 * The few top-level fields of an ONNX ModelProto we report or need — above all
 * `metadata_props`, where Ultralytics stores the class names. onnxruntime-node does not expose
 * them (its session has input/output metadata only) and the ONNX protobuf bindings are a dev
 * dependency, so this walks the protobuf wire format of the top level by hand and skips the
 * graph (the bulk of the file) without reading it.
 */

export interface OnnxModelMetadata {
  irVersion?: number;
  producerName?: string;
  producerVersion?: string;
  modelVersion?: number;
  /** `metadata_props` as a map (a repeated key wins last, as in onnx's Python API). */
  props: Record<string, string>;
}

// ModelProto and StringStringEntryProto field numbers (onnx/onnx.proto).
const IR_VERSION = 1;
const PRODUCER_NAME = 2;
const PRODUCER_VERSION = 3;
const MODEL_VERSION = 5;
const METADATA_PROPS = 14;
const ENTRY_KEY = 1;
const ENTRY_VALUE = 2;

const VARINT = 0;
const FIXED64 = 1;
const LENGTH_DELIMITED = 2;
const FIXED32 = 5;

interface Field {
  number: number;
  wireType: number;
  /** The varint's value (wire type 0). */
  value?: number;
  /** The payload's [start, end) (wire type 2). */
  start?: number;
  end?: number;
}

class Malformed extends Error {}

function readVarint(bytes: Uint8Array, position: number): [value: number, next: number] {
  let value = 0;
  let scale = 1;
  for (let i = position; i < bytes.length && i < position + 10; i++) {
    const byte = bytes[i] as number;
    value += (byte & 0x7f) * scale; // arithmetic, not bit ops: values past 2^31 stay exact up to 2^53
    scale *= 128;
    if ((byte & 0x80) === 0) return [value, i + 1];
  }
  throw new Malformed(`truncated or overlong varint at byte ${position}`);
}

/** The fields of one message in [start, end), in order. */
function* fields(bytes: Uint8Array, start: number, end: number): Generator<Field> {
  let position = start;
  while (position < end) {
    const [key, afterKey] = readVarint(bytes, position);
    const number = Math.floor(key / 8);
    const wireType = key % 8;
    if (number === 0) throw new Malformed(`field number 0 at byte ${position}`);
    position = afterKey;
    if (wireType === VARINT) {
      const [value, next] = readVarint(bytes, position);
      yield { number, wireType, value };
      position = next;
    } else if (wireType === LENGTH_DELIMITED) {
      const [length, next] = readVarint(bytes, position);
      if (next + length > end) throw new Malformed(`field ${number} runs past the end (${length} bytes at byte ${next})`);
      yield { number, wireType, start: next, end: next + length };
      position = next + length;
    } else if (wireType === FIXED64 || wireType === FIXED32) {
      position += wireType === FIXED64 ? 8 : 4;
      if (position > end) throw new Malformed(`field ${number} runs past the end`);
      yield { number, wireType };
    } else {
      throw new Malformed(`unsupported wire type ${wireType} at byte ${afterKey - 1}`);
    }
  }
}

const utf8 = new TextDecoder("utf-8", { fatal: true });
const text = (bytes: Uint8Array, field: Field) => utf8.decode(bytes.subarray(field.start, field.end));

/** Reads the top level of a serialized ModelProto; throws with the byte offset on malformed input. */
export function readOnnxMetadata(bytes: Uint8Array): OnnxModelMetadata {
  const out: OnnxModelMetadata = { props: {} };
  try {
    for (const field of fields(bytes, 0, bytes.length)) {
      if (field.number === IR_VERSION && field.wireType === VARINT) out.irVersion = field.value;
      else if (field.number === MODEL_VERSION && field.wireType === VARINT) out.modelVersion = field.value;
      else if (field.number === PRODUCER_NAME && field.wireType === LENGTH_DELIMITED) out.producerName = text(bytes, field);
      else if (field.number === PRODUCER_VERSION && field.wireType === LENGTH_DELIMITED) out.producerVersion = text(bytes, field);
      else if (field.number === METADATA_PROPS && field.wireType === LENGTH_DELIMITED) {
        let key = "";
        let value = "";
        for (const entry of fields(bytes, field.start as number, field.end as number)) {
          if (entry.wireType !== LENGTH_DELIMITED) continue;
          if (entry.number === ENTRY_KEY) key = text(bytes, entry);
          else if (entry.number === ENTRY_VALUE) value = text(bytes, entry);
        }
        out.props[key] = value;
      }
    }
  } catch (error) {
    if (error instanceof Malformed || error instanceof TypeError) throw new Error(`not a readable ONNX model: ${error.message}`);
    throw error;
  }
  return out;
}
