/**
 * The full-feature margin softmax head (softmax, NormFace, CosFace,
 * ArcFace, combined), with optional Partial FC. SubFaceHead extends it.
 *
 * Per training step the trainer calls
 *   const { value, grads } = tf.variableGrads(
 *     () => head.loss(rawEmbeddings, labels));
 * and applies `grads` to `head.trainableVariables()` with the backbone's.
 */
import * as tf from '@tensorflow/tfjs';

import { RandomState, SeededRandom } from '../runtime/random';
import { CenterLayout, ClassCenters, HeadWeights } from './class_centers';
import { fullScores } from './cosines';
import { checkKeys, checkNumber, fail } from './errors';
import { validateDraw, validateEmbeddings } from './head_inputs';
import { StepDraw, stepLoss, StepOptions } from './head_loss';
import { LabelsInput, validateLabels } from './labels';
import {
  MarginConfig,
  ResolvedMargin,
  resolveMarginConfig,
} from './margin_config';
import {
  PartialFcConfig,
  ResolvedPartialFc,
  resolvePartialFcConfig,
  sampleClasses,
} from './partial_fc';
import { SamplerState } from './subspace_sampler';

export interface HeadConfig {
  /** Number of identities; required. */
  numClasses: number;
  /** Width of the backbone's embedding; required. */
  embeddingDim: number;
  /** The margin; default ArcFace, m = 0.5, s = 64. */
  margin?: MarginConfig;
  /** Class-centre sampling; default sampleRate 1 (all classes). */
  partialFc?: PartialFcConfig;
  /** Storage of the class centres; default 'classMajor'. */
  layout?: CenterLayout;
  /** Std of the normal initialisation of the class centres; 0.01. */
  initStd?: number;
  /** Seed for initialisation and all per-step sampling; default 0. */
  seed?: number;
}

export const DEFAULT_HEAD_CONFIG = {
  layout: 'classMajor' as CenterLayout,
  initStd: 0.01,
  seed: 0,
};

/** What a checkpoint needs besides the weights (JSON-safe). */
export interface HeadState {
  /** Steps taken by `loss()`. */
  step: number;
  /** Partial FC's generator, or null without sampling. */
  partialFc: RandomState | null;
  /** SubFace's dim sampler, or null for a full-feature head. */
  sampler: SamplerState | null;
}

export const HEAD_CONFIG_KEYS = [
  'numClasses',
  'embeddingDim',
  'margin',
  'partialFc',
  'layout',
  'initStd',
  'seed',
];

export class MarginSoftmaxHead {
  readonly numClasses: number;
  readonly embeddingDim: number;
  readonly margin: ResolvedMargin;
  readonly partialFc: ResolvedPartialFc;
  readonly centers: ClassCenters;
  protected readonly root: SeededRandom;
  protected classRandom: SeededRandom;
  protected step = 0;

  constructor(config: HeadConfig, extraKeys: readonly string[] = []) {
    const where = 'MarginSoftmaxHead';
    if (config === null || typeof config !== 'object') {
      fail(where, 'config', 'an object', config);
    }
    checkKeys(where, config, [...HEAD_CONFIG_KEYS, ...extraKeys]);
    this.numClasses = checkNumber(where, 'numClasses', config.numClasses, {
      min: 1,
      integer: true,
    });
    this.embeddingDim = checkNumber(
      where,
      'embeddingDim',
      config.embeddingDim,
      { min: 1, integer: true },
    );
    this.margin = resolveMarginConfig(config.margin);
    this.partialFc = resolvePartialFcConfig(config.partialFc);
    const seed = checkNumber(where, 'seed', config.seed ?? 0, {
      integer: true,
    });

    this.root = new SeededRandom(seed);
    this.classRandom = this.root.derive('partialFc');
    this.centers = new ClassCenters(this.numClasses, this.embeddingDim, {
      layout: config.layout ?? DEFAULT_HEAD_CONFIG.layout,
      useBias: this.margin.useBias,
      initStd: config.initStd ?? DEFAULT_HEAD_CONFIG.initStd,
      random: this.root.derive('classCenters'),
    });
  }

