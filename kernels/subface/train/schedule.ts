/**
 * Learning-rate schedules as pure functions of the step: warmup, then
 * polynomial decay, step decay or a constant. Epoch-based settings are
 * turned into steps once (`resolveSchedule`), so the trainer, the logs
 * and a resumed run all agree on the rate of every step.
 */
import { checkNumber, checkOption, fail } from './errors';

export const SCHEDULE_KINDS = ['polynomial', 'step', 'constant'] as const;

export type ScheduleKind = (typeof SCHEDULE_KINDS)[number];

export interface ScheduleConfig {
  /** Default 'polynomial' (InsightFace's PolynomialLRWarmup). */
  kind?: ScheduleKind;
  /** Linear warmup length in steps. Default 0. */
  warmupSteps?: number;
  /** Warmup length in epochs (adds to warmupSteps). Default 0. */
  warmupEpochs?: number;
  /** 'polynomial': exponent of the decay. Default 1 (linear to 0). */
  power?: number;
  /** 'step': steps at which lr is multiplied by gamma. Default []. */
  milestones?: number[];
  /** 'step': epochs at which lr is multiplied by gamma. Default []. */
  milestoneEpochs?: number[];
  /** 'step': the factor at each milestone. Default 0.1. */
  gamma?: number;
}

/** A schedule in steps only; what `learningRateAt` reads. */
export interface ResolvedSchedule {
  kind: ScheduleKind;
  baseLr: number;
  warmupSteps: number;
  /** Steps of the whole run; polynomial decay reaches 0 here. */
  totalSteps: number;
  power: number;
  /** Sorted milestone steps. */
  milestones: number[];
  gamma: number;
}

export const DEFAULT_SCHEDULE_CONFIG: Readonly<Required<ScheduleConfig>> = {
  kind: 'polynomial',
  warmupSteps: 0,
  warmupEpochs: 0,
  power: 1,
  milestones: [],
  milestoneEpochs: [],
  gamma: 0.1,
};

const SCHEDULE_KEYS = Object.keys(DEFAULT_SCHEDULE_CONFIG);

/**
 * Validates `config` and converts epochs to steps.
 * @param baseLr the peak learning rate
 * @param totalSteps steps of the whole run (>= 1)
 * @param stepsPerEpoch batches per epoch (>= 1)
 */
export function resolveSchedule(
  config: ScheduleConfig,
  baseLr: number,
  totalSteps: number,
  stepsPerEpoch: number,
): ResolvedSchedule {
  const where = 'resolveSchedule';
  if (config === null || typeof config !== 'object') {
    fail(where, 'config', 'an object', config);
  }
  for (const key of Object.keys(config)) {
    checkOption(where, 'option', key, SCHEDULE_KEYS);
  }
  const merged = { ...DEFAULT_SCHEDULE_CONFIG, ...config };
  const kind = checkOption(where, 'kind', merged.kind, SCHEDULE_KINDS);
  checkNumber(where, 'baseLr', baseLr, { min: 0 });
  const integer = { min: 0, integer: true };
  checkNumber(where, 'totalSteps', totalSteps, { min: 1, integer: true });
  checkNumber(where, 'stepsPerEpoch', stepsPerEpoch, { min: 1 });
  checkNumber(where, 'warmupSteps', merged.warmupSteps, integer);
  checkNumber(where, 'warmupEpochs', merged.warmupEpochs, { min: 0 });
  checkNumber(where, 'power', merged.power, { min: 0 });
  checkNumber(where, 'gamma', merged.gamma, { min: 0 });

  const warmupSteps =
    merged.warmupSteps + Math.round(merged.warmupEpochs * stepsPerEpoch);
  if (warmupSteps >= totalSteps && kind === 'polynomial') {
    fail(where, 'warmup', `shorter than ${totalSteps} steps`, warmupSteps);
  }
  const fromEpochs = merged.milestoneEpochs.map((epoch, i) =>
    Math.round(
      checkNumber(where, `milestoneEpochs[${i}]`, epoch, { min: 0 }) *
        stepsPerEpoch,
    ),
  );
  merged.milestones.forEach((step, i) =>
    checkNumber(where, `milestones[${i}]`, step, integer),
  );
  const milestones = [...merged.milestones, ...fromEpochs].sort(
    (a, b) => a - b,
  );
  return {
    kind,
    baseLr,
    warmupSteps,
    totalSteps,
    power: merged.power,
    milestones,
    gamma: merged.gamma,
  };
}

/**
 * The learning rate of step `step` (0-based: the rate of the update that
 * makes `step + 1` steps done).
 *
 *   warmup (step < w):   baseLr * (step + 1) / w
 *   polynomial:          baseLr * (1 - (step - w) / (total - w))^power,
 *                        0 from `total` on
 *   step:                baseLr * gamma^(milestones <= step)
 *   constant:            baseLr
 *
 * Porting note: InsightFace's PolynomialLRWarmup gives baseLr * step / w
 * during warmup, except that its first step keeps the optimizer's initial
 * rate (the full baseLr). Here the first warmup step is baseLr / w and the
 * last reaches baseLr, so no step runs at rate 0 or skips the warmup.
 * Without warmup both give baseLr * (1 - step / total)^power.
 */
export function learningRateAt(
  schedule: ResolvedSchedule,
  step: number,
): number {
  const { kind, baseLr, warmupSteps: w, totalSteps: total } = schedule;
  if (!Number.isInteger(step) || step < 0) {
    fail('learningRateAt', 'step', 'an integer >= 0', step);
  }
  if (step < w) return (baseLr * (step + 1)) / w;

  if (kind === 'polynomial') {
    if (step >= total) return 0;
    const remaining = 1 - (step - w) / (total - w);
    return baseLr * Math.pow(remaining, schedule.power);
  }
  if (kind === 'step') {
    const passed = schedule.milestones.filter((m) => m <= step).length;
    return baseLr * Math.pow(schedule.gamma, passed);
  }
  return baseLr;
}
