/**
 * One step's loss from already-drawn samples: which class centres take
 * part (Partial FC rows) and which dims each row uses (SubFace columns).
 * The heads draw and then call this; tests call it with fixed draws.
 */
import * as tf from '@tensorflow/tfjs';

import { ClassCenters } from './class_centers';
import {
  fullScores,
  SelectMode,
  SubspaceBlock,
  subspaceScores,
} from './cosines';
import { softmaxCrossEntropy } from './cross_entropy';
import { marginLogits } from './margin';
import { ResolvedMargin } from './margin_config';
import { remapLabels } from './partial_fc';
import { SelectKernel } from './select';

/** The random choices of one step. */
export interface StepDraw {
  /** Partial FC: sorted sampled classes, or null for all classes. */
  classIndex: Int32Array | null;
  /** SubFace: row blocks and their dims, or null for the full features. */
  blocks: SubspaceBlock[] | null;
}

export interface StepOptions {
  margin: ResolvedMargin;
  select: SelectMode;
  /** Weight of the full-feature loss when `blocks` is set; 0 = none. */
  lambda: number;
  kernel?: SelectKernel;
}

/**
 * The scalar training loss. Rows are sampled first (Partial FC), then
 * columns (SubFace); the margin goes on the target sub-cosine among the
 * sampled classes (Algorithm 1 step 4).
 * @param rawEmbeddings [batch, embeddingDim], validated
 * @param labels [batch], validated class indices or -1
 */
export function stepLoss(
  rawEmbeddings: tf.Tensor2D,
  labels: Int32Array,
  centers: ClassCenters,
  draw: StepDraw,
  options: StepOptions,
): tf.Scalar {
  const { margin, select, lambda, kernel = 'auto' } = options;
  const localLabels =
    draw.classIndex === null ? labels : remapLabels(labels, draw.classIndex);
  return tf.tidy(() => {
    const selectCenters = (dims: Int32Array | null): tf.Tensor2D =>
      centers.select(draw.classIndex, dims, kernel); // [C', k]
    const bias = centers.biasRow(draw.classIndex, kernel); // [1, C']
    const numColumns = draw.classIndex?.length ?? centers.numClasses;
    const labelTensor = tf.tensor1d(localLabels, 'int32');
    const oneHot = tf.cast(
      tf.oneHot(labelTensor, numColumns),
      'float32',
    ) as tf.Tensor2D; // [batch, C'], all-zero rows for -1

    const lossOf = (scores: tf.Tensor2D): tf.Scalar => {
      const logits = marginLogits(scores, oneHot, margin);
      const withBias = bias === null ? logits : tf.add(logits, bias);
      return softmaxCrossEntropy(withBias as tf.Tensor2D, oneHot);
    };
    const fullLoss = (): tf.Scalar =>
      lossOf(fullScores(rawEmbeddings, selectCenters(null), margin.normalized));

    if (draw.blocks === null) return fullLoss();
    const subLoss = lossOf(
      subspaceScores(
        rawEmbeddings,
        selectCenters,
        draw.blocks,
        margin.normalized,
        select,
        kernel,
      ),
    );
    if (lambda === 0) return subLoss;
    // Extension: lambda * full + (1 - lambda) * sub.
    return tf.add(
      tf.mul(fullLoss(), lambda),
      tf.mul(subLoss, 1 - lambda),
    ) as tf.Scalar;
  });
}
