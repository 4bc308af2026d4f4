/**
 * A small residual network for training face embeddings on a CPU: the
 * backbone of the wasm-vs-PyTorch benchmark, sized so that a step at
 * 112x112, batch 32 takes about a second.
 *
 *   stem   conv3x3/2 (3 -> 32) + BN + PReLU
 *   stage  conv3x3/2 + BN + PReLU, conv3x3 + BN, plus conv1x1/2 + BN
 *          shortcut, added; channels 32, 64, 128, 256
 *   neck   flatten, FC to embeddingDim (no bias), BN
 *
 * At 112x112 the spatial size goes 56, 28, 14, 7, 4. The backbone holds
 * 3.33M parameters and costs 0.057 GMAC per image forward; a 1000-class
 * margin head adds 0.512M of each.
 *
 * Built from plain variables and ops rather than `tf.layers`: layers use
 * fused convolutions whose gradients bypass the registry, so the wasm fast
 * gradients (runtime/fast_gradients) would not apply.
 *
 * Porting note: 3x3 convolutions pad one pixel on every side, as PyTorch's
 * `padding=1` does, instead of TF's 'same' (which pads only the bottom and
 * right of an even-sized input at stride 2), so that the PyTorch twin in
 * bench/torch_train_step.py computes exactly the same function.
 */
import * as tf from '@tensorflow/tfjs';

import { ApplyOptions, Backbone } from './backbone';
import { batchNorm, BatchNormWeights, createBatchNorm } from './batch_norm';
import { preluTraining } from './channel_ops';
import {
  BackboneError,
  CpuResNetConfig,
  ResolvedCpuResNetConfig,
  resolveCpuResNetConfig,
} from './cpu_resnet_config';

/** Output size of a stride-2 conv with kernel 3 and padding 1. */
function halve(size: number): number {
  return Math.floor((size - 1) / 2) + 1;
}

/** Explicit NHWC padding of one pixel on every side. */
const PAD_ONE: [[0, 0], [1, 1], [1, 1], [0, 0]] = [
  [0, 0],
  [1, 1],
  [1, 1],
  [0, 0],
];

/** PReLU with one slope per channel (fast gradient in training). */
function prelu(
  x: tf.Tensor4D,
  alpha: tf.Tensor1D,
  training: boolean,
): tf.Tensor4D {
  const y = training
    ? preluTraining(x, alpha)
    : tf.prelu(x as tf.Tensor, alpha);
  return y as tf.Tensor4D;
}

interface ConvUnit {
  filter: tf.Variable<tf.Rank.R4>;
  norm: BatchNormWeights;
}

interface Stage {
  reduce: ConvUnit;
  alpha: tf.Variable<tf.Rank.R1>;
  refine: ConvUnit;
  shortcut: ConvUnit;
}

/** Numbers instances: tfjs variable names must be unique per process. */
let instances = 0;

export class CpuResNet implements Backbone {
  readonly architecture = 'cpu_resnet';
  readonly config: ResolvedCpuResNetConfig;
  /** Prefix of this instance's variable names, e.g. 'cpuResNet3'. */
  readonly name: string;
  private readonly stem: ConvUnit;
  private readonly stemAlpha: tf.Variable<tf.Rank.R1>;
  private readonly stages: Stage[];
  private readonly fc: tf.Variable<tf.Rank.R2>;
  private readonly neckNorm: BatchNormWeights;
  private readonly all: tf.Variable[] = [];
  private readonly moving: tf.Variable[] = [];
  private nextSeed: number;

  get inputSize(): number {
    return this.config.inputSize;
  }

  get embeddingDim(): number {
    return this.config.embeddingDim;
  }

  constructor(config: CpuResNetConfig = {}) {
    this.config = resolveCpuResNetConfig(config);
    this.name = `cpuResNet${instances++}`;
    const c = this.config;
    // tfjs treats seed 0 as "no seed": start at seed + 1 so that every
    // initialiser is seeded, whatever the config says.
    this.nextSeed = c.seed + 1;

    this.stem = this.convUnit('stem', 3, 3, c.stemChannels);
    this.stemAlpha = this.alpha('stem', c.stemChannels);
    let channels = c.stemChannels;
    this.stages = c.stageChannels.map((outChannels, i) => {
      const name = `stage${i + 1}`;
      const stage: Stage = {
        reduce: this.convUnit(`${name}/reduce`, 3, channels, outChannels),
        alpha: this.alpha(name, outChannels),
        refine: this.convUnit(`${name}/refine`, 3, outChannels, outChannels),
        shortcut: this.convUnit(`${name}/shortcut`, 1, channels, outChannels),
      };
      channels = outChannels;
      return stage;
    });

    const side = this.finalSize();
    const flat = side * side * channels;
    // Glorot-uniform keeps the embedding's scale independent of `flat`.
    // Stored [embeddingDim, flat] like PyTorch's Linear: see `apply`.
    const limit = Math.sqrt(6 / (flat + c.embeddingDim));
    this.fc = this.variable(
      'fc/weight',
      tf.randomUniform(
        [c.embeddingDim, flat],
        -limit,
        limit,
        'float32',
        this.seed(),
      ),
    );
    this.neckNorm = this.norm('neck', c.embeddingDim);
  }

