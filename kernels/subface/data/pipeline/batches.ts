/**
 * The input pipeline: a seeded, resumable stream of normalised training
 * batches from any LabelledSource, decoding ahead of the consumer.
 *
 * Decoded images go straight into a Float32Array per batch (flipped and
 * normalised on the way); tensors are made only when a batch is handed
 * out, so batches waiting in the prefetch queue hold no tensors and a
 * stream dropped half-way leaks nothing.
 */
import * as tf from '@tensorflow/tfjs';

import { DataError, LabelledSource } from '../types';
import { EpochPlan, epochPlan } from './epoch_plan';
import {
  BatchOptions,
  BatchState,
  ResolvedBatchOptions,
  resolveBatchOptions,
} from './options';
import { TaskQueue } from './task_queue';

/**
 * One training batch. The consumer owns its tensors: call `dispose()`
 * (or dispose `images` and `labels`) after the step.
 */
export interface Batch {
  /** [batch, size, size, 3], float32, (x / 255 - 0.5) / 0.5. */
  images: tf.Tensor4D;
  /** [batch], int32 identity labels. */
  labels: tf.Tensor1D;
  /** Source index of each image. */
  indices: Int32Array;
  /** 1 where the image was mirrored. */
  flipped: Uint8Array;
  epoch: number;
  /** Position of the batch's first image in the epoch's order. */
  position: number;
  /** Disposes `images` and `labels`. */
  dispose(): void;
}

/**
 * (x / 255 - 0.5) / 0.5 for every byte, computed once in double and
 * rounded to float32, as the formula is written.
 */
const NORMALISED = Float32Array.from(
  { length: 256 },
  (_, x) => (x / 255 - 0.5) / 0.5,
);

/** A batch decoded on the host, before it becomes tensors. */
interface HostBatch {
  images: Float32Array;
  labels: Int32Array;
  indices: Int32Array;
  flipped: Uint8Array;
  epoch: number;
  position: number;
}

/**
 * A stream of batches: `await stream.next()` or `for await (const batch
 * of stream)`. `getState()` gives JSON from which `createBatches(source,
 * { ...options, state })` continues with exactly the batches this stream
 * would have produced next.
 */
export class BatchStream implements AsyncIterableIterator<Batch> {
  readonly options: ResolvedBatchOptions;
  private readonly queue: Promise<HostBatch>[] = [];
  private readonly reads: TaskQueue;
  private plan: EpochPlan | null = null;
  /** Next batch to hand out (consumer side). */
  private epoch: number;
  private position: number;
  /** Next batch to start decoding (producer side). */
  private plannedEpoch: number;
  private plannedPosition: number;
  private closed = false;

  constructor(
    private readonly source: LabelledSource,
    options: BatchOptions = {},
  ) {
    this.options = resolveBatchOptions(options, source.numImages);
    const start = this.options.state;
    this.epoch = start?.epoch ?? 0;
    this.position = start?.position ?? 0;
    this.plannedEpoch = this.epoch;
    this.plannedPosition = this.position;
    this.reads = new TaskQueue(this.options.concurrency);
  }

  /** Where the stream stands: the next batch `next()` will return. */
  getState(): BatchState {
    const { seed, batchSize, shuffle, flip, dropRemainder } = this.options;
    return {
      version: 1,
      epoch: this.epoch,
      position: this.position,
      seed,
      numImages: this.source.numImages,
      batchSize,
      shuffle,
      flip,
      dropRemainder,
    };
  }

  /** The next batch, or done after `numEpochs` epochs or `close()`. */
  async next(): Promise<IteratorResult<Batch, undefined>> {
    if (this.closed) return { value: undefined, done: true };
    this.fillQueue();
    const pending = this.queue.shift();
    if (pending === undefined) return { value: undefined, done: true };
    const host = await pending;
    // close() may have run while this batch was decoding.
    if (this.closed) return { value: undefined, done: true };
    this.advance(host.position + host.indices.length);
    return { value: this.toTensors(host), done: false };
  }

  /** Stops the stream; batches still decoding are discarded. */
  async return(): Promise<IteratorResult<Batch, undefined>> {
    this.close();
    return { value: undefined, done: true };
  }

