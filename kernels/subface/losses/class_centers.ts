/**
 * The classifier's parameters: class centres (and a bias for plain
 * softmax), their storage layout, seeded initialisation, and the views the
 * loss needs.
 *
 * Layout. `classCenters` is `[numClasses, embeddingDim]` (InsightFace's
 * weight, 'classMajor', the default), or optionally stored transposed as
 * `[embeddingDim, numClasses]` ('dimMajor'). The loss always reads a
 * class-major selection (see numerics.ts classScoresT for why), so
 * classMajor needs no copy for the full head; bench/head.ts compares both.
 */
import * as tf from '@tensorflow/tfjs';

import { SeededRandom } from '../runtime/random';
import { checkNumber, checkOption, fail } from './errors';
import { selectIndices, SelectKernel, selectSubmatrix } from './select';

export const CENTER_LAYOUTS = ['dimMajor', 'classMajor'] as const;

export type CenterLayout = (typeof CENTER_LAYOUTS)[number];

/** Weights in the canonical layout, whatever the storage. */
export interface HeadWeights {
  /** [numClasses, embeddingDim] */
  classCenters: tf.Tensor2D;
  /** [numClasses], softmax only. */
  bias?: tf.Tensor1D;
}

/** Transposes a row-major [rows, cols] array on the host. */
function transposeHost(
  data: Float32Array,
  rows: number,
  cols: number,
): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c];
  }
  return out;
}

export class ClassCenters {
  readonly numClasses: number;
  readonly embeddingDim: number;
  readonly layout: CenterLayout;
  /** [embeddingDim, numClasses] (dimMajor) or [numClasses, embeddingDim]. */
  readonly classCenters: tf.Variable<tf.Rank.R2>;
  /** [numClasses], zeros at start; null unless the margin uses a bias. */
  readonly bias: tf.Variable<tf.Rank.R1> | null;

  /**
   * @param random the stream for initialisation: normal(0, initStd) in
   *   the canonical [numClasses, embeddingDim] order, so both layouts get
   *   the same centres from the same seed
   */
  constructor(
    numClasses: number,
    embeddingDim: number,
    options: {
      layout: CenterLayout;
      useBias: boolean;
      initStd: number;
      random: SeededRandom;
    },
  ) {
    const where = 'ClassCenters';
    this.numClasses = checkNumber(where, 'numClasses', numClasses, {
      min: 1,
      integer: true,
    });
    this.embeddingDim = checkNumber(where, 'embeddingDim', embeddingDim, {
      min: 1,
      integer: true,
    });
    this.layout = checkOption(where, 'layout', options.layout, CENTER_LAYOUTS);
    checkNumber(where, 'initStd', options.initStd, { min: 0 });

    const values = new Float32Array(numClasses * embeddingDim);
    for (let i = 0; i < values.length; i++) {
      values[i] = options.random.normal(0, options.initStd);
    }
    this.classCenters = tf.variable(this.toStorage(values));
    this.bias = options.useBias ? tf.variable(tf.zeros([numClasses])) : null;
  }

  private toStorage(canonical: Float32Array): tf.Tensor2D {
    const { numClasses, embeddingDim } = this;
    return this.layout === 'classMajor'
      ? tf.tensor2d(canonical, [numClasses, embeddingDim])
      : tf.tensor2d(transposeHost(canonical, numClasses, embeddingDim), [
          embeddingDim,
          numClasses,
        ]);
  }

  /**
   * The centres the loss uses, class-major, restricted to some classes
   * (Partial FC) and some dims (SubFace), in one copy. The gradient is a
   * scatter back into the stored layout, zero elsewhere.
   * @param classIndex [numSampled] sorted distinct classes, or null: all
   * @param dims [k] sorted distinct dims, or null: all
   * @returns [numSampled, k]
   */
  select(
    classIndex: Int32Array | null,
    dims: Int32Array | null,
    kernel: SelectKernel = 'auto',
  ): tf.Tensor2D {
    const stored = this.classCenters as tf.Tensor2D;
    if (this.layout === 'classMajor') {
      if (classIndex === null && dims === null) return stored;
      return selectSubmatrix(stored, classIndex, dims, false, kernel);
    }
    return selectSubmatrix(stored, dims, classIndex, true, kernel);
  }

  /**
   * The bias as a row to add to logits, or null without a bias.
   * @returns [1, numSampled]
   */
  biasRow(
    classIndex: Int32Array | null,
    kernel: SelectKernel = 'auto',
  ): tf.Tensor2D | null {
    if (this.bias === null) return null;
    const bias = this.bias;
    return tf.tidy(() => {
      const row = tf.expandDims(bias, 0) as tf.Tensor2D; // [1, numClasses]
      return classIndex === null
        ? row
        : selectIndices(row, classIndex, 1, kernel);
    });
  }

  trainableVariables(): tf.Variable[] {
    return this.bias === null
      ? [this.classCenters]
      : [this.classCenters, this.bias];
  }

  /** New tensors in the canonical layout (the caller disposes them). */
  getWeights(): HeadWeights {
    return tf.tidy(() => {
      const classCenters =
        this.layout === 'classMajor'
          ? this.classCenters.clone()
          : tf.transpose(this.classCenters);
      return this.bias === null
        ? { classCenters }
        : { classCenters, bias: this.bias.clone() };
    });
  }

  /** Copies canonical-layout weights in (shapes must match). */
  setWeights(weights: HeadWeights): void {
    const where = 'ClassCenters.setWeights';
    const expected = [this.numClasses, this.embeddingDim];
    const shape = weights?.classCenters?.shape;
    if (!shape || shape[0] !== expected[0] || shape[1] !== expected[1]) {
      fail(where, 'classCenters shape', `[${expected}]`, shape);
    }
    const biasShape = weights.bias?.shape;
    const biasOk =
      this.bias === null
        ? biasShape === undefined
        : biasShape?.length === 1 && biasShape[0] === this.numClasses;
    if (!biasOk) {
      fail(
        where,
        'bias',
        this.bias === null ? 'absent (no bias)' : `[${this.numClasses}]`,
        weights.bias?.shape,
      );
    }
    tf.tidy(() => {
      this.classCenters.assign(
        this.layout === 'classMajor'
          ? weights.classCenters
          : tf.transpose(weights.classCenters),
      );
      if (this.bias !== null && weights.bias !== undefined) {
        this.bias.assign(weights.bias);
      }
    });
  }

  dispose(): void {
    this.classCenters.dispose();
    this.bias?.dispose();
  }
}