  /** Height and width of the last stage's output. */
  finalSize(): number {
    let size = halve(this.config.inputSize);
    for (let i = 0; i < this.config.stageChannels.length; i++) {
      size = halve(size);
    }
    return size;
  }

  /** Everything the optimizer updates. */
  get trainableWeights(): tf.Variable[] {
    return this.all.filter((v) => v.trainable);
  }

  /** BN moving means and variances (updated in training mode). */
  get nonTrainableWeights(): tf.Variable[] {
    return [...this.moving];
  }

  /** Number of trainable scalars. */
  countParams(): number {
    return this.trainableWeights.reduce((sum, v) => sum + v.size, 0);
  }

  /** Multiply-accumulates of one image's forward pass (convs and FC). */
  countMacs(): number {
    const c = this.config;
    let size = halve(c.inputSize);
    let macs = size * size * 9 * 3 * c.stemChannels;
    let channels = c.stemChannels;
    for (const outChannels of c.stageChannels) {
      size = halve(size);
      const pixels = size * size;
      macs += pixels * 9 * channels * outChannels;
      macs += pixels * 9 * outChannels * outChannels;
      macs += pixels * channels * outChannels;
      channels = outChannels;
    }
    return macs + size * size * channels * c.embeddingDim;
  }

  /**
   * The raw (unnormalised) embeddings of a batch of images.
   *
   * @param images [batch, inputSize, inputSize, 3], float32
   * @returns rawEmbeddings [batch, embeddingDim]
   */
  apply(images: tf.Tensor4D, options: ApplyOptions): tf.Tensor2D {
    const size = this.config.inputSize;
    const [, height, width, channels] = images.shape;
    if (images.rank !== 4 || height !== size || width !== size) {
      throw new BackboneError(
        `CpuResNet.apply: images must be [batch, ${size}, ${size}, 3], ` +
          `but got [${images.shape.join(', ')}]`,
      );
    }
    if (channels !== 3 || images.dtype !== 'float32') {
      throw new BackboneError(
        'CpuResNet.apply: images must be float32 with 3 channels, but got ' +
          `${images.dtype} with ${channels}`,
      );
    }
    const training = options.training;

    return tf.tidy(() => {
      let x = this.convBn(images, this.stem, 2, training);
      x = prelu(x, this.stemAlpha, training);
      for (const stage of this.stages) {
        let main = this.convBn(x, stage.reduce, 2, training);
        main = prelu(main, stage.alpha, training);
        main = this.convBn(main, stage.refine, 1, training);
        const shortcut = this.convBn(x, stage.shortcut, 2, training);
        x = tf.add(main, shortcut);
      }

      const [batch] = x.shape;
      const flat = tf.reshape(x, [batch, -1]); // [batch, side*side*c]
      // fc @ flat^T rather than flat @ fc^T: XNNPACK repacks the right
      // operand on every call, and the small one is far cheaper to repack.
      const flatT = tf.transpose(flat); // [side*side*c, batch]
      const projectedT = tf.matMul(this.fc, flatT); // [embeddingDim, batch]
      const projected = tf.transpose(projectedT); // [batch, embeddingDim]
      return this.bn(projected, this.neckNorm, training) as tf.Tensor2D;
    });
  }

  /** Releases every variable. */
  dispose(): void {
    tf.dispose([...this.all, ...this.moving]);
  }

  private convBn(
    x: tf.Tensor4D,
    unit: ConvUnit,
    stride: number,
    training: boolean,
  ): tf.Tensor4D {
    const kernel = unit.filter.shape[0];
    const pad = kernel === 1 ? 'valid' : PAD_ONE;
    const y = tf.conv2d(x, unit.filter, stride, pad);
    return this.bn(y, unit.norm, training) as tf.Tensor4D;
  }

  private bn(
    x: tf.Tensor,
    norm: BatchNormWeights,
    training: boolean,
  ): tf.Tensor {
    return batchNorm(x, norm, {
      training,
      momentum: this.config.batchNormMomentum,
      epsilon: this.config.batchNormEpsilon,
    });
  }

  private seed(): number {
    return this.nextSeed++;
  }

  private variable<R extends tf.Rank>(
    name: string,
    value: tf.Tensor<R>,
    trainable = true,
  ): tf.Variable<R> {
    const variable = tf.variable(value, trainable, `${this.name}/${name}`);
    value.dispose();
    (trainable ? this.all : this.moving).push(variable);
    return variable;
  }

  /** Conv filter with He-normal init (fan-in), plus its BN. */
  private convUnit(
    name: string,
    kernel: number,
    inChannels: number,
    outChannels: number,
  ): ConvUnit {
    const std = Math.sqrt(2 / (kernel * kernel * inChannels));
    const init = tf.randomNormal<tf.Rank.R4>(
      [kernel, kernel, inChannels, outChannels],
      0,
      std,
      'float32',
      this.seed(),
    );
    return {
      filter: this.variable(`${name}/filter`, init),
      norm: this.norm(name, outChannels),
    };
  }

  /** PReLU slopes, 0.25 as in PyTorch's default. */
  private alpha(name: string, channels: number): tf.Variable<tf.Rank.R1> {
    return this.variable(`${name}/alpha`, tf.fill([channels], 0.25));
  }

  private norm(name: string, channels: number): BatchNormWeights {
    return createBatchNorm(channels, (suffix, value, trainable) =>
      this.variable(`${name}/bn/${suffix}`, value, trainable),
    );
  }
}
