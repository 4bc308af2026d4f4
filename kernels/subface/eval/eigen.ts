/**
 * Leading eigenpairs of a symmetric positive semi-definite matrix in
 * float64: cyclic Jacobi for small matrices, and subspace iteration with
 * Rayleigh-Ritz (Jacobi on the small projected matrix) for the top few.
 */
import { SeededRandom } from '../runtime/random';

/** Jacobi stops when the off-diagonal mass is this fraction of the total. */
const JACOBI_TOLERANCE = 1e-26;
const JACOBI_MAX_SWEEPS = 60;

export interface Eigen {
  /** Eigenvalues, descending [count]. */
  values: Float64Array;
  /** Eigenvectors as rows, [count, n] row-major. */
  vectors: Float64Array;
}

/**
 * All eigenpairs of a symmetric n x n matrix by cyclic Jacobi rotations
 * (O(n^3) per sweep: meant for n up to a few dozen).
 * @param matrix [n, n] row-major, symmetric (not modified)
 */
export function jacobiEigen(matrix: Float64Array, n: number): Eigen {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  let total = 0;
  for (const x of a) total += x * x;

  for (let sweep = 0; sweep < JACOBI_MAX_SWEEPS; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) off += 2 * a[p * n + q] ** 2;
    }
    if (off <= JACOBI_TOLERANCE * total) break;

    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (apq === 0) continue;
        // The rotation angle that zeroes a[p, q] (smaller root for t).
        const theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        const sign = theta >= 0 ? 1 : -1;
        const t = sign / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        rotate(a, n, p, q, c, s);
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p];
          const vkq = v[k * n + q];
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }

  // Columns of v are eigenvectors; return rows, by descending value.
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (i, j) => a[j * n + j] - a[i * n + i],
  );
  const values = Float64Array.from(order, (i) => a[i * n + i]);
  const vectors = new Float64Array(n * n);
  order.forEach((i, row) => {
    for (let k = 0; k < n; k++) vectors[row * n + k] = v[k * n + i];
  });
  return { values, vectors };
}

/** a <- J^T a J for the rotation in the (p, q) plane. */
function rotate(
  a: Float64Array,
  n: number,
  p: number,
  q: number,
  c: number,
  s: number,
): void {
  for (let k = 0; k < n; k++) {
    const akp = a[k * n + p];
    const akq = a[k * n + q];
    a[k * n + p] = c * akp - s * akq;
    a[k * n + q] = s * akp + c * akq;
  }
  for (let k = 0; k < n; k++) {
    const apk = a[p * n + k];
    const aqk = a[q * n + k];
    a[p * n + k] = c * apk - s * aqk;
    a[q * n + k] = s * apk + c * aqk;
  }
}

/** Orthonormalises the rows of `block` [rows, n] in place (Gram-Schmidt). */
function orthonormalizeRows(
  block: Float64Array,
  rows: number,
  n: number,
): void {
  for (let i = 0; i < rows; i++) {
    const row = block.subarray(i * n, (i + 1) * n);
    for (let j = 0; j < i; j++) {
      const other = block.subarray(j * n, (j + 1) * n);
      let d = 0;
      for (let k = 0; k < n; k++) d += row[k] * other[k];
      for (let k = 0; k < n; k++) row[k] -= d * other[k];
    }
    let length = 0;
    for (let k = 0; k < n; k++) length += row[k] * row[k];
    length = Math.sqrt(length);
    for (let k = 0; k < n; k++) row[k] = length > 0 ? row[k] / length : 0;
  }
}

/** out[i] = matrix * block[i] for each row of `block` [rows, n]. */
function multiplyRows(
  matrix: Float64Array,
  block: Float64Array,
  rows: number,
  n: number,
): Float64Array {
  const out = new Float64Array(rows * n);
  for (let i = 0; i < rows; i++) {
    for (let r = 0; r < n; r++) {
      let sum = 0;
      for (let k = 0; k < n; k++) sum += matrix[r * n + k] * block[i * n + k];
      out[i * n + r] = sum;
    }
  }
  return out;
}

export interface TopEigen extends Eigen {
  converged: boolean;
  iterations: number;
  /** Largest ||C x - lambda x|| / lambda_1 over the returned pairs. */
  residual: number;
}

/**
 * The `count` leading eigenpairs of a symmetric PSD matrix by subspace
 * iteration on a block of count + 8 vectors with a Rayleigh-Ritz step each
 * iteration. When the block spans the whole space this is one Jacobi
 * solve, exact up to rounding.
 * @param matrix [n, n] row-major, symmetric PSD
 */
export function topEigen(
  matrix: Float64Array,
  n: number,
  count: number,
  seed: number,
  options: { tolerance?: number; maxIterations?: number } = {},
): TopEigen {
  const { tolerance = 1e-7, maxIterations = 1000 } = options;
  const size = Math.min(n, count + 8);
  let block: Float64Array = new Float64Array(size * n);
  if (size === n) {
    for (let i = 0; i < n; i++) block[i * n + i] = 1;
  } else {
    const random = new SeededRandom(seed);
    for (let i = 0; i < block.length; i++) block[i] = random.normal();
    orthonormalizeRows(block, size, n);
  }

  let result: TopEigen | null = null;
  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    const product = multiplyRows(matrix, block, size, n); // [size, n]
    const projected = new Float64Array(size * size);
    for (let i = 0; i < size; i++) {
      for (let j = 0; j < size; j++) {
        let sum = 0;
        for (let k = 0; k < n; k++) {
          sum += block[i * n + k] * product[j * n + k];
        }
        projected[i * size + j] = sum;
      }
    }
    const small = jacobiEigen(symmetrize(projected, size), size);

    // Ritz vectors x_i = sum_j U[i, j] q_j and C x_i = sum_j U[i, j] Cq_j.
    const ritz = combine(small.vectors, block, size, n);
    const image = combine(small.vectors, product, size, n);
    let residual = 0;
    const scale = Math.max(Math.abs(small.values[0]), Number.MIN_VALUE);
    for (let i = 0; i < count; i++) {
      let squares = 0;
      for (let k = 0; k < n; k++) {
        const r = image[i * n + k] - small.values[i] * ritz[i * n + k];
        squares += r * r;
      }
      residual = Math.max(residual, Math.sqrt(squares) / scale);
    }
    result = {
      values: small.values.slice(0, count),
      vectors: ritz.slice(0, count * n),
      converged: residual <= tolerance || size === n,
      iterations: iteration,
      residual,
    };
    if (result.converged) break;
    block = image;
    orthonormalizeRows(block, size, n);
  }
  return result as TopEigen;
}

function symmetrize(m: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      out[i * n + j] = 0.5 * (m[i * n + j] + m[j * n + i]);
    }
  }
  return out;
}

/** rows of coefficients [size, size] times rows of basis [size, n]. */
function combine(
  coefficients: Float64Array,
  basis: Float64Array,
  size: number,
  n: number,
): Float64Array {
  const out = new Float64Array(size * n);
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      const c = coefficients[i * size + j];
      if (c === 0) continue;
      for (let k = 0; k < n; k++) out[i * n + k] += c * basis[j * n + k];
    }
  }
  return out;
}
