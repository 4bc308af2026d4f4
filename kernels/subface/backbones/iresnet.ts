/**
 * iResNet-18/34/50/100, the backbones of InsightFace's arcface_torch
 * (`backbones/iresnet.py`), with the same topology and state_dict keys:
 *
 *   stem    conv3x3/1 (3 -> w) + BN + PReLU                (conv1, bn1,
 *           prelu)
 *   stages  layer1..4 with w, 2w, 4w, 8w channels (w = 64) and
 *           [2,2,2,2] / [3,4,6,3] / [3,4,14,3] / [3,13,30,3] blocks;
 *   block   BN -> conv3x3 -> BN -> PReLU -> conv3x3 -> BN, plus the input,
 *           which goes through conv1x1/2 + BN (downsample) in the first
 *           block of a stage; that block's stride 2 sits on its 2nd conv
 *   output  BN2d (bn2) -> flatten -> dropout -> FC with bias (fc) ->
 *           BatchNorm1d (features) whose scale is frozen at 1.0
 *
 * Every stage halves the side (k = 3, padding 1: s -> ceil(s / 2)), so the
 * FC reads 8w * ceil(s / 16)^2 features: 7x7 at 112, 4x4 at 56, 2x2 at 32.
 * With w = 64 and 512-d embeddings at 112 the nets hold 24.03M, 34.14M,
 * 43.59M and 65.16M parameters (the frozen scale included).
 *
 * Initialisation as InsightFace: convs normal(0, 0.1), BN 1 and 0, PReLU
 * 0.25, FC PyTorch's default uniform(+-1/sqrt(fanIn)).
 *
 * Porting note: the frozen BatchNorm1d scale (InsightFace sets it to 1.0
 * with requires_grad = False) is a non-trainable variable here, listed in
 * `nonTrainableWeights` with the moving statistics, so `countParams()`
 * (trainable scalars) is InsightFace's parameter count minus embeddingDim.
 *
 * Porting note: the FC weight is stored [embeddingDim, h*w*c] for an NHWC
 * flatten, where InsightFace flattens NCHW; `namedWeights()` records the
 * map's [h, w, c] so a checkpoint converter can permute the columns.
 */
import * as tf from '@tensorflow/tfjs';

import { ApplyOptions, Backbone } from './backbone';
import { BatchNormWeights } from './batch_norm';
import { BackboneError } from './cpu_resnet_config';
import {
  IRESNET_LAYERS,
  IResNetConfig,
  IResNetName,
  ResolvedIResNetConfig,
  resolveIResNetConfig,
} from './iresnet_config';
import {
  checkImages,
  conv,
  convOutputSize,
  dense,
  norm,
  NormSettings,
  prelu,
} from './net_ops';
import { StoredBackbone, WeightStore } from './weight_store';

/** InsightFace's conv init: normal(0, 0.1), whatever the fan-in. */
const CONV_STD = 0.1;

/** Spaces the dropout seeds of different `seed` settings apart. */
const DROPOUT_SEED_STRIDE = 1000003;

/** Every stage starts with a stride-2 block. */
const STAGE_STRIDE = 2;

interface Block {
  bn1: BatchNormWeights;
  conv1: tf.Variable<tf.Rank.R4>;
  bn2: BatchNormWeights;
  prelu: tf.Variable<tf.Rank.R1>;
  conv2: tf.Variable<tf.Rank.R4>;
  bn3: BatchNormWeights;
  stride: number;
  downsample?: { conv: tf.Variable<tf.Rank.R4>; bn: BatchNormWeights };
}

export class IResNet extends StoredBackbone implements Backbone {
  readonly architecture: IResNetName;
  readonly config: ResolvedIResNetConfig;
  protected readonly store: WeightStore;
  private readonly settings: NormSettings;
  private readonly conv1: tf.Variable<tf.Rank.R4>;
  private readonly bn1: BatchNormWeights;
  private readonly prelu: tf.Variable<tf.Rank.R1>;
  private readonly blocks: Block[] = [];
  private readonly bn2: BatchNormWeights;
  private readonly fcWeight: tf.Variable<tf.Rank.R2>;
  private readonly fcBias: tf.Variable<tf.Rank.R1>;
  private readonly features: BatchNormWeights;
  private dropoutCalls = 0;

