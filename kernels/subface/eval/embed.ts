/**
 * Test-time embeddings as InsightFace `eval/verification.py` computes them:
 * images normalised to (x / 255 - 0.5) / 0.5, the backbone run on the
 * originals and on horizontally flipped copies, and the raw outputs summed
 * before one L2 normalisation (flip fusion).
 */
import * as tf from '@tensorflow/tfjs';

import { DecodedImage, ResizeOptions, VerificationSet } from '../data/types';
import { checkKeys, checkNumber, fail } from './errors';

/** The backbone in inference mode: NHWC images -> raw embeddings. */
export type EmbedFunction = (images: tf.Tensor4D) => tf.Tensor2D;

/** Reads image `index` at the model's input size. */
export type ImageReader = (
  index: number,
  resize: ResizeOptions,
) => Promise<DecodedImage>;

export interface EmbedConfig {
  /** How images are brought to the input size. Default { size: 112 }. */
  resize?: ResizeOptions;
  /** Images per forward pass. Default 64. */
  batchSize?: number;
  /** Also embed flipped copies and fuse them. Default true. */
  flip?: boolean;
}

export const DEFAULT_EMBED_CONFIG = {
  resize: { size: 112 } as ResizeOptions,
  batchSize: 64,
  flip: true,
};

export interface EmbeddingResult {
  /**
   * normalize(raw(x) + raw(flip(x))), or normalize(raw(x)) without flip:
   * float32 [numImages, embeddingDim], unit rows (zero rows stay zero).
   */
  embeddings: Float32Array;
  /** normalize(raw(x)), float32 [numImages, embeddingDim]. */
  embeddingsNoFlip: Float32Array;
  numImages: number;
  embeddingDim: number;
  flip: boolean;
  /** Mean L2 norm of the raw embeddings over originals and flips. */
  xNorm: number;
}

function resolveEmbedConfig(config: EmbedConfig): Required<EmbedConfig> {
  const where = 'embedImages';
  checkKeys(where, config, Object.keys(DEFAULT_EMBED_CONFIG));
  const resolved = { ...DEFAULT_EMBED_CONFIG, ...config };
  checkNumber(where, 'batchSize', resolved.batchSize, {
    min: 1,
    integer: true,
  });
  checkNumber(where, 'resize.size', resolved.resize?.size, {
    min: 1,
    integer: true,
  });
  if (typeof resolved.flip !== 'boolean') {
    fail(where, 'flip', 'a boolean', resolved.flip);
  }
  return resolved;
}

/**
 * Writes images into one NHWC float32 batch, normalised to [-1, 1].
 * @returns float32 [count, size, size, 3]
 */
function toBatch(
  images: DecodedImage[],
  size: number,
  first: number,
): Float32Array {
  const pixelsPerImage = size * size * 3;
  const batch = new Float32Array(images.length * pixelsPerImage);
  images.forEach((image, k) => {
    const ok =
      image.height === size &&
      image.width === size &&
      image.channels === 3 &&
      image.pixels.length === pixelsPerImage;
    if (!ok) {
      const got = [image.height, image.width, image.channels];
      fail('embedImages', `image ${first + k}`, `${size}x${size}x3`, got);
    }
    const offset = k * pixelsPerImage;
    for (let i = 0; i < pixelsPerImage; i++) {
      batch[offset + i] = (image.pixels[i] / 255 - 0.5) / 0.5;
    }
  });
  return batch;
}

/** Runs `embed` on a batch (and its mirror image), checking the shape. */
function runEmbed(
  embed: EmbedFunction,
  batch: Float32Array,
  count: number,
  size: number,
  flip: boolean,
): tf.Tensor2D[] {
  return tf.tidy(() => {
    const images = tf.tensor4d(batch, [count, size, size, 3]);
    const views = flip ? [images, tf.reverse(images, 2)] : [images];
    return views.map((view) => {
      const raw = embed(view as tf.Tensor4D);
      if (!(raw instanceof tf.Tensor) || raw.rank !== 2) {
        fail('embedImages', 'embed output', 'a 2-D tensor', raw?.shape);
      }
      if (raw.shape[0] !== count) {
        fail('embedImages', 'embed output rows', `${count}`, raw.shape[0]);
      }
      return raw;
    });
  });
}

