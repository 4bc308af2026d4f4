/**
 * The PyTorch reference of test/fixtures/make_backbone_reference.py and the
 * conversion of its sine-filled weights into a backbone's variables.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import * as tf from '@tensorflow/tfjs';

import { NamedWeight } from '../../../kernels/subface/backbones';
import { REPO_ROOT } from '../../helpers/paths';

export interface CountCase {
  architecture: string;
  config: { inputSize: number; embeddingDim: number; baseWidth?: number };
  /** Every parameter, InsightFace's frozen BN1d scale included. */
  params: number;
  /** Parameters with requires_grad. */
  trainable: number;
  /** BN running means and variances. */
  buffers: number;
}

export interface RecipeEntry {
  key: string;
  /** PyTorch layout. */
  shape: number[];
  offset: number;
  amplitude: number;
}

export interface ForwardCase {
  architecture: string;
  config: CountCase['config'];
  batch: number;
  recipe: RecipeEntry[];
  /** Eval-mode output [batch, embeddingDim]. */
  inference: number[][];
  /** Train-mode output (batch statistics) [batch, embeddingDim]. */
  training: number[][];
}

export interface BackboneReference {
  counts: CountCase[];
  forward: ForwardCase[];
}

export function loadBackboneReference(): BackboneReference {
  const file = path.join(REPO_ROOT, 'test/fixtures/backbone_reference.json');
  return JSON.parse(fs.readFileSync(file, 'utf8')) as BackboneReference;
}

/** offset + amplitude * sin(0.37 j + 0.000731 j^2 + 1.3 t + 0.5). */
function sineFill(entry: RecipeEntry, ordinal: number): Float32Array {
  const size = entry.shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(size);
  for (let j = 0; j < size; j++) {
    const phase = 0.37 * j + 0.000731 * j * j + 1.3 * ordinal + 0.5;
    values[j] = entry.offset + entry.amplitude * Math.sin(phase);
  }
  return values;
}

/** A PyTorch-layout tensor in our layout (see WeightLayout). */
function toOurLayout(torchValue: tf.Tensor, weight: NamedWeight): tf.Tensor {
  return tf.tidy(() => {
    if (weight.layout === 'conv2d') {
      return tf.transpose(torchValue, [2, 3, 1, 0]); // [kh, kw, in, out]
    }
    if (weight.layout === 'depthwise') {
      return tf.transpose(torchValue, [2, 3, 0, 1]); // [kh, kw, c, 1]
    }
    if (weight.layout === 'dense' && weight.flattenedFrom !== undefined) {
      const [h, w, c] = weight.flattenedFrom;
      const out = torchValue.shape[0];
      const nchw = tf.reshape(torchValue, [out, c, h, w]);
      const nhwc = tf.transpose(nchw, [0, 2, 3, 1]); // [out, h, w, c]
      return tf.reshape(nhwc, [out, h * w * c]);
    }
    return torchValue.clone();
  });
}

/** Assigns every variable its sine fill from the recipe, by key. */
export function loadRecipe(
  weights: NamedWeight[],
  recipe: RecipeEntry[],
): void {
  const byKey = new Map(weights.map((w) => [w.key, w]));
  if (byKey.size !== recipe.length) {
    throw new Error(
      `loadRecipe: ${byKey.size} variables but ${recipe.length} entries`,
    );
  }
  recipe.forEach((entry, ordinal) => {
    const weight = byKey.get(entry.key);
    if (weight === undefined) {
      throw new Error(`loadRecipe: no variable for '${entry.key}'`);
    }
    const torchValue = tf.tensor(sineFill(entry, ordinal), entry.shape);
    const value = toOurLayout(torchValue, weight);
    weight.variable.assign(value);
    tf.dispose([torchValue, value]);
  });
}

/** The fixture's input: NHWC, value[j] = sin(0.11 j + 0.3). */
export function referenceImages(batch: number, size: number): tf.Tensor4D {
  const values = new Float32Array(batch * size * size * 3);
  values.forEach((_, j) => (values[j] = Math.sin(0.11 * j + 0.3)));
  return tf.tensor4d(values, [batch, size, size, 3]);
}

/** Largest |a - e| over the largest |e|. */
export function relativeError(actual: tf.Tensor, expected: number[][]): number {
  const a = actual.dataSync();
  const e = expected.flat();
  let scale = 0;
  let worst = 0;
  e.forEach((v, i) => {
    scale = Math.max(scale, Math.abs(v));
    worst = Math.max(worst, Math.abs(v - a[i]));
  });
  return worst / scale;
}
