/**
 * Gradients of `BatchMatMul` without transpose flags. On wasm a matMul
 * with `transposeA` or `transposeB` leaves XNNPACK for a loop about 10x
 * slower, and tfjs' gradient of every matMul uses one. Materialising the
 * transposed operand (or computing the transposed product) is cheaper.
 */
import * as tf from '@tensorflow/tfjs';

/** Swaps the last two axes. */
function transposeLast(x: tf.Tensor): tf.Tensor {
  const perm = x.shape.map((_, i) => i);
  const last = perm.length - 1;
  perm[last] = last - 1;
  perm[last - 1] = last;
  return tf.transpose(x, perm);
}

function elementCount(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * Cost, in element passes, of having XNNPACK pack a right-hand operand:
 * every call repacks it (a fresh tensor each step), and measured on wasm
 * this takes about twice as long as transposing it.
 */
const PACK_COST = 2;

/**
 * op(a) @ op(b) with plain matMuls only, where op transposes the last two
 * axes when its flag is set. Either the flagged operands are transposed,
 * or the transposed product op(b)^T @ op(a)^T is computed and transposed
 * back; the one that moves fewer elements wins, counting the repacking of
 * whichever operand ends up on the right (for a [32, 512] dy and a
 * [4096, 512] weight, the second moves 8x less).
 */
export function matMulPlain(
  a: tf.Tensor,
  b: tf.Tensor,
  transposeA: boolean,
  transposeB: boolean,
): tf.Tensor {
  if (!transposeA && !transposeB) return tf.matMul(a, b);
  const rank = a.rank;
  const rows = a.shape[transposeA ? rank - 1 : rank - 2];
  const columns = b.shape[transposeB ? rank - 2 : rank - 1];
  const outputSize = elementCount(a.shape.slice(0, -2)) * rows * columns;
  const sizeA = elementCount(a.shape);
  const sizeB = elementCount(b.shape);
  const direct =
    (transposeA ? sizeA : 0) + (transposeB ? sizeB : 0) + PACK_COST * sizeB;
  const flipped =
    (transposeA ? 0 : sizeA) +
    (transposeB ? 0 : sizeB) +
    outputSize +
    PACK_COST * sizeA;

  if (direct <= flipped) {
    const left = transposeA ? transposeLast(a) : a;
    const right = transposeB ? transposeLast(b) : b;
    return tf.matMul(left, right);
  }
  // (op(a) op(b))^T = op(b)^T op(a)^T
  const left = transposeB ? b : transposeLast(b);
  const right = transposeA ? a : transposeLast(a);
  return transposeLast(tf.matMul(left, right));
}

/**
 * The four cases of y = op(a) @ op(b), as in tfjs' own gradient:
 *   none:  da = dy b^T,     db = a^T dy
 *   B:     da = dy b,       db = dy^T a
 *   A:     da = b dy^T,     db = a dy
 *   A, B:  da = b^T dy^T,   db = dy^T a^T
 * Returns null when batch dimensions broadcast (left to tfjs).
 */
export function batchMatMulGradients(
  dy: tf.Tensor,
  a: tf.Tensor,
  b: tf.Tensor,
  transposeA: boolean,
  transposeB: boolean,
): { a: () => tf.Tensor; b: () => tf.Tensor } | null {
  if (a.rank !== b.rank || a.rank < 2) return null;
  const batchA = a.shape.slice(0, -2);
  const batchB = b.shape.slice(0, -2);
  if (batchA.some((size, i) => size !== batchB[i])) return null;

  if (!transposeA && !transposeB) {
    return {
      a: () => matMulPlain(dy, b, false, true),
      b: () => matMulPlain(a, dy, true, false),
    };
  }
  if (!transposeA && transposeB) {
    return {
      a: () => matMulPlain(dy, b, false, false),
      b: () => matMulPlain(dy, a, true, false),
    };
  }
  if (transposeA && !transposeB) {
    return {
      a: () => matMulPlain(b, dy, false, true),
      b: () => matMulPlain(a, dy, false, false),
    };
  }
  return {
    a: () => matMulPlain(b, dy, true, true),
    b: () => matMulPlain(dy, a, true, true),
  };
}
