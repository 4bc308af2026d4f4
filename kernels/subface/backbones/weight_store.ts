/**
 * The variables of one backbone instance, each under a checkpoint key and
 * with its layout, created with seeded initialisers in forward order.
 *
 * Keys follow PyTorch state_dict names (for iResNet, those of InsightFace's
 * `iresnet.py`), so a converter can map a released checkpoint key by key;
 * only the layouts differ, as `WeightLayout` records.
 */
import * as tf from '@tensorflow/tfjs';

import { BatchNormWeights, createBatchNorm } from './batch_norm';

/**
 * How a variable's layout relates to PyTorch's:
 * - 'conv2d': ours [kh, kw, in, out], PyTorch [out, in, kh, kw];
 * - 'depthwise': ours [kh, kw, channels, 1], PyTorch [channels, 1, kh, kw];
 * - 'dense': [out, in] on both sides; when `flattenedFrom` is set, `in`
 *   enumerates an NHWC map of that [h, w, c] (PyTorch flattens NCHW);
 * - 'vector': [n] on both sides.
 */
export type WeightLayout = 'conv2d' | 'depthwise' | 'dense' | 'vector';

export interface NamedWeight {
  /** PyTorch-style state_dict key, e.g. 'layer1.0.conv1.weight'. */
  key: string;
  variable: tf.Variable;
  layout: WeightLayout;
  /** [h, w, c] of the NHWC map a 'dense' weight reads, flattened. */
  flattenedFrom?: [number, number, number];
}

/** BN variable suffixes mapped to PyTorch's names. */
const NORM_KEYS: Record<string, string> = {
  scale: 'weight',
  offset: 'bias',
  movingMean: 'running_mean',
  movingVariance: 'running_var',
};

/** Numbers instances: tfjs variable names must be unique per process. */
let instances = 0;

export class WeightStore {
  /** Prefix of every variable name, e.g. 'iresnet50_3'. */
  readonly prefix: string;
  private readonly named: NamedWeight[] = [];
  private nextSeed: number;

  /** @param seed a non-negative integer; equal seeds, equal weights. */
  constructor(architecture: string, seed: number) {
    this.prefix = `${architecture}_${instances++}`;
    // NOTE: tfjs' random ops treat seed 0 as "no seed" (fresh randomness
    // each run), so the sequence starts at seed + 1.
    this.nextSeed = seed + 1;
  }

  /** Every variable with its key, in creation (= forward) order. */
  get namedWeights(): NamedWeight[] {
    return [...this.named];
  }

  get trainable(): tf.Variable[] {
    return this.named.map((w) => w.variable).filter((v) => v.trainable);
  }

  get nonTrainable(): tf.Variable[] {
    return this.named.map((w) => w.variable).filter((v) => !v.trainable);
  }

  /** Takes ownership of `value` (disposed once copied). */
  add<R extends tf.Rank>(
    key: string,
    value: tf.Tensor<R>,
    layout: WeightLayout,
    trainable = true,
    flattenedFrom?: [number, number, number],
  ): tf.Variable<R> {
    const variable = tf.variable(value, trainable, `${this.prefix}/${key}`);
    value.dispose();
    this.named.push({ key, variable, layout, flattenedFrom });
    return variable;
  }

  /** Conv filter [k, k, in, out], normal(0, std). */
  conv(
    key: string,
    kernel: number,
    inChannels: number,
    outChannels: number,
    std: number,
  ): tf.Variable<tf.Rank.R4> {
    const shape: [number, number, number, number] = [
      kernel,
      kernel,
      inChannels,
      outChannels,
    ];
    const init = tf.randomNormal<tf.Rank.R4>(
      shape,
      0,
      std,
      'float32',
      this.seed(),
    );
    return this.add(key, init, 'conv2d');
  }

  /** Depthwise filter [k, k, channels, 1], normal(0, std). */
  depthwise(
    key: string,
    kernel: number,
    channels: number,
    std: number,
  ): tf.Variable<tf.Rank.R4> {
    const shape: [number, number, number, number] = [
      kernel,
      kernel,
      channels,
      1,
    ];
    const init = tf.randomNormal<tf.Rank.R4>(
      shape,
      0,
      std,
      'float32',
      this.seed(),
    );
    return this.add(key, init, 'depthwise');
  }

  /**
   * Dense weight [out, in] (PyTorch's Linear orientation), uniform in
   * +-1/sqrt(in) as PyTorch's default init.
   */
  dense(
    key: string,
    outFeatures: number,
    inFeatures: number,
    flattenedFrom?: [number, number, number],
  ): tf.Variable<tf.Rank.R2> {
    const limit = 1 / Math.sqrt(inFeatures);
    const init = tf.randomUniform<tf.Rank.R2>(
      [outFeatures, inFeatures],
      -limit,
      limit,
      'float32',
      this.seed(),
    );
    return this.add(key, init, 'dense', true, flattenedFrom);
  }

  /** Bias [n], uniform in +-1/sqrt(fanIn) as PyTorch's default. */
  bias(key: string, size: number, fanIn: number): tf.Variable<tf.Rank.R1> {
    const limit = 1 / Math.sqrt(fanIn);
    const init = tf.randomUniform<tf.Rank.R1>(
      [size],
      -limit,
      limit,
      'float32',
      this.seed(),
    );
    return this.add(key, init, 'vector');
  }

  /**
   * BN under `${key}.weight`, `.bias`, `.running_mean`, `.running_var`.
   * With `frozenScale` the scale (gamma, 1) is created non-trainable.
   */
  norm(key: string, channels: number, frozenScale = false): BatchNormWeights {
    return createBatchNorm(channels, (suffix, value, trainable) => {
      const train = trainable && !(frozenScale && suffix === 'scale');
      return this.add(`${key}.${NORM_KEYS[suffix]}`, value, 'vector', train);
    });
  }

  /** PReLU slopes [channels], 0.25 as PyTorch's default. */
  prelu(key: string, channels: number): tf.Variable<tf.Rank.R1> {
    return this.add(key, tf.fill([channels], 0.25), 'vector');
  }

  dispose(): void {
    tf.dispose(this.named.map((w) => w.variable));
  }

  private seed(): number {
    return this.nextSeed++;
  }
}

/**
 * The Backbone members every network whose variables live in one
 * WeightStore shares: its name, weight lists, parameter count and
 * disposal. Subclasses create `store` in their constructor.
 */
export abstract class StoredBackbone {
  protected abstract readonly store: WeightStore;

  /** Prefix of this instance's variable names, e.g. 'iresnet50_2'. */
  get name(): string {
    return this.store.prefix;
  }

  /** Everything the optimizer updates. */
  get trainableWeights(): tf.Variable[] {
    return this.store.trainable;
  }

  /** BN moving statistics and any frozen scale. */
  get nonTrainableWeights(): tf.Variable[] {
    return this.store.nonTrainable;
  }

  /** Every variable under its InsightFace state_dict key. */
  namedWeights(): NamedWeight[] {
    return this.store.namedWeights;
  }

  /** Number of trainable scalars. */
  countParams(): number {
    return this.trainableWeights.reduce((sum, v) => sum + v.size, 0);
  }

  /** Releases every variable. */
  dispose(): void {
    this.store.dispose();
  }
}
