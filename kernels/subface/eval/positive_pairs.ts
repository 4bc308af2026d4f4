/**
 * Same-identity pairs for the pair view, drawn from labels: all of them
 * when there are few, else a seeded uniform sample of distinct pairs.
 */
import { SeededRandom } from '../runtime/random';
import { checkNumber, fail } from './errors';

/**
 * Up to `maxPairs` distinct pairs (i < j) with labels[i] === labels[j].
 * Pairs are numbered class by class (row-major upper triangle within a
 * class); a sample draws pair numbers without replacement.
 * @returns int32 [numPairs, 2] row-major, in pair-number order
 */
export function sameIdentityPairs(
  labels: ArrayLike<number>,
  maxPairs = 1000,
  seed = 0,
): Int32Array {
  const where = 'sameIdentityPairs';
  checkNumber(where, 'maxPairs', maxPairs, { min: 1, integer: true });
  checkNumber(where, 'seed', seed, { integer: true });
  const groups = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const members = groups.get(labels[i]) ?? [];
    members.push(i);
    groups.set(labels[i], members);
  }
  const classes = [...groups.values()].filter((m) => m.length >= 2);

  // starts[c]: number of the first pair of class c.
  const starts = [0];
  for (const members of classes) {
    const n = members.length;
    starts.push(starts[starts.length - 1] + (n * (n - 1)) / 2);
  }
  const total = starts[starts.length - 1];
  if (total === 0) fail(where, 'labels', 'some class with >= 2', labels);
  const numbers =
    total <= maxPairs
      ? Int32Array.from({ length: total }, (_, k) => k)
      : new SeededRandom(seed).sampleWithoutReplacement(total, maxPairs);

  const out = new Int32Array(numbers.length * 2);
  let c = 0;
  numbers.forEach((number, p) => {
    // Numbers ascend, so the class index only moves forward.
    while (number >= starts[c + 1]) c += 1;
    const members = classes[c];
    let rest = number - starts[c];
    let i = 0;
    while (rest >= members.length - 1 - i) {
      rest -= members.length - 1 - i;
      i += 1;
    }
    out[2 * p] = members[i];
    out[2 * p + 1] = members[i + 1 + rest];
  });
  return out;
}
