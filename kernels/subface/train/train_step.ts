/**
 * One training step: forward in training mode, gradients of backbone and
 * head together, the NaN/inf guard, clipping, the optimizer update, and
 * every tensor released (the tensor count is unchanged after a step, once
 * the optimizer's slots exist).
 */
import * as tf from '@tensorflow/tfjs';

import { Backbone } from '../backbones/backbone';
import { HeadState, MarginSoftmaxHead } from '../losses/margin_head';
import { clipFactor, scaleGradients, sumOfSquares } from './clip';
import { Param, SlotOptimizer } from './optimizer';

/** What a step needs; built once by the trainer. */
export interface StepContext {
  backbone: Backbone;
  head: MarginSoftmaxHead;
  optimizer: SlotOptimizer;
  /** Every trainable parameter (backbone, then head). */
  params: readonly Param[];
  /** Names of the parameters whose gradients are clipped together. */
  clipNames: readonly string[];
  /** Largest global norm of those gradients; null: no clipping. */
  clipGradNorm: number | null;
  /** Check the loss and gradient norm before updating. */
  guardNonFinite: boolean;
}

export interface StepOutcome {
  loss: number;
  /** Global L2 norm of all gradients, before clipping. */
  gradNorm: number;
  /** Norm of the clipped set before clipping. */
  clipSetNorm: number;
  /** False when the guard refused the update (non-finite values). */
  applied: boolean;
}

/**
 * Trains on one batch at rate `lr`. When the guard finds a non-finite
 * loss or gradient, nothing is updated: the gradients are dropped, and
 * BN moving statistics and the head's sampler state are put back as
 * they were before the forward pass.
 * @param images [batch, inputSize, inputSize, 3], float32, normalised
 * @param labels [batch], int32
 */
export function trainStep(
  context: StepContext,
  images: tf.Tensor4D,
  labels: tf.Tensor1D,
  lr: number,
): StepOutcome {
  const { backbone, head, params, guardNonFinite } = context;
  let movingBefore: tf.Tensor[] = [];
  let headBefore: HeadState | null = null;
  if (guardNonFinite) {
    movingBefore = backbone.nonTrainableWeights.map((v) => v.clone());
    headBefore = head.getState();
  }

  const variables = params.map((p) => p.variable);
  const { value, grads: byVariable } = tf.variableGrads(
    () => head.loss(backbone.apply(images, { training: true }), labels),
    variables,
  );
  const grads: Record<string, tf.Tensor> = {};
  for (const { name, variable } of params) {
    // A parameter the loss does not reach gets a zero gradient.
    grads[name] = byVariable[variable.name] ?? tf.zerosLike(variable);
  }

  try {
    // One host read for the loss and both squared norms.
    const clipped = new Set(context.clipNames);
    const summary = tf.tidy(() => {
      const inSet = params.filter((p) => clipped.has(p.name));
      const outSet = params.filter((p) => !clipped.has(p.name));
      return tf.stack([
        value,
        sumOfSquares(inSet.map((p) => grads[p.name])),
        sumOfSquares(outSet.map((p) => grads[p.name])),
      ]); // [3]
    });
    const [loss, clipSquares, restSquares] = summary.dataSync();
    summary.dispose();
    const clipSetNorm = Math.sqrt(clipSquares);
    const gradNorm = Math.sqrt(clipSquares + restSquares);

    if (guardNonFinite && !(isFinite(loss) && isFinite(gradNorm))) {
      backbone.nonTrainableWeights.forEach((v, i) => v.assign(movingBefore[i]));
      head.setState(headBefore as HeadState);
      return { loss, gradNorm, clipSetNorm, applied: false };
    }

    if (context.clipGradNorm !== null) {
      const factor = clipFactor(clipSetNorm, context.clipGradNorm);
      scaleGradients(grads, context.clipNames, factor);
    }
    context.optimizer.apply(params, grads, lr);
    return { loss, gradNorm, clipSetNorm, applied: true };
  } finally {
    tf.dispose([value, ...Object.values(grads), ...movingBefore]);
  }
}
