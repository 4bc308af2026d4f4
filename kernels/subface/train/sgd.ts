/**
 * SGD with momentum and weight decay, in PyTorch's formulation (the one
 * InsightFace trains with: lr 0.1, momentum 0.9, weight decay 5e-4):
 *
 *   g   = grad + weightDecay * w
 *   buf = g                      (first step)
 *   buf = momentum * buf + g     (later steps)
 *   w   = w - lr * buf
 *
 * Unlike tf.train.momentum, the learning rate multiplies the buffer at
 * use instead of being folded into it, so changing lr (warmup, decay)
 * does not rescale past momentum.
 */
import * as tf from '@tensorflow/tfjs';

import { checkNumber } from './errors';
import { Param, SlotOptimizer } from './optimizer';

export interface SgdConfig {
  /** Momentum factor μ in [0, 1). Default 0.9. */
  momentum?: number;
  /** L2 penalty added to the gradient. Default 5e-4. */
  weightDecay?: number;
}

export const DEFAULT_SGD_CONFIG: Readonly<Required<SgdConfig>> = {
  momentum: 0.9,
  weightDecay: 5e-4,
};

export class Sgd extends SlotOptimizer {
  readonly kind = 'sgd' as const;
  readonly slotNames: readonly string[];
  readonly momentum: number;
  readonly weightDecay: number;

  constructor(config: SgdConfig = {}) {
    super();
    const where = 'Sgd';
    const { momentum, weightDecay } = { ...DEFAULT_SGD_CONFIG, ...config };
    this.momentum = checkNumber(where, 'momentum', momentum, {
      min: 0,
      max: 0.999999,
    });
    this.weightDecay = checkNumber(where, 'weightDecay', weightDecay, {
      min: 0,
    });
    // Plain SGD keeps no state at all.
    this.slotNames = this.momentum > 0 ? ['momentum'] : [];
  }

  protected update(param: Param, grad: tf.Tensor, lr: number): void {
    const w = param.variable;
    let g = grad;
    if (param.decay && this.weightDecay > 0) {
      g = tf.add(g, tf.mul(w, this.weightDecay));
    }

    let step = g;
    if (this.momentum > 0) {
      const previous = this.getSlot(param, 'momentum');
      step = previous === null ? g : tf.add(tf.mul(previous, this.momentum), g);
      this.setSlot(param, 'momentum', step);
    }
    w.assign(tf.sub(w, tf.mul(step, lr)));
  }
}