  /** Steps taken so far (drives the r schedule). */
  get stepCount(): number {
    return this.step;
  }

  /**
   * The training loss of one step; draws this step's samples and advances
   * the head's state. Call inside tf.variableGrads.
   * @param rawEmbeddings [batch, embeddingDim], float32, unnormalised
   * @param labels [batch], int32 class indices (or -1: not in this shard)
   * @returns scalar loss
   */
  loss(rawEmbeddings: tf.Tensor2D, labels: LabelsInput): tf.Scalar {
    const where = `${this.constructor.name}.loss`;
    const checked = this.checkInputs(where, rawEmbeddings, labels);
    const draw = this.drawStep(checked);
    this.step += 1;
    return stepLoss(rawEmbeddings, checked, this.centers, draw, this.options());
  }

  /**
   * The loss with caller-chosen samples; state does not advance. For tests,
   * reference checks and replaying a step.
   * @param rawEmbeddings [batch, embeddingDim]
   * @param labels [batch]
   */
  lossWithDraw(
    rawEmbeddings: tf.Tensor2D,
    labels: LabelsInput,
    draw: StepDraw,
  ): tf.Scalar {
    const where = `${this.constructor.name}.lossWithDraw`;
    const checked = this.checkInputs(where, rawEmbeddings, labels);
    validateDraw(where, draw, checked, this.numClasses, this.embeddingDim);
    return stepLoss(rawEmbeddings, checked, this.centers, draw, this.options());
  }

  /**
   * Full-embedding scores for evaluation: cosines for the normalised
   * kinds, w . e + b for softmax. No margin, no scale, no sampling.
   * @param rawEmbeddings [batch, embeddingDim]
   * @returns [batch, numClasses]
   */
  cosines(rawEmbeddings: tf.Tensor2D): tf.Tensor2D {
    const where = `${this.constructor.name}.cosines`;
    validateEmbeddings(where, rawEmbeddings, this.embeddingDim);
    return tf.tidy(() => {
      const centers = this.centers.select(null, null); // [C, d]
      const scores = fullScores(rawEmbeddings, centers, this.margin.normalized);
      const bias = this.centers.biasRow(null);
      return bias === null ? scores : (tf.add(scores, bias) as tf.Tensor2D);
    });
  }

  trainableVariables(): tf.Variable[] {
    return this.centers.trainableVariables();
  }

  /** Canonical-layout copies; the caller disposes them. */
  getWeights(): HeadWeights {
    return this.centers.getWeights();
  }

  setWeights(weights: HeadWeights): void {
    this.centers.setWeights(weights);
  }

  getState(): HeadState {
    return {
      step: this.step,
      partialFc:
        this.partialFc.sampleRate < 1 ? this.classRandom.getState() : null,
      sampler: null,
    };
  }

  setState(state: HeadState): void {
    const where = `${this.constructor.name}.setState`;
    checkNumber(where, 'state.step', state?.step, { min: 0, integer: true });
    this.step = state.step;
    if (state.partialFc !== null && state.partialFc !== undefined) {
      this.classRandom = SeededRandom.fromState(state.partialFc);
    }
  }

  dispose(): void {
    this.centers.dispose();
  }

  protected checkInputs(
    where: string,
    rawEmbeddings: tf.Tensor2D,
    labels: LabelsInput,
  ): Int32Array {
    validateEmbeddings(where, rawEmbeddings, this.embeddingDim);
    return validateLabels(
      where,
      labels,
      rawEmbeddings.shape[0],
      this.numClasses,
    );
  }

  /** This step's Partial FC rows; subclasses add their columns. */
  protected drawStep(labels: Int32Array): StepDraw {
    const { sampleRate } = this.partialFc;
    const classIndex =
      sampleRate < 1
        ? sampleClasses(labels, this.numClasses, sampleRate, this.classRandom)
            .classIndex
        : null;
    return { classIndex, blocks: null };
  }

  protected options(): StepOptions {
    return { margin: this.margin, select: 'gather', lambda: 0 };
  }
}
