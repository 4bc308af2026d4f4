/**
 * SubFace options: the dimension selection factor r, how dims are drawn
 * and selected, and two extensions of the paper (a mix with the
 * full-feature loss, and a schedule for r).
 */
import { SELECT_MODES, SelectMode } from './cosines';
import { checkKeys, checkNumber, checkOption, fail } from './errors';
import { SAMPLER_MODES, SamplerMode } from './subspace_sampler';

export const RATIO_SCHEDULES = ['constant', 'linear'] as const;

export type RatioSchedule = (typeof RATIO_SCHEDULES)[number];

export interface SubFaceConfig {
  /** r, the fraction of embedding dims kept per step, in (0, 1]; 0.8. */
  ratio?: number;
  /** How dims are drawn; default 'exact' (Algorithm 1). */
  sampler?: SamplerMode;
  /**
   * 'gather' (default) takes the kept columns out, so the product shrinks
   * by r; 'mask' zeroes the others. Both give the same loss.
   */
  select?: SelectMode;
  /**
   * Extension, not in the paper: loss = lambda * fullLoss + (1 - lambda) *
   * subLoss, lambda in [0, 1]; default 0 (sub-feature loss only).
   */
  lambda?: number;
  /**
   * Extension, not in the paper: 'constant' (default) keeps r; 'linear'
   * holds r until `rampStart * totalSteps`, then raises it linearly to 1
   * at `totalSteps`.
   */
  schedule?: RatioSchedule;
  /** 'linear' only: the number of training steps; required there. */
  totalSteps?: number;
  /** 'linear' only: fraction of training where the ramp starts; 0. */
  rampStart?: number;
}

export type ResolvedSubFace = Required<SubFaceConfig>;

export const DEFAULT_SUBFACE_CONFIG: Readonly<ResolvedSubFace> = {
  ratio: 0.8,
  sampler: 'exact',
  select: 'gather',
  lambda: 0,
  schedule: 'constant',
  totalSteps: 0,
  rampStart: 0,
};

const KNOWN_KEYS = Object.keys(DEFAULT_SUBFACE_CONFIG);

/** Validates a SubFace config and returns a new, complete one. */
export function resolveSubFaceConfig(
  config: SubFaceConfig = {},
): ResolvedSubFace {
  const where = 'resolveSubFaceConfig';
  checkKeys(where, config, KNOWN_KEYS);
  const merged = { ...DEFAULT_SUBFACE_CONFIG, ...config };
  checkNumber(where, 'ratio', merged.ratio, { min: Number.MIN_VALUE, max: 1 });
  checkOption(where, 'sampler', merged.sampler, SAMPLER_MODES);
  checkOption(where, 'select', merged.select, SELECT_MODES);
  checkNumber(where, 'lambda', merged.lambda, { min: 0, max: 1 });
  checkOption(where, 'schedule', merged.schedule, RATIO_SCHEDULES);
  if (merged.schedule === 'linear') {
    checkNumber(where, 'totalSteps', merged.totalSteps, {
      min: 1,
      integer: true,
    });
    checkNumber(where, 'rampStart', merged.rampStart, { min: 0, max: 1 });
  } else {
    for (const key of ['totalSteps', 'rampStart'] as const) {
      if (config[key] !== undefined) {
        fail(
          where,
          `${key} with schedule 'constant'`,
          'left unset',
          config[key],
        );
      }
    }
  }
  return merged;
}

/**
 * r at a given step (0-based). Steps past `totalSteps` keep r = 1.
 * @returns r in (0, 1]
 */
export function ratioAtStep(config: ResolvedSubFace, step: number): number {
  if (config.schedule === 'constant') return config.ratio;
  const progress = Math.min(step / config.totalSteps, 1);
  if (progress <= config.rampStart) return config.ratio;
  const ramp = (progress - config.rampStart) / (1 - config.rampStart);
  return config.ratio + (1 - config.ratio) * ramp;
}
