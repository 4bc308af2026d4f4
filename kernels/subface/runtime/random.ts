/**
 * Seeded random numbers for everything in the library that samples:
 * subspace draws, Partial FC negatives, data order, synthetic faces.
 *
 * The generator is xoshiro128** (32-bit state words, period 2^128 - 1),
 * seeded through splitmix32 so that nearby seeds give unrelated streams.
 * Its whole state is four uint32 words, so it can be saved in a checkpoint
 * and restored to continue the exact same sequence.
 */

/** Everything needed to continue a generator's sequence. */
export interface RandomState {
  /** The seed the generator was created with (for the record). */
  seed: number;
  /** The four xoshiro128** state words, as unsigned 32-bit integers. */
  words: [number, number, number, number];
  /** A cached second normal deviate from Box-Muller, or null. */
  spareNormal: number | null;
}

export class RandomError extends Error {
  override name = 'RandomError';
}

function splitMix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

function checkCount(where: string, name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new RandomError(
      `${where}: ${name} must be a non-negative integer, but got ${value}`,
    );
  }
}

export class SeededRandom {
  readonly seed: number;
  private words: Uint32Array;
  private spareNormal: number | null = null;

  constructor(seed: number) {
    if (!Number.isInteger(seed)) {
      throw new RandomError(
        `SeededRandom: seed must be an integer, but got ${seed}`,
      );
    }
    this.seed = seed;
    const next = splitMix32(seed);
    this.words = new Uint32Array([next(), next(), next(), next()]);
    // An all-zero state would stay zero forever.
    if (this.words.every((w) => w === 0)) this.words[0] = 1;
  }

  /** Rebuilds a generator that continues exactly where `state` was taken. */
  static fromState(state: RandomState): SeededRandom {
    const random = new SeededRandom(state.seed);
    random.setState(state);
    return random;
  }

  getState(): RandomState {
    const [a, b, c, d] = this.words;
    return {
      seed: this.seed,
      words: [a, b, c, d],
      spareNormal: this.spareNormal,
    };
  }

  setState(state: RandomState): void {
    const words = state?.words;
    if (
      !Array.isArray(words) ||
      words.length !== 4 ||
      words.some((w) => !Number.isInteger(w) || w < 0 || w > 0xffffffff)
    ) {
      throw new RandomError(
        'SeededRandom.setState: words must be four uint32 values, but got ' +
          JSON.stringify(words),
      );
    }
    this.words = Uint32Array.from(words);
    this.spareNormal = state.spareNormal ?? null;
  }

  /** A uniform unsigned 32-bit integer. */
  nextUint32(): number {
    const s = this.words;
    const result = Math.imul(rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1] << 9) >>> 0;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** A uniform double in [0, 1) with 53 random bits. */
  next(): number {
    const high = this.nextUint32() >>> 5; // 27 bits
    const low = this.nextUint32() >>> 6; // 26 bits
    return (high * 67108864 + low) / 9007199254740992;
  }

  /** A uniform integer in [0, maxExclusive), without modulo bias. */
  int(maxExclusive: number): number {
    if (
      !Number.isInteger(maxExclusive) ||
      maxExclusive < 1 ||
      maxExclusive > 0x100000000
    ) {
      throw new RandomError(
        'SeededRandom.int: maxExclusive must be an integer in [1, 2^32], ' +
          `but got ${maxExclusive}`,
      );
    }
    // Rejection sampling: drop draws from the incomplete last block.
    const limit = 0x100000000 - (0x100000000 % maxExclusive);
    let draw = this.nextUint32();
    while (draw >= limit) draw = this.nextUint32();
    return draw % maxExclusive;
  }

  /** True with probability `p`. */
  bernoulli(p: number): boolean {
    return this.next() < p;
  }

  /** A normal deviate (Box-Muller; the second value is kept for later). */
  normal(mean = 0, std = 1): number {
    if (this.spareNormal !== null) {
      const z = this.spareNormal;
      this.spareNormal = null;
      return mean + std * z;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const radius = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = radius * Math.sin(2 * Math.PI * v);
    return mean + std * radius * Math.cos(2 * Math.PI * v);
  }

  /** Shuffles `items` in place (Fisher-Yates) and returns it. */
  shuffle<T, A extends { length: number; [i: number]: T }>(items: A): A {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const swap = items[i];
      items[i] = items[j];
      items[j] = swap;
    }
    return items;
  }

  /** A uniform random permutation of 0..n-1. */
  permutation(n: number): Int32Array {
    checkCount('SeededRandom.permutation', 'n', n);
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    return this.shuffle(order);
  }

  /**
   * `k` distinct integers from 0..n-1, uniformly, in increasing order.
   * Uses a partial Fisher-Yates over a sparse map, so the cost is O(k),
   * not O(n), which matters for negatives among 100k+ classes.
   */
  sampleWithoutReplacement(n: number, k: number): Int32Array {
    const where = 'SeededRandom.sampleWithoutReplacement';
    checkCount(where, 'n', n);
    checkCount(where, 'k', k);
    if (k > n) {
      throw new RandomError(`${where}: k must be <= n (${n}), but got ${k}`);
    }
    const swapped = new Map<number, number>();
    const picked = new Int32Array(k);
    for (let i = 0; i < k; i++) {
      const j = i + this.int(n - i);
      const atJ = swapped.get(j) ?? j;
      swapped.set(j, swapped.get(i) ?? i);
      picked[i] = atJ;
    }
    return picked.sort();
  }

  /**
   * A new generator whose stream is derived from this one's seed and a
   * label, independent of how far this generator has advanced.
   */
  derive(label: string): SeededRandom {
    let hash = 0x811c9dc5;
    for (let i = 0; i < label.length; i++) {
      hash = Math.imul(hash ^ label.charCodeAt(i), 0x01000193) >>> 0;
    }
    return new SeededRandom((this.seed ^ hash) >>> 0);
  }
}