  constructor(architecture: IResNetName, config: IResNetConfig = {}) {
    super();
    if (!(architecture in IRESNET_LAYERS)) {
      throw new BackboneError(
        'IResNet: architecture must be one of ' +
          `${Object.keys(IRESNET_LAYERS).join(', ')}, but got ` +
          `'${architecture}'`,
      );
    }
    this.architecture = architecture;
    this.config = resolveIResNetConfig(config);
    const c = this.config;
    this.settings = {
      momentum: c.batchNormMomentum,
      epsilon: c.batchNormEpsilon,
    };
    const store = new WeightStore(architecture, c.seed);
    this.store = store;

    this.conv1 = store.conv('conv1.weight', 3, 3, c.baseWidth, CONV_STD);
    this.bn1 = store.norm('bn1', c.baseWidth);
    this.prelu = store.prelu('prelu.weight', c.baseWidth);
    let channels = c.baseWidth;
    IRESNET_LAYERS[architecture].forEach((count, stage) => {
      const outChannels = c.baseWidth * 2 ** stage;
      for (let i = 0; i < count; i++) {
        const key = `layer${stage + 1}.${i}`;
        const stride = i === 0 ? STAGE_STRIDE : 1;
        this.blocks.push(this.block(key, channels, outChannels, stride));
        channels = outChannels;
      }
    });

    const side = this.finalSize();
    const flat = side * side * channels;
    this.bn2 = store.norm('bn2', channels);
    this.fcWeight = store.dense('fc.weight', c.embeddingDim, flat, [
      side,
      side,
      channels,
    ]);
    this.fcBias = store.bias('fc.bias', c.embeddingDim, flat);
    this.features = store.norm('features', c.embeddingDim, true);
  }

  get inputSize(): number {
    return this.config.inputSize;
  }

  get embeddingDim(): number {
    return this.config.embeddingDim;
  }

  /** Height and width of the last stage's output (7 at 112). */
  finalSize(): number {
    let size = this.config.inputSize;
    for (let stage = 0; stage < 4; stage++) {
      size = convOutputSize(size, 3, STAGE_STRIDE, 1);
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
    checkImages('IResNet.apply', images, this.config.inputSize);
    const training = options.training;
    const rate = this.config.dropout;
    // A new seed per call (a fixed one would repeat the same mask), never
    // 0, which tfjs reads as "unseeded".
    const dropoutSeed =
      this.config.seed * DROPOUT_SEED_STRIDE + ++this.dropoutCalls;

    return tf.tidy(() => {
      let x = conv(images, this.conv1, 1);
      x = prelu(this.bn(x, this.bn1, training), this.prelu, training);
      for (const block of this.blocks) {
        x = this.applyBlock(x, block, training);
      }

      x = this.bn(x, this.bn2, training);
      const [batch] = x.shape;
      let flat = tf.reshape(x, [batch, -1]) as tf.Tensor2D; // [batch, hwc]
      if (training && rate > 0) {
        flat = tf.dropout(flat, rate, undefined, dropoutSeed) as tf.Tensor2D;
      }
      const projected = dense(flat, this.fcWeight, this.fcBias);
      return this.bn(projected, this.features, training);
    });
  }

  /** @param x [batch, h, w, in] @returns [batch, h / stride, ..., out] */
  private applyBlock(
    x: tf.Tensor4D,
    block: Block,
    training: boolean,
  ): tf.Tensor4D {
    let y = conv(this.bn(x, block.bn1, training), block.conv1, 1);
    y = prelu(this.bn(y, block.bn2, training), block.prelu, training);
    y = this.bn(conv(y, block.conv2, block.stride), block.bn3, training);
    const down = block.downsample;
    const shortcut =
      down === undefined
        ? x
        : this.bn(conv(x, down.conv, block.stride), down.bn, training);
    return tf.add(y, shortcut);
  }

  private bn<T extends tf.Tensor>(
    x: T,
    weights: BatchNormWeights,
    training: boolean,
  ): T {
    return norm(x, weights, this.settings, training);
  }

  /** Variables of one IBasicBlock, in InsightFace's order. */
  private block(
    key: string,
    inChannels: number,
    outChannels: number,
    stride: number,
  ): Block {
    const store = this.store;
    const block: Block = {
      bn1: store.norm(`${key}.bn1`, inChannels),
      conv1: store.conv(
        `${key}.conv1.weight`,
        3,
        inChannels,
        outChannels,
        CONV_STD,
      ),
      bn2: store.norm(`${key}.bn2`, outChannels),
      prelu: store.prelu(`${key}.prelu.weight`, outChannels),
      conv2: store.conv(
        `${key}.conv2.weight`,
        3,
        outChannels,
        outChannels,
        CONV_STD,
      ),
      bn3: store.norm(`${key}.bn3`, outChannels),
      stride,
    };
    if (stride !== 1 || inChannels !== outChannels) {
      block.downsample = {
        conv: store.conv(
          `${key}.downsample.0.weight`,
          1,
          inChannels,
          outChannels,
          CONV_STD,
        ),
        bn: store.norm(`${key}.downsample.1`, outChannels),
      };
    }
    return block;
  }
}