  close(): void {
    this.closed = true;
    this.queue.length = 0;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** Moves the consumer past a batch that ended at `end`. */
  private advance(end: number): void {
    if (this.nextStart(end) === null) {
      this.epoch++;
      this.position = 0;
    } else {
      this.position = end;
    }
  }

  /**
   * Where the batch after one ending at `end` starts in the same epoch,
   * or null when the epoch is over.
   */
  private nextStart(end: number): number | null {
    const { batchSize, dropRemainder } = this.options;
    const remaining = this.source.numImages - end;
    if (remaining <= 0 || (dropRemainder && remaining < batchSize)) {
      return null;
    }
    return end;
  }

  /**
   * Starts decoding until the batch about to be handed out and
   * `prefetch` batches after it are in flight.
   */
  private fillQueue(): void {
    const { prefetch, numEpochs, batchSize } = this.options;
    while (this.queue.length < prefetch + 1 && this.plannedEpoch < numEpochs) {
      if (this.plan?.epoch !== this.plannedEpoch) {
        const { seed, shuffle, flip } = this.options;
        const n = this.source.numImages;
        this.plan = epochPlan(n, this.plannedEpoch, seed, shuffle, flip);
      }
      const start = this.plannedPosition;
      const end = Math.min(start + batchSize, this.source.numImages);
      const pending = this.decode(this.plan, start, end);
      // The error surfaces when the batch is awaited in next(); this
      // keeps Node from reporting it as unhandled before that.
      pending.catch(() => undefined);
      this.queue.push(pending);

      const following = this.nextStart(end);
      if (following === null) {
        this.plannedEpoch++;
        this.plannedPosition = 0;
      } else {
        this.plannedPosition = following;
      }
    }
  }

  /** Decodes positions [start, end) of `plan` into one host batch. */
  private async decode(
    plan: EpochPlan,
    start: number,
    end: number,
  ): Promise<HostBatch> {
    const { imageSize: size, resize } = this.options;
    const count = end - start;
    const pixelsPerImage = size * size * 3;
    const host: HostBatch = {
      images: new Float32Array(count * pixelsPerImage),
      labels: new Int32Array(count),
      indices: plan.order.slice(start, end),
      flipped: plan.flips.slice(start, end),
      epoch: plan.epoch,
      position: start,
    };
    const tasks: Promise<void>[] = [];
    for (let k = 0; k < count; k++) {
      const index = host.indices[k];
      host.labels[k] = this.source.labels[index];
      tasks.push(
        this.reads.run(async () => {
          if (this.closed) return;
          const image = await this.source.read(index, { ...resize, size });
          if (
            image.width !== size ||
            image.height !== size ||
            image.pixels.length !== pixelsPerImage
          ) {
            throw new DataError(
              `createBatches: image ${index} must be ${size}x${size}x3, ` +
                `but got ${image.width}x${image.height} with ` +
                `${image.pixels.length} bytes`,
            );
          }
          writeImage(
            image.pixels,
            host.images,
            k * pixelsPerImage,
            size,
            host.flipped[k] === 1,
          );
        }),
      );
    }
    await Promise.all(tasks);
    return host;
  }

  private toTensors(host: HostBatch): Batch {
    const count = host.indices.length;
    const size = this.options.imageSize;
    const images = tf.tensor4d(host.images, [count, size, size, 3], 'float32');
    const labels = tf.tensor1d(host.labels, 'int32');
    return {
      images,
      labels,
      indices: host.indices,
      flipped: host.flipped,
      epoch: host.epoch,
      position: host.position,
      dispose: () => {
        images.dispose();
        labels.dispose();
      },
    };
  }
}

/** Normalises (and mirrors) one HWC uint8 image into `out` at `offset`. */
export function writeImage(
  pixels: Uint8Array,
  out: Float32Array,
  offset: number,
  size: number,
  mirror: boolean,
): void {
  const rowLength = size * 3;
  for (let y = 0; y < size; y++) {
    const row = y * rowLength;
    for (let x = 0; x < size; x++) {
      const from = row + (mirror ? size - 1 - x : x) * 3;
      const to = offset + row + x * 3;
      out[to] = NORMALISED[pixels[from]];
      out[to + 1] = NORMALISED[pixels[from + 1]];
      out[to + 2] = NORMALISED[pixels[from + 2]];
    }
  }
}

/**
 * A seeded, resumable, prefetching stream of training batches from
 * `source`. See BatchOptions for the defaults.
 */
export function createBatches(
  source: LabelledSource,
  options: BatchOptions = {},
): BatchStream {
  return new BatchStream(source, options);
}
