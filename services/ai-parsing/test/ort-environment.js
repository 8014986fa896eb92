/**
 * Jest's node environment, but with this process's typed-array constructors. onnxruntime-node
 * creates output tensors in native code from the main realm's Float32Array, and
 * onnxruntime-common checks them with `instanceof` against the test context's own — which
 * fails in jest's sandbox only (a real process has one realm). Test files that run a model
 * select this with a `@jest-environment` docblock.
 */
const { TestEnvironment } = require("jest-environment-node");

const TYPED_ARRAYS = [
  "ArrayBuffer",
  "Int8Array",
  "Uint8Array",
  "Uint8ClampedArray",
  "Int16Array",
  "Uint16Array",
  "Int32Array",
  "Uint32Array",
  "Float32Array",
  "Float64Array",
  "BigInt64Array",
  "BigUint64Array",
];

class OrtEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of TYPED_ARRAYS) this.global[name] = globalThis[name];
  }
}

module.exports = OrtEnvironment;
