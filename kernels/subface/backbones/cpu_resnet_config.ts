/** Settings of the CPU ResNet (cpu_resnet.ts), with defaults. */

export interface CpuResNetConfig {
  /** Input height and width in pixels. Default 112. */
  inputSize?: number;
  /** Output channels of the stem convolution. Default 32. */
  stemChannels?: number;
  /** Output channels of each stage; each halves the size. Default
   * [32, 64, 128, 256]. */
  stageChannels?: number[];
  /** Length of the raw embedding. Default 512. */
  embeddingDim?: number;
  /** Weight of the old value in BN moving averages. Default 0.9. */
  batchNormMomentum?: number;
  /** Added to the variance in BN. Default 1e-5. */
  batchNormEpsilon?: number;
  /** Seed of the weight initialisation. Default 0. */
  seed?: number;
}

export type ResolvedCpuResNetConfig = Required<CpuResNetConfig>;

export const DEFAULT_CPU_RESNET_CONFIG: ResolvedCpuResNetConfig = {
  inputSize: 112,
  stemChannels: 32,
  stageChannels: [32, 64, 128, 256],
  embeddingDim: 512,
  batchNormMomentum: 0.9,
  batchNormEpsilon: 1e-5,
  seed: 0,
};

export class BackboneError extends Error {
  override name = 'BackboneError';
}

function checkPositiveInteger(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new BackboneError(
      `CpuResNet: ${name} must be a positive integer, but got ${value}`,
    );
  }
}

/** Fills in defaults and validates; returns a new object. */
export function resolveCpuResNetConfig(
  config: CpuResNetConfig = {},
): ResolvedCpuResNetConfig {
  const resolved = { ...DEFAULT_CPU_RESNET_CONFIG, ...config };
  resolved.stageChannels = [...resolved.stageChannels];
  checkPositiveInteger('inputSize', resolved.inputSize);
  checkPositiveInteger('stemChannels', resolved.stemChannels);
  checkPositiveInteger('embeddingDim', resolved.embeddingDim);
  if (resolved.stageChannels.length === 0) {
    throw new BackboneError(
      'CpuResNet: stageChannels must hold at least one stage, but got []',
    );
  }
  resolved.stageChannels.forEach((c, i) =>
    checkPositiveInteger(`stageChannels[${i}]`, c),
  );
  const { batchNormMomentum: momentum, batchNormEpsilon: epsilon } = resolved;
  if (!(momentum >= 0 && momentum < 1)) {
    throw new BackboneError(
      `CpuResNet: batchNormMomentum must be in [0, 1), but got ${momentum}`,
    );
  }
  if (!(epsilon > 0)) {
    throw new BackboneError(
      `CpuResNet: batchNormEpsilon must be > 0, but got ${epsilon}`,
    );
  }
  return resolved;
}
