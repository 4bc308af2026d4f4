/**
 * Disjoint blocks of embedding dimensions for the aggregation table:
 * contiguous runs, or runs of a seeded permutation.
 */
import { SeededRandom } from '../runtime/random';
import { fail } from './errors';

export const BLOCK_MODES = ['contiguous', 'permuted'] as const;
export type BlockMode = (typeof BLOCK_MODES)[number];

/**
 * Splits 0..dim-1 into `numBlocks` disjoint blocks as np.array_split
 * sizes them (the first dim % numBlocks blocks one dim larger). A
 * permuted split takes runs of `new SeededRandom(seed).permutation(dim)`.
 * @returns dims of each block, ascending within a block
 */
export function splitDims(
  dim: number,
  numBlocks: number,
  mode: BlockMode,
  seed: number,
): Int32Array[] {
  if (!Number.isInteger(numBlocks) || numBlocks < 1 || numBlocks > dim) {
    fail('splitDims', 'numBlocks', `an integer in [1, ${dim}]`, numBlocks);
  }
  const order =
    mode === 'permuted'
      ? new SeededRandom(seed).permutation(dim)
      : Int32Array.from({ length: dim }, (_, j) => j);

  const blocks: Int32Array[] = [];
  const base = Math.floor(dim / numBlocks);
  let start = 0;
  for (let b = 0; b < numBlocks; b++) {
    const size = base + (b < dim % numBlocks ? 1 : 0);
    blocks.push(order.slice(start, start + size).sort());
    start += size;
  }
  return blocks;
}

/** Checks explicit blocks: non-empty, in range, pairwise disjoint. */
export function checkBlocks(
  where: string,
  blocks: readonly (readonly number[])[],
  dim: number,
): Int32Array[] {
  const seen = new Uint8Array(dim);
  return blocks.map((block, b) => {
    if (block.length === 0) fail(where, `blocks[${b}]`, 'non-empty', block);
    for (const j of block) {
      if (!Number.isInteger(j) || j < 0 || j >= dim || seen[j]) {
        const expected = `distinct dims in [0, ${dim}) across blocks`;
        fail(where, `blocks[${b}]`, expected, block);
      }
      seen[j] = 1;
    }
    return Int32Array.from(block);
  });
}
