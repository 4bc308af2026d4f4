/**
 * Options of the input pipeline and its resumable state.
 */
import { DataError, ResizeOptions } from '../types';
import { checkKeys } from '../checks';

export interface BatchOptions {
  /** Images per batch. Default 32. */
  batchSize?: number;
  /** Side of the square model input in pixels. Default 112. */
  imageSize?: number;
  /** Seed of the epoch orders and flips. Default 0. */
  seed?: number;
  /** A new seeded order every epoch (else index order). Default true. */
  shuffle?: boolean;
  /** Mirror each image left-right with probability 1/2. Default true. */
  flip?: boolean;
  /**
   * Drop each epoch's last, smaller batch (so every batch has batchSize
   * images, as InsightFace's loader does). Default true.
   */
  dropRemainder?: boolean;
  /**
   * Batches decoded ahead of the one being consumed, overlapping decoding
   * with the consumer's training step. 0 decodes on demand. Default 2.
   */
  prefetch?: number;
  /** Images decoded at once (sharp decodes on libuv threads). Default 4. */
  concurrency?: number;
  /** How images reach imageSize (fit, centerCrop). Default {}. */
  resize?: Omit<ResizeOptions, 'size'>;
  /**
   * Epochs to produce, counted from epoch 0 (a resumed stream stops at
   * the same epoch as the uninterrupted one). Infinity never stops.
   * Default 1.
   */
  numEpochs?: number;
  /** Continue from a state saved by `getState()`. Default: the start. */
  state?: BatchState;
}

export interface ResolvedBatchOptions {
  batchSize: number;
  imageSize: number;
  seed: number;
  shuffle: boolean;
  flip: boolean;
  dropRemainder: boolean;
  prefetch: number;
  concurrency: number;
  resize: Omit<ResizeOptions, 'size'>;
  numEpochs: number;
  state: BatchState | null;
}

/**
 * Where a stream stands, as plain JSON: the next batch it yields is the
 * one starting at `position` of epoch `epoch`'s order. The other fields
 * let a resume check that it reads the same data the same way.
 */
export interface BatchState {
  version: 1;
  epoch: number;
  position: number;
  seed: number;
  numImages: number;
  batchSize: number;
  shuffle: boolean;
  flip: boolean;
  dropRemainder: boolean;
}

export const DEFAULT_BATCH_OPTIONS: Readonly<ResolvedBatchOptions> = {
  batchSize: 32,
  imageSize: 112,
  seed: 0,
  shuffle: true,
  flip: true,
  dropRemainder: true,
  prefetch: 2,
  concurrency: 4,
  resize: {},
  numEpochs: 1,
  state: null,
};

const WHERE = 'createBatches';

function checkInteger(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new DataError(
      `${WHERE}: ${name} must be an integer >= ${min}, but got ${value}`,
    );
  }
}

/** Fills in defaults and validates against a source of `numImages`. */
export function resolveBatchOptions(
  options: BatchOptions,
  numImages: number,
): ResolvedBatchOptions {
  checkKeys('createBatches', options, Object.keys(DEFAULT_BATCH_OPTIONS));
  const resolved: ResolvedBatchOptions = { ...DEFAULT_BATCH_OPTIONS };
  for (const [key, value] of Object.entries(options)) {
    if (value !== undefined) {
      (resolved as unknown as Record<string, unknown>)[key] = value;
    }
  }
  resolved.resize = { ...resolved.resize };

  checkInteger('batchSize', resolved.batchSize, 1);
  checkInteger('imageSize', resolved.imageSize, 1);
  checkInteger('seed', resolved.seed, -0x80000000);
  checkInteger('prefetch', resolved.prefetch, 0);
  checkInteger('concurrency', resolved.concurrency, 1);
  const { numEpochs } = resolved;
  if (!(
    numEpochs === Infinity ||
    (Number.isInteger(numEpochs) && numEpochs >= 1)
  )) {
    throw new DataError(
      `${WHERE}: numEpochs must be a positive integer or Infinity, but ` +
        `got ${numEpochs}`,
    );
  }
  if (numImages < 1) {
    throw new DataError(
      `${WHERE}: source must hold at least one image, but got ${numImages}`,
    );
  }
  if (resolved.dropRemainder && numImages < resolved.batchSize) {
    throw new DataError(
      `${WHERE}: batchSize must be <= the source's ${numImages} images ` +
        `when dropRemainder is true, but got ${resolved.batchSize}`,
    );
  }
  if (resolved.state !== null) checkState(resolved, numImages);
  return resolved;
}

/** A saved state must come from a stream over the same data and order. */
function checkState(options: ResolvedBatchOptions, numImages: number): void {
  const state = options.state as BatchState;
  const expected: Record<string, unknown> = {
    version: 1,
    seed: options.seed,
    numImages,
    batchSize: options.batchSize,
    shuffle: options.shuffle,
    flip: options.flip,
    dropRemainder: options.dropRemainder,
  };
  for (const [key, value] of Object.entries(expected)) {
    const got = (state as unknown as Record<string, unknown>)[key];
    if (got !== value) {
      throw new DataError(
        `${WHERE}: state.${key} must be ${JSON.stringify(value)} (these ` +
          `options and source), but got ${JSON.stringify(got)}`,
      );
    }
  }
  checkInteger('state.epoch', state.epoch, 0);
  if (
    !Number.isInteger(state.position) ||
    state.position < 0 ||
    state.position >= numImages ||
    state.position % options.batchSize !== 0
  ) {
    throw new DataError(
      `${WHERE}: state.position must be a multiple of batchSize in ` +
        `[0, ${numImages}), but got ${state.position}`,
    );
  }
}
