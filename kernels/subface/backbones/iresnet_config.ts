/** Settings of the iResNets (iresnet.ts), with defaults. */
import { BackboneError } from './cpu_resnet_config';
import { checkNormSettings, checkPositiveInteger, checkSeed } from './net_ops';

/** Blocks per stage, as InsightFace's r18/r34/r50/r100. */
export const IRESNET_LAYERS = {
  iresnet18: [2, 2, 2, 2],
  iresnet34: [3, 4, 6, 3],
  iresnet50: [3, 4, 14, 3],
  iresnet100: [3, 13, 30, 3],
} as const;

export type IResNetName = keyof typeof IRESNET_LAYERS;

export const IRESNET_NAMES = Object.keys(IRESNET_LAYERS) as IResNetName[];

export interface IResNetConfig {
  /** Input height and width in pixels. Default 112. */
  inputSize?: number;
  /** Length of the raw embedding. Default 512. */
  embeddingDim?: number;
  /**
   * Channels of the stem and first stage; the stages have 1, 2, 4 and 8
   * times as many. Default 64 (InsightFace); smaller for tests and demos.
   */
  baseWidth?: number;
  /** Dropout rate before the FC, applied in training only. Default 0. */
  dropout?: number;
  /** Weight of the old value in BN moving averages. Default 0.9. */
  batchNormMomentum?: number;
  /** Added to the variance in BN. Default 1e-5. */
  batchNormEpsilon?: number;
  /** Seed (integer >= 0) of the weight init and of dropout. Default 0. */
  seed?: number;
}

export type ResolvedIResNetConfig = Required<IResNetConfig>;

export const DEFAULT_IRESNET_CONFIG: ResolvedIResNetConfig = {
  inputSize: 112,
  embeddingDim: 512,
  baseWidth: 64,
  dropout: 0,
  batchNormMomentum: 0.9,
  batchNormEpsilon: 1e-5,
  seed: 0,
};

/** Fills in defaults and validates; returns a new object. */
export function resolveIResNetConfig(
  config: IResNetConfig = {},
): ResolvedIResNetConfig {
  const where = 'IResNet';
  const resolved = { ...DEFAULT_IRESNET_CONFIG, ...config };
  checkPositiveInteger(where, 'inputSize', resolved.inputSize);
  checkPositiveInteger(where, 'embeddingDim', resolved.embeddingDim);
  checkPositiveInteger(where, 'baseWidth', resolved.baseWidth);
  if (!(resolved.dropout >= 0 && resolved.dropout < 1)) {
    throw new BackboneError(
      `${where}: dropout must be in [0, 1), but got ${resolved.dropout}`,
    );
  }
  checkSeed(where, resolved.seed);
  checkNormSettings(
    where,
    resolved.batchNormMomentum,
    resolved.batchNormEpsilon,
  );
  return resolved;
}
