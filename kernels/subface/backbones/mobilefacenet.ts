/**
 * MobileFaceNet, as in Table 1 of Chen et al. 2018 ("MobileFaceNets:
 * Efficient CNNs for Accurate Real-Time Face Verification on Mobile
 * Devices"):
 *
 *   conv1        conv3x3/2, 64, BN, PReLU
 *   conv2_dw     depthwise 3x3/1, 64, BN, PReLU
 *   blocks       inverted-residual bottlenecks (t, c, n, s):
 *                (2, 64, 5, 2) (4, 128, 1, 2) (2, 128, 6, 1)
 *                (4, 128, 1, 2) (2, 128, 2, 1); each is conv1x1 to t*cin
 *                + BN + PReLU, depthwise 3x3/s + BN + PReLU, linear
 *                conv1x1 to c + BN, plus the input when s = 1, cin = c
 *   conv_sep     conv1x1, 512, BN, PReLU
 *   gdc          linear global depthwise conv (kernel = the map's side:
 *                7 at 112) + BN
 *   linear       linear conv1x1 (a dense layer on the 1x1 map) to
 *                embeddingDim, no bias
 *   features     BatchNorm1d (trainable scale)
 *
 * The side goes s -> s/2 (conv1) -> s/4 -> s/8 -> s/16: 7 at 112, 4 at 56,
 * 2 at 32. Parameters at 112: 1.003M with the paper's 128-d embedding
 * (the paper quotes 0.99M), 1.20M with 512-d.
 *
 * Porting note: this is the paper's variant, not InsightFace's
 * `mobilefacenet.py` (blocks=(1, 4, 6, 2) with a width `scale` and grouped
 * rather than depthwise convs in places). The default embedding is 512-d
 * like InsightFace's `mbf` config, not the paper's 128.
 *
 * Init: He-normal (fan-in) for convs, PyTorch's default uniform for the
 * dense layer; BN 1 and 0; PReLU 0.25.
 */
import * as tf from '@tensorflow/tfjs';

import { ApplyOptions, Backbone } from './backbone';
import { BatchNormWeights } from './batch_norm';
import {
  MobileFaceNetConfig,
  ResolvedMobileFaceNetConfig,
  resolveMobileFaceNetConfig,
} from './mobilefacenet_config';
import {
  checkImages,
  conv,
  convOutputSize,
  dense,
  depthwise,
  norm,
  NormSettings,
  prelu,
} from './net_ops';
import { StoredBackbone, WeightStore } from './weight_store';

/** Channels of conv1 and conv2_dw. */
const STEM_CHANNELS = 64;
/** Channels of conv_sep and the GDC. */
const FEATURE_CHANNELS = 512;

/** A conv (regular or depthwise) + BN, with PReLU unless linear. */
interface Unit {
  filter: tf.Variable<tf.Rank.R4>;
  depthwise: boolean;
  norm: BatchNormWeights;
  alpha?: tf.Variable<tf.Rank.R1>;
}

interface Bottleneck {
  expand: Unit;
  dw: Unit;
  project: Unit;
  stride: number;
  residual: boolean;
}

export class MobileFaceNet extends StoredBackbone implements Backbone {
  readonly architecture = 'mobilefacenet';
  readonly config: ResolvedMobileFaceNetConfig;
  protected readonly store: WeightStore;
  private readonly settings: NormSettings;
  private readonly conv1: Unit;
  private readonly conv2dw: Unit;
  private readonly blocks: Bottleneck[] = [];
  private readonly convSep: Unit;
  private readonly gdc: Unit;
  private readonly linear: tf.Variable<tf.Rank.R2>;
  private readonly features: BatchNormWeights;

