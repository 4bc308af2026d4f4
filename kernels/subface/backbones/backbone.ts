/**
 * What every backbone offers the trainer, the evaluation and checkpoints:
 * face images in, raw (unnormalised) embeddings out.
 */
import * as tf from '@tensorflow/tfjs';

export interface ApplyOptions {
  /**
   * True: BN normalises with the batch's statistics and updates its
   * moving averages. False: BN uses the moving averages.
   */
  training: boolean;
}

export interface Backbone {
  /** Registry name, e.g. 'cpu_resnet', 'iresnet50', 'mobilefacenet'. */
  readonly architecture: string;
  /** Side of the square NHWC input the network was built for. */
  readonly inputSize: number;
  /** Width of the raw embeddings. */
  readonly embeddingDim: number;
  /**
   * @param images [batch, inputSize, inputSize, 3], float32, normalised
   *   as (x / 255 - 0.5) / 0.5
   * @returns rawEmbeddings [batch, embeddingDim]
   */
  apply(images: tf.Tensor4D, options: ApplyOptions): tf.Tensor2D;
  /** Variables the optimizer updates. */
  readonly trainableWeights: tf.Variable[];
  /** State that is saved but not trained (BatchNorm moving averages). */
  readonly nonTrainableWeights: tf.Variable[];
  countParams(): number;
  dispose(): void;
}
