/** Settings of MobileFaceNet (mobilefacenet.ts), with defaults. */
import { BackboneError } from './cpu_resnet_config';
import { checkNormSettings, checkPositiveInteger, checkSeed } from './net_ops';

/** A run of inverted-residual bottlenecks (a row of the paper's Table 1). */
export interface BottleneckStage {
  /** Width of the expanded (depthwise) layer over the input's (t). */
  expansion: number;
  /** Output channels (c). */
  channels: number;
  /** Number of bottlenecks (n). */
  repeats: number;
  /** Stride of the first one, 1 or 2; the others use 1 (s). */
  stride: number;
}

/** Chen et al. 2018, Table 1. */
export const MOBILEFACENET_STAGES: readonly BottleneckStage[] = [
  { expansion: 2, channels: 64, repeats: 5, stride: 2 },
  { expansion: 4, channels: 128, repeats: 1, stride: 2 },
  { expansion: 2, channels: 128, repeats: 6, stride: 1 },
  { expansion: 4, channels: 128, repeats: 1, stride: 2 },
  { expansion: 2, channels: 128, repeats: 2, stride: 1 },
];

export interface MobileFaceNetConfig {
  /** Input height and width in pixels. Default 112. */
  inputSize?: number;
  /**
   * Length of the raw embedding. Default 512 (InsightFace's setting; the
   * paper uses 128).
   */
  embeddingDim?: number;
  /** Bottleneck stages. Default `MOBILEFACENET_STAGES` (the paper's). */
  stages?: readonly BottleneckStage[];
  /** Weight of the old value in BN moving averages. Default 0.9. */
  batchNormMomentum?: number;
  /** Added to the variance in BN. Default 1e-5. */
  batchNormEpsilon?: number;
  /** Seed (integer >= 0) of the weight initialisation. Default 0. */
  seed?: number;
}

/** Every field set; `stages` is a fresh, mutable copy. */
export type ResolvedMobileFaceNetConfig = Required<
  Omit<MobileFaceNetConfig, 'stages'>
> & { stages: BottleneckStage[] };

export const DEFAULT_MOBILEFACENET_CONFIG: ResolvedMobileFaceNetConfig = {
  inputSize: 112,
  embeddingDim: 512,
  stages: MOBILEFACENET_STAGES.map((stage) => ({ ...stage })),
  batchNormMomentum: 0.9,
  batchNormEpsilon: 1e-5,
  seed: 0,
};

/** Fills in defaults and validates; returns a new object. */
export function resolveMobileFaceNetConfig(
  config: MobileFaceNetConfig = {},
): ResolvedMobileFaceNetConfig {
  const where = 'MobileFaceNet';
  const resolved = {
    ...DEFAULT_MOBILEFACENET_CONFIG,
    ...config,
    stages: (config.stages ?? MOBILEFACENET_STAGES).map((s) => ({ ...s })),
  };
  checkPositiveInteger(where, 'inputSize', resolved.inputSize);
  checkPositiveInteger(where, 'embeddingDim', resolved.embeddingDim);
  if (resolved.stages.length === 0) {
    throw new BackboneError(
      `${where}: stages must hold at least one stage, but got []`,
    );
  }
  resolved.stages.forEach((stage, i) => {
    checkPositiveInteger(where, `stages[${i}].expansion`, stage.expansion);
    checkPositiveInteger(where, `stages[${i}].channels`, stage.channels);
    checkPositiveInteger(where, `stages[${i}].repeats`, stage.repeats);
    if (stage.stride !== 1 && stage.stride !== 2) {
      throw new BackboneError(
        `${where}: stages[${i}].stride must be 1 or 2, but got ` +
          `${stage.stride}`,
      );
    }
  });
  checkSeed(where, resolved.seed);
  checkNormSettings(
    where,
    resolved.batchNormMomentum,
    resolved.batchNormEpsilon,
  );
  return resolved;
}
