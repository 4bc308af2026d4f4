/**
 * Adam and AdamW, in PyTorch's formulation. Per parameter, at update t
 * (1-based):
 *
 *   Adam:  g = grad + weightDecay * w           (L2 in the gradient)
 *   AdamW: w = w - lr * weightDecay * w         (decoupled decay)
 *   m = beta1 * m + (1 - beta1) * g
 *   v = beta2 * v + (1 - beta2) * g^2
 *   w = w - lr * (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + eps)
 *
 * Both moments start at zero.
 */
import * as tf from '@tensorflow/tfjs';

import { checkNumber } from './errors';
import { Param, SlotOptimizer } from './optimizer';

export interface AdamConfig {
  /** Decay of the first moment, in [0, 1). Default 0.9. */
  beta1?: number;
  /** Decay of the second moment, in [0, 1). Default 0.999. */
  beta2?: number;
  /** Added to the denominator. Default 1e-8. */
  epsilon?: number;
  /**
   * L2 in the gradient (Adam) or decoupled (AdamW). Default 0 for Adam;
   * AdamW's usual value is 1e-2 (PyTorch's default).
   */
  weightDecay?: number;
  /** True: AdamW's decoupled decay. Default false. */
  decoupled?: boolean;
}

export const DEFAULT_ADAM_CONFIG: Readonly<Required<AdamConfig>> = {
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-8,
  weightDecay: 0,
  decoupled: false,
};

/** Upper bound of the betas: 1 would never forget. */
const BETA_MAX = 0.999999;

export class Adam extends SlotOptimizer {
  readonly kind: 'adam' | 'adamw';
  readonly slotNames: readonly string[] = ['m', 'v'];
  readonly config: Readonly<Required<AdamConfig>>;

  constructor(config: AdamConfig = {}) {
    super();
    const where = 'Adam';
    const resolved = { ...DEFAULT_ADAM_CONFIG, ...config };
    const beta = { min: 0, max: BETA_MAX };
    checkNumber(where, 'beta1', resolved.beta1, beta);
    checkNumber(where, 'beta2', resolved.beta2, beta);
    checkNumber(where, 'epsilon', resolved.epsilon, { min: 0 });
    checkNumber(where, 'weightDecay', resolved.weightDecay, { min: 0 });
    this.config = resolved;
    this.kind = resolved.decoupled ? 'adamw' : 'adam';
  }

  protected update(param: Param, grad: tf.Tensor, lr: number): void {
    const { beta1, beta2, epsilon, weightDecay, decoupled } = this.config;
    const t = this.count;
    const decay = param.decay && weightDecay > 0;
    let w: tf.Tensor = param.variable;
    let g = grad;
    if (decay && decoupled) {
      w = tf.mul(w, 1 - lr * weightDecay);
    } else if (decay) {
      g = tf.add(g, tf.mul(w, weightDecay));
    }

    const m0 = this.getSlot(param, 'm') ?? tf.zerosLike(g);
    const v0 = this.getSlot(param, 'v') ?? tf.zerosLike(g);
    const m = tf.add(tf.mul(m0, beta1), tf.mul(g, 1 - beta1));
    const v = tf.add(tf.mul(v0, beta2), tf.mul(tf.square(g), 1 - beta2));
    this.setSlot(param, 'm', m);
    this.setSlot(param, 'v', v);

    // Bias corrections in double precision on the host.
    const mScale = lr / (1 - Math.pow(beta1, t));
    const vScale = 1 / (1 - Math.pow(beta2, t));
    const denominator = tf.add(tf.sqrt(tf.mul(v, vScale)), epsilon);
    const step = tf.div(tf.mul(m, mScale), denominator);
    param.variable.assign(tf.sub(w, step));
  }
}
