/**
 * Reading and writing tensor data in place on the backends that keep it
 * in host memory (cpu, wasm), for the selections in select.ts.
 *
 * On wasm, `dataSync()` copies the whole tensor out of the wasm heap and
 * `tf.tensor()` copies an array back in: for [100000, 512] class centres
 * that is 200 MB each way per step. The wasm backend's public
 * `typedArrayFromHeap` gives a view of the heap instead.
 *
 * NOTE: a heap view is detached when the wasm heap grows, which any tensor
 * allocation may do. Take views only after every allocation of the step
 * (as `fillNewTensor` does) and drop them before the next one.
 */
import * as tf from '@tensorflow/tfjs';

/** Backends whose tensors live in host-addressable memory. */
export const HOST_BACKENDS: readonly string[] = ['cpu', 'wasm'];

interface HeapBackend {
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
}

function wasmBackend(): HeapBackend | null {
  if (tf.getBackend() !== 'wasm') return null;
  const backend = tf.backend() as unknown as Partial<HeapBackend>;
  return typeof backend.typedArrayFromHeap === 'function'
    ? (backend as HeapBackend)
    : null;
}

/**
 * The float32 data of `x` without a copy where the backend allows it.
 * Read-only by contract: tensors are immutable.
 */
export function readHost(x: tf.Tensor): Float32Array {
  const wasm = wasmBackend();
  return wasm === null
    ? (x.dataSync() as Float32Array)
    : wasm.typedArrayFromHeap(x);
}

/**
 * A new zero-initialised float32 tensor whose data `fill` writes directly
 * (on wasm, into the heap). `fill` may call `readHost` for its inputs.
 * @returns [rows, cols]
 */
export function fillNewTensor(
  shape: [number, number],
  fill: (out: Float32Array) => void,
): tf.Tensor2D {
  const wasm = wasmBackend();
  if (wasm === null) {
    const out = new Float32Array(shape[0] * shape[1]);
    fill(out);
    return tf.tensor2d(out, shape);
  }
  // The allocation happens first; only then are views taken. tf.fill
  // runs wasm's Fill kernel; tf.zeros would build a JS array and copy it.
  const tensor = tf.fill(shape, 0) as tf.Tensor2D;
  fill(wasm.typedArrayFromHeap(tensor));
  return tensor;
}
