/**
 * The order and flips of one epoch, rebuilt from (seed, epoch) alone so
 * that a resumed run sees exactly the epoch the interrupted one would
 * have seen.
 */
import { SeededRandom } from '../../runtime/random';

export interface EpochPlan {
  epoch: number;
  /** order[p] is the source index read at position p. */
  order: Int32Array;
  /** flips[p] is 1 when the image at position p is mirrored. */
  flips: Uint8Array;
}

/** The plan of `epoch`; shuffle and flip off give index order, no flips. */
export function epochPlan(
  numImages: number,
  epoch: number,
  seed: number,
  shuffle: boolean,
  flip: boolean,
): EpochPlan {
  const root = new SeededRandom(seed);
  let order: Int32Array;
  if (shuffle) {
    order = root.derive(`order:${epoch}`).permutation(numImages);
  } else {
    order = new Int32Array(numImages);
    for (let i = 0; i < numImages; i++) order[i] = i;
  }
  const flips = new Uint8Array(numImages);
  if (flip) {
    const random = root.derive(`flip:${epoch}`);
    for (let p = 0; p < numImages; p++)
      flips[p] = random.bernoulli(0.5) ? 1 : 0;
  }
  return { epoch, order, flips };
}
