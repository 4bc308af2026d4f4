/**
 * Fast gradients for training on the tfjs `wasm` backend.
 *
 * `installFastGradients()` wraps the registered gradient of each kernel in
 * `FAST_GRADIENT_KERNELS`. At gradient time the wrapper looks at the active
 * backend: on `wasm` it computes the gradient from ops that XNNPACK runs
 * fast (and that wasm registers at all); on any other backend, and for any
 * case the fast path does not cover (NCHW, dilation > 1, a rounding mode,
 * broadcast batch dimensions, batchDims > 0), it calls tfjs' original
 * gradient unchanged.
 *
 * NOTE: only gradients looked up in the registry are affected. Fused ops
 * (`tf.fused.conv2d`, `tf.fused.matMul`, which `tf.layers` uses for Conv2D
 * and Dense) carry their own gradient and do not benefit.
 */
import * as tf from '@tensorflow/tfjs';

import { conv2dFilterGradient } from './conv2d_filter';
import { conv2dInputGradient } from './conv2d_input';
import { depthwiseFilterGradient, depthwiseInputGradient } from './depthwise';
import { gatherGradient } from './gather';
import { convGeometry } from './geometry';
import { batchMatMulGradients } from './matmul';

type GradientMap = ReturnType<tf.GradConfig['gradFunc']>;
type FastGradFunc = (
  dy: tf.Tensor,
  saved: tf.Tensor[],
  attrs: tf.NamedAttrMap,
) => GradientMap | null;

/** Kernels whose gradient has a fast wasm formulation. */
export const FAST_GRADIENT_KERNELS: readonly string[] = [
  'Conv2D',
  'Conv2DBackpropInput',
  'DepthwiseConv2dNative',
  'BatchMatMul',
  'GatherV2',
];

const FAST_GRADIENTS: Record<string, FastGradFunc> = {
  Conv2D: (dy, saved, attrs) => {
    const [x, filter] = saved as tf.Tensor4D[];
    const geometry = convGeometry(x.shape, filter.shape, attrs, false);
    if (geometry === null) return null;
    return {
      x: () => conv2dInputGradient(dy as tf.Tensor4D, filter, geometry),
      filter: () => conv2dFilterGradient(x, dy as tf.Tensor4D, geometry),
    };
  },

  // y = conv2dTranspose(dy, f) is the input gradient of a conv2d whose
  // input has y's shape, so its gradients are that conv2d itself (for dy)
  // and the conv2d filter gradient with y's gradient as the "input".
  Conv2DBackpropInput: (ddx, saved, attrs) => {
    const [dy, filter] = saved as tf.Tensor4D[];
    const geometry = convGeometry(ddx.shape, filter.shape, attrs, false);
    if (geometry === null) return null;
    const pad = attrs.pad as Parameters<typeof tf.conv2d>[3];
    const strides = attrs.strides as [number, number];
    return {
      dy: () => tf.conv2d(ddx as tf.Tensor4D, filter, strides, pad),
      filter: () => conv2dFilterGradient(ddx as tf.Tensor4D, dy, geometry),
    };
  },

  DepthwiseConv2dNative: (dy, saved, attrs) => {
    const [x, filter] = saved as tf.Tensor4D[];
    const geometry = convGeometry(x.shape, filter.shape, attrs, true);
    if (geometry === null) return null;
    return {
      x: () => depthwiseInputGradient(dy as tf.Tensor4D, filter, geometry),
      filter: () =>
        depthwiseFilterGradient(x, dy as tf.Tensor4D, filter.shape, geometry),
    };
  },

  BatchMatMul: (dy, saved, attrs) => {
    const [a, b] = saved;
    return batchMatMulGradients(
      dy,
      a,
      b,
      Boolean(attrs.transposeA),
      Boolean(attrs.transposeB),
    );
  },

  GatherV2: (dy, saved, attrs) => {
    const [x, indices] = saved;
    if (((attrs.batchDims as number | undefined) ?? 0) !== 0) return null;
    const axis = tf.util.parseAxisParam(attrs.axis as number, x.shape)[0];
    return {
      x: () => gatherGradient(dy, x.shape, indices, axis),
      // Indices are integers: tfjs gives them their own value as the
      // (never used) gradient, and so do we.
      indices: () => indices,
    };
  },
};

/** The registered configs replaced by `installFastGradients`. */
const originals = new Map<string, tf.GradConfig>();

function wrap(original: tf.GradConfig, fast: FastGradFunc): tf.GradConfig {
  return {
    kernelName: original.kernelName,
    inputsToSave: original.inputsToSave,
    saveAllInputs: original.saveAllInputs,
    outputsToSave: original.outputsToSave,
    gradFunc: (dy, saved, attrs) => {
      if (tf.getBackend() === 'wasm' && !Array.isArray(dy)) {
        const grads = fast(dy, saved, attrs);
        if (grads !== null) return grads;
      }
      return original.gradFunc(dy, saved, attrs);
    },
  };
}

/**
 * Replaces the gradients of `FAST_GRADIENT_KERNELS` by wrappers that take
 * the fast path on wasm. Calling it again does nothing.
 */
export function installFastGradients(): void {
  if (originals.size > 0) return;
  for (const kernelName of FAST_GRADIENT_KERNELS) {
    const original = tf.getGradient(kernelName);
    if (original == null) continue;
    originals.set(kernelName, original);
    tf.registerGradient(wrap(original, FAST_GRADIENTS[kernelName]));
  }
}

/** Puts tfjs' original gradients back (benchmarks compare both). */
export function uninstallFastGradients(): void {
  for (const original of originals.values()) {
    tf.registerGradient(original);
  }
  originals.clear();
}

/** Whether `installFastGradients` is in effect. */
export function fastGradientsInstalled(): boolean {
  return originals.size > 0;
}
