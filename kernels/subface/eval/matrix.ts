/**
 * Embedding matrices as the evaluation code takes them: a flat typed
 * array in row-major order, nested arrays or a 2-D tensor, all brought to
 * one float64 row-major copy after checking the shape and finiteness.
 */
import * as tf from '@tensorflow/tfjs';

import { fail } from './errors';

/** [numRows, dim] embeddings, flat row-major, nested rows or a tensor. */
export type EmbeddingMatrix =
  Float32Array | Float64Array | readonly (readonly number[])[] | tf.Tensor2D;

/** A validated float64 copy: `data` is [numRows, dim] row-major. */
export interface Rows {
  data: Float64Array;
  numRows: number;
  dim: number;
}

/**
 * Copies `input` to float64 and checks it has `numRows` rows of equal
 * length and only finite values.
 */
export function toRows(
  where: string,
  input: EmbeddingMatrix,
  numRows: number,
): Rows {
  let data: Float64Array;
  if (input instanceof tf.Tensor) {
    if (input.rank !== 2 || input.shape[0] !== numRows) {
      fail(where, 'embeddings', `[${numRows}, dim]`, input.shape);
    }
    data = Float64Array.from(input.dataSync());
  } else if (Array.isArray(input)) {
    const rows = input as readonly (readonly number[])[];
    if (rows.length !== numRows) {
      fail(where, 'embeddings', `${numRows} rows`, rows.length);
    }
    const dim = rows[0]?.length ?? 0;
    data = new Float64Array(numRows * dim);
    rows.forEach((row, i) => {
      if (row.length !== dim) {
        fail(where, `embeddings row ${i}`, `of length ${dim}`, row.length);
      }
      data.set(row, i * dim);
    });
  } else if (input instanceof Float32Array || input instanceof Float64Array) {
    data = Float64Array.from(input);
  } else {
    fail(where, 'embeddings', 'a typed array, rows or a tensor', input);
  }

  if (numRows < 1 || data.length % numRows !== 0) {
    fail(where, 'embeddings length', `a multiple of ${numRows}`, data.length);
  }
  const dim = data.length / numRows;
  if (dim < 1) fail(where, 'embeddingDim', '>= 1', dim);
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      const row = Math.floor(i / dim);
      fail(where, `embeddings[${row}, ${i % dim}]`, 'finite', data[i]);
    }
  }
  return { data, numRows, dim };
}

/** L2 norm of the entries `dims` of the row that starts at `offset`. */
export function norm(
  data: ArrayLike<number>,
  offset: number,
  dims: ArrayLike<number>,
): number {
  let sum = 0;
  for (let j = 0; j < dims.length; j++) {
    const v = data[offset + dims[j]];
    sum += v * v;
  }
  return Math.sqrt(sum);
}

/** 0, 1, ..., n - 1. */
export function range(n: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}

/**
 * Rows of `input`: a tensor's or nested array's first dimension, or a
 * flat array's length over `embeddingDim` (which it then needs).
 */
export function countRows(
  where: string,
  input: EmbeddingMatrix,
  embeddingDim: number | null,
): number {
  if (input instanceof tf.Tensor) return input.shape[0];
  if (Array.isArray(input)) return input.length;
  if (embeddingDim === null) {
    fail(where, 'embeddingDim', 'given for a flat array', null);
  }
  if (!Number.isInteger(embeddingDim) || embeddingDim < 1) {
    fail(where, 'embeddingDim', 'a positive integer', embeddingDim);
  }
  return (input as Float32Array).length / embeddingDim;
}
