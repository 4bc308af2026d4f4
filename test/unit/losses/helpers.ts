/**
 * Shared test helpers: the reference fixture, named tolerances, backend
 * set-up and gradient runners for the losses tests.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';

import * as tf from '@tensorflow/tfjs';

import {
  CenterLayout,
  HeadWeights,
  MarginConfig,
  MarginSoftmaxHead,
  SelectKernel,
  SelectMode,
  stepLoss,
  SubspaceBlock,
} from '../../../kernels/subface/losses';

/** float32 tfjs vs float64 PyTorch: relative error of the loss. */
export const LOSS_RTOL = 1e-4;
/** Gradients: relative error per entry ... */
export const GRAD_RTOL = 2e-3;
/** ... plus this fraction of the largest reference entry. */
export const GRAD_ATOL_FRACTION = 2e-4;
/** Target-logit table of docs/method.md, "Margin": 4 decimals. */
export const TABLE_TOL = 6e-5;

export interface ReferenceCase {
  name: string;
  config: MarginConfig;
  labels: number[];
  blocks?: { rowStart: number; rowEnd: number; dims: number[] }[];
  classIndex?: number[];
  lambda?: number;
  loss: number;
  gradRawEmbeddings: number[][];
  gradClassCenters: number[][];
  gradBias?: number[];
}

export interface Reference {
  batch: number;
  embeddingDim: number;
  numClasses: number;
  rawEmbeddings: number[][];
  classCenters: number[][];
  bias: number[];
  labels: number[];
  cases: ReferenceCase[];
}

export function loadReference(): Reference {
  // Compiled tests run from out/test/unit/losses; the JSON stays in the
  // source tree.
  const root = path.resolve(__dirname, '../../../..');
  const file = path.join(root, 'test/fixtures/loss_reference.json');
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Reference;
}

export function toBlocks(
  blocks: ReferenceCase['blocks'],
): SubspaceBlock[] | null {
  if (blocks === undefined) return null;
  return blocks.map((block) => ({
    rowStart: block.rowStart,
    rowEnd: block.rowEnd,
    dims: Int32Array.from(block.dims),
  }));
}

/** The fixture's weights in canonical layout (caller disposes). */
export function referenceWeights(
  reference: Reference,
  withBias: boolean,
): HeadWeights {
  const classCenters = tf.tensor2d(reference.classCenters);
  return withBias
    ? { classCenters, bias: tf.tensor1d(reference.bias) }
    : { classCenters };
}

/** Asserts |actual - expected| <= atol + rtol * |expected| everywhere. */
export function assertClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  rtol: number,
  atol: number,
  what: string,
): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    const error = Math.abs(actual[i] - expected[i]);
    const bound = atol + rtol * Math.abs(expected[i]);
    if (!(error <= bound)) {
      assert.fail(
        `${what}[${i}]: got ${actual[i]}, expected ${expected[i]} ` +
          `(error ${error.toExponential(2)} > ${bound.toExponential(2)})`,
      );
    }
  }
}

/** Asserts every value is finite. */
export function assertFinite(values: ArrayLike<number>, what: string): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      assert.fail(`${what}[${i}] is ${values[i]}`);
    }
  }
}

/** The largest |value|. */
export function maxAbs(values: ArrayLike<number>): number {
  let largest = 0;
  for (let i = 0; i < values.length; i++) {
    largest = Math.max(largest, Math.abs(values[i]));
  }
  return largest;
}

/** Makes `cpu` the backend (the default for these tests). */
export async function useCpu(): Promise<void> {
  assert.ok(await tf.setBackend('cpu'));
  await tf.ready();
}

/**
 * Loss and gradients of `lossFn` with respect to the embeddings and the
 * head's variables (one backward pass), read back as plain arrays.
 * @param rawEmbeddings [batch, embeddingDim]
 */
export function lossAndGrads(
  rawEmbeddings: tf.Tensor2D,
  variables: tf.Variable[],
  lossFn: (raw: tf.Tensor2D) => tf.Scalar,
): { loss: number; gradRaw: Float32Array; gradVariables: Float32Array[] } {
  const rawVariable = tf.variable(rawEmbeddings, true);
  try {
    return tf.tidy(() => {
      const { value, grads } = tf.variableGrads(
        () => lossFn(rawVariable as tf.Tensor2D),
        [rawVariable, ...variables],
      );
      const read = (variable: tf.Variable): Float32Array =>
        grads[variable.name].dataSync() as Float32Array;
      return {
        loss: value.dataSync()[0],
        gradRaw: read(rawVariable),
        gradVariables: variables.map(read),
      };
    });
  } finally {
    rawVariable.dispose();
  }
}

/** Storage-layout gradient of the centres -> canonical [C, d] order. */
export function canonical(
  grad: Float32Array,
  layout: CenterLayout,
  numClasses: number,
  embeddingDim: number,
): Float32Array {
  if (layout === 'classMajor') return grad;
  const out = new Float32Array(grad.length);
  for (let c = 0; c < numClasses; c++) {
    for (let j = 0; j < embeddingDim; j++) {
      out[c * embeddingDim + j] = grad[j * numClasses + c];
    }
  }
  return out;
}

export function checkCase(
  reference: Reference,
  testCase: ReferenceCase,
  layout: CenterLayout,
  select: SelectMode,
  kernel: SelectKernel,
): void {
  const { numClasses, embeddingDim } = reference;
  const head = new MarginSoftmaxHead({
    numClasses,
    embeddingDim,
    margin: testCase.config,
    layout,
  });
  const weights = referenceWeights(reference, head.margin.useBias);
  head.setWeights(weights);
  tf.dispose([weights.classCenters, weights.bias]);

  const raw = tf.tensor2d(reference.rawEmbeddings);
  const labels = Int32Array.from(testCase.labels);
  const draw = {
    classIndex: testCase.classIndex
      ? Int32Array.from(testCase.classIndex)
      : null,
    blocks: toBlocks(testCase.blocks),
  };
  const options = {
    margin: head.margin,
    select,
    lambda: testCase.lambda ?? 0,
    kernel,
  };
  const result = lossAndGrads(raw, head.trainableVariables(), (x) =>
    stepLoss(x, labels, head.centers, draw, options),
  );

  const what = `${testCase.name} (${layout}, ${select}, ${kernel})`;
  assertClose([result.loss], [testCase.loss], LOSS_RTOL, 0, `${what} loss`);
  const expectRaw = testCase.gradRawEmbeddings.flat();
  assertClose(
    result.gradRaw,
    expectRaw,
    GRAD_RTOL,
    GRAD_ATOL_FRACTION * maxAbs(expectRaw),
    `${what} dLoss/dRawEmbeddings`,
  );
  const expectCenters = testCase.gradClassCenters.flat();
  assertClose(
    canonical(result.gradVariables[0], layout, numClasses, embeddingDim),
    expectCenters,
    GRAD_RTOL,
    GRAD_ATOL_FRACTION * maxAbs(expectCenters),
    `${what} dLoss/dClassCenters`,
  );
  if (testCase.gradBias) {
    assertClose(
      result.gradVariables[1],
      testCase.gradBias,
      GRAD_RTOL,
      GRAD_ATOL_FRACTION * maxAbs(testCase.gradBias),
      `${what} dLoss/dBias`,
    );
  }
  raw.dispose();
  head.dispose();
}
