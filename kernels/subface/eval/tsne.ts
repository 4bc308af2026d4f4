/**
 * Exact t-SNE (van der Maaten and Hinton, 2008): O(n^2) memory and time
 * per iteration, so meant for at most TSNE_MAX_POINTS points. Gaussian
 * affinities at a fixed perplexity, Student-t similarities in the map,
 * early exaggeration, momentum and per-coordinate gains.
 */
import { SeededRandom } from '../runtime/random';
import { Rows } from './matrix';

/** Exact t-SNE needs n^2 memory and time: the largest sample it takes. */
export const TSNE_MAX_POINTS = 2000;

export interface TsneOptions {
  dims: number;
  seed: number;
  /** Effective number of neighbours, clipped to (n - 1) / 3. */
  perplexity: number;
  iterations: number;
  learningRate: number;
}

export const EXAGGERATION = 12;
const EXAGGERATION_ITERATIONS = 250;
const MIN_GAIN = 0.01;
const MIN_PROBABILITY = 1e-12;

/** Squared Euclidean distances, float64 [n, n]. */
function squaredDistances(rows: Rows): Float64Array {
  const { numRows: n, dim, data } = rows;
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let sum = 0;
      for (let k = 0; k < dim; k++) {
        const diff = data[i * dim + k] - data[j * dim + k];
        sum += diff * diff;
      }
      out[i * n + j] = sum;
      out[j * n + i] = sum;
    }
  }
  return out;
}

/**
 * Joint probabilities P: each row's Gaussian precision is found by
 * bisection so its entropy is log(perplexity), then P is symmetrised.
 * @returns float64 [n, n], summing to 1
 */
function affinities(
  distances: Float64Array,
  n: number,
  perplexity: number,
): Float64Array {
  const target = Math.log(perplexity);
  const p = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    let beta = 1;
    let low = 0;
    let high = Infinity;
    const row = p.subarray(i * n, (i + 1) * n);
    for (let step = 0; step < 64; step++) {
      let sum = 0;
      let weighted = 0;
      for (let j = 0; j < n; j++) {
        const d = distances[i * n + j];
        row[j] = j === i ? 0 : Math.exp(-d * beta);
        sum += row[j];
        weighted += d * row[j];
      }
      sum = Math.max(sum, MIN_PROBABILITY);
      // Entropy of the row: log(sum) + beta * E[d].
      const entropy = Math.log(sum) + (beta * weighted) / sum;
      row.forEach((v, j) => (row[j] = v / sum));
      if (Math.abs(entropy - target) < 1e-5) break;
      if (entropy > target) {
        low = beta;
        beta = high === Infinity ? beta * 2 : (beta + high) / 2;
      } else {
        high = beta;
        beta = (beta + low) / 2;
      }
    }
  }

  const joint = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const value = (p[i * n + j] + p[j * n + i]) / (2 * n);
      joint[i * n + j] = Math.max(value, MIN_PROBABILITY);
    }
  }
  return joint;
}

/**
 * Embeds the rows in `dims` dimensions.
 * @param rows [n, dim], n >= 4
 * @returns float32 [n, dims]
 */
export function tsne(rows: Rows, options: TsneOptions): Float32Array {
  const n = rows.numRows;
  const { dims, iterations, learningRate } = options;
  const perplexity = Math.min(options.perplexity, (n - 1) / 3);
  const p = affinities(squaredDistances(rows), n, perplexity);

  const random = new SeededRandom(options.seed);
  const y = Float64Array.from({ length: n * dims }, () =>
    random.normal(0, 1e-4),
  );
  const update = new Float64Array(n * dims);
  const gains = new Float64Array(n * dims).fill(1);
  const similarity = new Float64Array(n * n);
  const gradient = new Float64Array(n * dims);

  for (let iteration = 0; iteration < iterations; iteration++) {
    const early = iteration < EXAGGERATION_ITERATIONS;
    const exaggeration = early ? EXAGGERATION : 1;
    const momentum = early ? 0.5 : 0.8;

    // Student-t similarities (1 + |y_i - y_j|^2)^-1 and their sum.
    let total = 0;
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        let d = 0;
        for (let k = 0; k < dims; k++) {
          const diff = y[i * dims + k] - y[j * dims + k];
          d += diff * diff;
        }
        const s = 1 / (1 + d);
        similarity[i * n + j] = s;
        similarity[j * n + i] = s;
        total += 2 * s;
      }
    }

    // dC/dy_i = 4 sum_j (p_ij - q_ij) s_ij (y_i - y_j).
    gradient.fill(0);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        if (i === j) continue;
        const s = similarity[i * n + j];
        const force = 4 * (exaggeration * p[i * n + j] - s / total) * s;
        for (let k = 0; k < dims; k++) {
          gradient[i * dims + k] += force * (y[i * dims + k] - y[j * dims + k]);
        }
      }
    }

    // Gains grow where the gradient flips against the last step.
    for (let index = 0; index < y.length; index++) {
      const g = gradient[index];
      const flipped = g > 0 !== update[index] > 0;
      gains[index] = Math.max(
        MIN_GAIN,
        flipped ? gains[index] + 0.2 : gains[index] * 0.8,
      );
      update[index] =
        momentum * update[index] - learningRate * gains[index] * g;
      y[index] += update[index];
    }
  }
  return Float32Array.from(y);
}
