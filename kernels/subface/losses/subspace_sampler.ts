/**
 * Seeded, resumable draws of the embedding dims a SubFace step uses
 * (docs/method.md, "How the subspace is drawn"):
 * - 'exact' (Algorithm 1, the default): exactly round(r * d) dims, one draw
 *   shared by the whole batch and every class;
 * - 'bernoulli' (Eq. 3): each dim kept with probability r; an empty draw is
 *   redrawn, so the law is Bernoulli conditioned on at least one dim;
 * - 'partition': the batch is split into ceil(1 / r) near-equal sub-batches,
 *   each with its own block of one random partition of the dims (blocks are
 *   disjoint within a batch; each holds about d / ceil(1 / r) dims);
 * - 'cyclic': steps take successive round(r * d)-sized blocks of a random
 *   permutation, so each cycle uses every dim exactly once. A block that
 *   runs past the end of a cycle is topped up from the next permutation,
 *   skipping dims it already holds, so every draw has the same size.
 */
import { RandomState, SeededRandom } from '../runtime/random';
import { SubspaceBlock } from './cosines';
import { checkNumber, checkOption, fail } from './errors';

export const SAMPLER_MODES = [
  'exact',
  'bernoulli',
  'partition',
  'cyclic',
] as const;

export type SamplerMode = (typeof SAMPLER_MODES)[number];

/** Everything needed to continue a sampler's sequence (JSON-safe). */
export interface SamplerState {
  mode: SamplerMode;
  embeddingDim: number;
  random: RandomState;
  /** 'cyclic' only: dims of the current cycle not used yet, in order. */
  pool: number[];
}

/** Splits 0..count into `parts` contiguous near-equal [start, end) ranges. */
export function splitEvenly(count: number, parts: number): [number, number][] {
  const ranges: [number, number][] = [];
  for (let i = 0; i < parts; i++) {
    ranges.push([
      Math.floor((i * count) / parts),
      Math.floor(((i + 1) * count) / parts),
    ]);
  }
  return ranges;
}

/** The number of dims 'exact' and 'cyclic' keep: round(r * d), >= 1. */
export function subspaceSize(ratio: number, embeddingDim: number): number {
  return Math.min(embeddingDim, Math.max(1, Math.round(ratio * embeddingDim)));
}

function sorted(dims: Iterable<number>): Int32Array {
  return Int32Array.from(dims).sort();
}

export class SubspaceSampler {
  readonly mode: SamplerMode;
  readonly embeddingDim: number;
  private random: SeededRandom;
  private pool: number[] = [];

  constructor(mode: SamplerMode, embeddingDim: number, seed: number) {
    const where = 'SubspaceSampler';
    this.mode = checkOption(where, 'mode', mode, SAMPLER_MODES);
    this.embeddingDim = checkNumber(where, 'embeddingDim', embeddingDim, {
      min: 1,
      integer: true,
    });
    this.random = new SeededRandom(seed);
  }

  /**
   * The blocks of one step: rows of the batch and the dims each uses.
   * @param batchSize rows in this step's batch
   * @param ratio r in (0, 1]
   */
  draw(batchSize: number, ratio: number): SubspaceBlock[] {
    const where = 'SubspaceSampler.draw';
    checkNumber(where, 'ratio', ratio, { min: Number.MIN_VALUE, max: 1 });
    checkNumber(where, 'batchSize', batchSize, { min: 1, integer: true });
    const d = this.embeddingDim;
    const whole = (dims: Int32Array): SubspaceBlock[] => [
      { rowStart: 0, rowEnd: batchSize, dims },
    ];

    switch (this.mode) {
      case 'exact': {
        const k = subspaceSize(ratio, d);
        return whole(this.random.sampleWithoutReplacement(d, k));
      }
      case 'bernoulli': {
        let kept: number[] = [];
        while (kept.length === 0) {
          kept = [];
          for (let dim = 0; dim < d; dim++) {
            if (this.random.bernoulli(ratio)) kept.push(dim);
          }
        }
        return whole(sorted(kept));
      }
      case 'partition': {
        const numBlocks = Math.min(Math.ceil(1 / ratio - 1e-9), d);
        const order = this.random.permutation(d);
        const rowRanges = splitEvenly(batchSize, numBlocks);
        return splitEvenly(d, numBlocks).map(([start, end], i) => ({
          rowStart: rowRanges[i][0],
          rowEnd: rowRanges[i][1],
          dims: sorted(order.subarray(start, end)),
        }));
      }
      case 'cyclic':
        return whole(this.nextCyclic(subspaceSize(ratio, d)));
    }
  }

  private nextCyclic(k: number): Int32Array {
    const taken = this.pool.splice(0, k);
    if (taken.length < k) {
      // Start the next cycle without the dims this draw already holds;
      // they stay in the new cycle's pool for a later step.
      const held = new Set(taken);
      const next = Array.from(this.random.permutation(this.embeddingDim));
      const fresh = next.filter((dim) => !held.has(dim));
      const topUp = fresh.slice(0, k - taken.length);
      const used = new Set(topUp);
      this.pool = next.filter((dim) => !used.has(dim));
      taken.push(...topUp);
    }
    return sorted(taken);
  }

  getState(): SamplerState {
    return {
      mode: this.mode,
      embeddingDim: this.embeddingDim,
      random: this.random.getState(),
      pool: [...this.pool],
    };
  }

  setState(state: SamplerState): void {
    const where = 'SubspaceSampler.setState';
    if (state?.mode !== this.mode) {
      fail(where, 'state.mode', `'${this.mode}'`, state?.mode);
    }
    if (state.embeddingDim !== this.embeddingDim) {
      fail(
        where,
        'state.embeddingDim',
        `${this.embeddingDim}`,
        state.embeddingDim,
      );
    }
    const pool = state.pool ?? [];
    if (
      !Array.isArray(pool) ||
      pool.some(
        (dim) => !Number.isInteger(dim) || dim < 0 || dim >= this.embeddingDim,
      )
    ) {
      fail(where, 'state.pool', `dims in [0, ${this.embeddingDim})`, pool);
    }
    this.random = SeededRandom.fromState(state.random);
    this.pool = [...pool];
  }
}
