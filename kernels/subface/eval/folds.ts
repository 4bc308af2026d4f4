/**
 * Which fold each verification pair belongs to: sklearn's
 * `KFold(n_splits, shuffle=False)` blocks, or the folds a pair list defines
 * (LFW's pairs.txt).
 */
import { fail } from './errors';

/** Where the folds came from, stated in every result. */
export type FoldsSource = 'kfold-contiguous' | 'list';

/**
 * Contiguous blocks as sklearn's KFold without shuffling makes them: every
 * fold has floor(P / numFolds) pairs and the first P % numFolds folds one
 * more (613 pairs: 62, 62, 62, 61, ..., 61).
 * @returns fold id of each pair, int32 [numPairs]
 */
export function kFoldAssignment(
  numPairs: number,
  numFolds: number,
): Int32Array {
  const where = 'kFoldAssignment';
  if (!Number.isInteger(numFolds) || numFolds < 2) {
    fail(where, 'numFolds', 'an integer >= 2', numFolds);
  }
  if (!Number.isInteger(numPairs) || numPairs < numFolds) {
    fail(where, 'numPairs', `an integer >= numFolds (${numFolds})`, numPairs);
  }

  const folds = new Int32Array(numPairs);
  const base = Math.floor(numPairs / numFolds);
  const extra = numPairs % numFolds;
  let start = 0;
  for (let fold = 0; fold < numFolds; fold++) {
    const size = base + (fold < extra ? 1 : 0);
    folds.fill(fold, start, start + size);
    start += size;
  }
  return folds;
}

/**
 * Checks a fold list: one id in [0, numFolds) per pair, every fold used,
 * and returns numFolds (1 + the largest id).
 */
export function checkFoldList(
  where: string,
  folds: ArrayLike<number>,
  numPairs: number,
): number {
  if (folds.length !== numPairs) {
    fail(where, 'folds length', `numPairs (${numPairs})`, folds.length);
  }
  let numFolds = 0;
  for (let i = 0; i < folds.length; i++) {
    const fold = folds[i];
    if (!Number.isInteger(fold) || fold < 0) {
      fail(where, `folds[${i}]`, 'a non-negative integer', fold);
    }
    numFolds = Math.max(numFolds, fold + 1);
  }

  const used = new Uint8Array(numFolds);
  for (let i = 0; i < folds.length; i++) used[folds[i]] = 1;
  const missing = used.indexOf(0);
  if (numFolds < 2 || missing >= 0) {
    fail(where, 'folds', 'ids 0..numFolds-1 (>= 2 folds, none empty)', {
      numFolds,
      firstEmptyFold: missing,
    });
  }
  return numFolds;
}