/** Sums the views of one row and writes it L2-normalised. */
function writeNormalized(
  out: Float32Array,
  row: number,
  dim: number,
  views: readonly Float32Array[],
  rowInBatch: number,
): void {
  const sum = new Float64Array(dim);
  for (const view of views) {
    for (let j = 0; j < dim; j++) sum[j] += view[rowInBatch * dim + j];
  }
  let squares = 0;
  for (let j = 0; j < dim; j++) squares += sum[j] * sum[j];
  // sklearn.preprocessing.normalize leaves a zero row as zeros.
  const scale = squares > 0 ? 1 / Math.sqrt(squares) : 0;
  for (let j = 0; j < dim; j++) out[row * dim + j] = sum[j] * scale;
}

/**
 * Embeds `numImages` images in batches; the last batch is simply smaller.
 * Porting note: InsightFace re-runs the final `batchSize` images so every
 * batch is full; inference is per sample in eval mode, so the values are
 * the same.
 */
export async function embedImages(
  numImages: number,
  read: ImageReader,
  embed: EmbedFunction,
  config: EmbedConfig = {},
): Promise<EmbeddingResult> {
  const where = 'embedImages';
  const { resize, batchSize, flip } = resolveEmbedConfig(config);
  checkNumber(where, 'numImages', numImages, { min: 1, integer: true });
  const size = resize.size;
  let embeddingDim = -1;
  let embeddings = new Float32Array(0);
  let embeddingsNoFlip = new Float32Array(0);
  let normSum = 0;
  let normCount = 0;

  for (let start = 0; start < numImages; start += batchSize) {
    const count = Math.min(batchSize, numImages - start);
    const images = await Promise.all(
      Array.from({ length: count }, (_, k) => read(start + k, resize)),
    );
    const batch = toBatch(images, size, start);
    const outputs = runEmbed(embed, batch, count, size, flip);
    let views: Float32Array[];
    try {
      views = await Promise.all(
        outputs.map(async (raw) => Float32Array.from(await raw.data())),
      );
    } finally {
      tf.dispose(outputs);
    }

    // The first batch fixes the embedding size.
    const dim = views[0].length / count;
    if (embeddingDim < 0) {
      embeddingDim = dim;
      embeddings = new Float32Array(numImages * dim);
      embeddingsNoFlip = new Float32Array(numImages * dim);
    } else if (dim !== embeddingDim) {
      fail(
        where,
        `embed output dim (batch at ${start})`,
        `${embeddingDim}`,
        dim,
      );
    }

    for (let k = 0; k < count; k++) {
      for (const view of views) {
        for (let j = 0; j < dim; j++) {
          const value = view[k * dim + j];
          if (!Number.isFinite(value)) {
            fail(where, `embedding of image ${start + k}`, 'finite', value);
          }
        }
        let squares = 0;
        for (let j = 0; j < dim; j++) squares += view[k * dim + j] ** 2;
        normSum += Math.sqrt(squares);
        normCount += 1;
      }
      writeNormalized(embeddings, start + k, dim, views, k);
      writeNormalized(embeddingsNoFlip, start + k, dim, [views[0]], k);
    }
  }

  return {
    embeddings,
    embeddingsNoFlip,
    numImages,
    embeddingDim,
    flip,
    xNorm: normSum / normCount,
  };
}

/**
 * Embeds the 2 * numPairs images of a verification set in pair order
 * (pair i = rows 2i and 2i + 1).
 */
export function embedVerificationSet(
  set: VerificationSet,
  embed: EmbedFunction,
  config: EmbedConfig = {},
): Promise<EmbeddingResult> {
  const read: ImageReader = (index, resize) => set.readImage(index, resize);
  return embedImages(2 * set.numPairs, read, embed, config);
}