  constructor(config: MobileFaceNetConfig = {}) {
    super();
    this.config = resolveMobileFaceNetConfig(config);
    const c = this.config;
    this.settings = {
      momentum: c.batchNormMomentum,
      epsilon: c.batchNormEpsilon,
    };
    this.store = new WeightStore(this.architecture, c.seed);

    this.conv1 = this.unit('conv1', 3, 3, STEM_CHANNELS, false, false);
    this.conv2dw = this.unit('conv2_dw', 3, STEM_CHANNELS, 0, true, false);
    let channels = STEM_CHANNELS;
    for (const stage of c.stages) {
      for (let i = 0; i < stage.repeats; i++) {
        const key = `blocks.${this.blocks.length}`;
        const stride = i === 0 ? stage.stride : 1;
        const mid = channels * stage.expansion;
        this.blocks.push({
          expand: this.unit(`${key}.expand`, 1, channels, mid, false, false),
          dw: this.unit(`${key}.dw`, 3, mid, 0, true, false),
          project: this.unit(`${key}.project`, 1, mid, stage.channels),
          stride,
          residual: stride === 1 && channels === stage.channels,
        });
        channels = stage.channels;
      }
    }

    this.convSep = this.unit(
      'conv_sep',
      1,
      channels,
      FEATURE_CHANNELS,
      false,
      false,
    );
    const side = this.finalSize();
    this.gdc = this.unit('gdc', side, FEATURE_CHANNELS, 0, true);
    this.linear = this.store.dense(
      'linear.weight',
      c.embeddingDim,
      FEATURE_CHANNELS,
    );
    this.features = this.store.norm('features', c.embeddingDim);
  }

  get inputSize(): number {
    return this.config.inputSize;
  }

  get embeddingDim(): number {
    return this.config.embeddingDim;
  }

  /** Side of the map the GDC pools (7 at 112). */
  finalSize(): number {
    let size = convOutputSize(this.config.inputSize, 3, 2, 1);
    for (const stage of this.config.stages) {
      if (stage.stride === 2) size = convOutputSize(size, 3, 2, 1);
    }
    return size;
  }

  /**
   * The raw (unnormalised) embeddings of a batch of images.
   *
   * @param images [batch, inputSize, inputSize, 3], float32
   * @returns rawEmbeddings [batch, embeddingDim]
   */
  apply(images: tf.Tensor4D, options: ApplyOptions): tf.Tensor2D {
    checkImages('MobileFaceNet.apply', images, this.config.inputSize);
    const training = options.training;

    return tf.tidy(() => {
      let x = this.applyUnit(images, this.conv1, 2, training);
      x = this.applyUnit(x, this.conv2dw, 1, training);
      for (const block of this.blocks) {
        let y = this.applyUnit(x, block.expand, 1, training);
        y = this.applyUnit(y, block.dw, block.stride, training);
        y = this.applyUnit(y, block.project, 1, training);
        x = block.residual ? tf.add(x, y) : y;
      }
      x = this.applyUnit(x, this.convSep, 1, training);
      x = this.applyUnit(x, this.gdc, 1, training); // [batch, 1, 1, 512]

      const [batch] = x.shape;
      const pooled = tf.reshape(x, [batch, FEATURE_CHANNELS]) as tf.Tensor2D;
      const projected = dense(pooled, this.linear); // [batch, embeddingDim]
      return norm(projected, this.features, this.settings, training);
    });
  }

  /**
   * 3x3 kernels pad 1 like PyTorch's padding=1; 1x1 and the GDC (whose
   * kernel covers the whole map) pad nothing.
   */
  private applyUnit(
    x: tf.Tensor4D,
    unit: Unit,
    stride: number,
    training: boolean,
  ): tf.Tensor4D {
    const kernel = unit.filter.shape[0];
    const pad = kernel === 3 ? 1 : 0;
    const y = unit.depthwise
      ? depthwise(x, unit.filter, stride, pad)
      : conv(x, unit.filter, stride);
    const z = norm(y, unit.norm, this.settings, training);
    return unit.alpha === undefined ? z : prelu(z, unit.alpha, training);
  }

  /**
   * Variables of a conv unit: `${key}.conv.weight`, `${key}.bn.*` and,
   * unless linear, `${key}.prelu.weight`. Depthwise units keep their
   * channel count (`outChannels` is ignored).
   */
  private unit(
    key: string,
    kernel: number,
    inChannels: number,
    outChannels: number,
    isDepthwise = false,
    linear = true,
  ): Unit {
    const store = this.store;
    const channels = isDepthwise ? inChannels : outChannels;
    const fanIn = kernel * kernel * (isDepthwise ? 1 : inChannels);
    const std = Math.sqrt(2 / fanIn);
    const filter = isDepthwise
      ? store.depthwise(`${key}.conv.weight`, kernel, inChannels, std)
      : store.conv(`${key}.conv.weight`, kernel, inChannels, channels, std);
    return {
      filter,
      depthwise: isDepthwise,
      norm: store.norm(`${key}.bn`, channels),
      alpha: linear ? undefined : store.prelu(`${key}.prelu.weight`, channels),
    };
  }
}
