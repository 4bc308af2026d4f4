/**
 * The trainer's settings, with InsightFace's defaults where it has one
 * (arcface_torch `configs/base.py` and `train_v2.py`: SGD lr 0.1, momentum
 * 0.9, weight decay 5e-4, polynomial decay to 0 with power 1, backbone
 * gradients clipped at 5, batch 128, 20 epochs, logs every 10 steps,
 * evaluation every 2000).
 */
import { AdamConfig, DEFAULT_ADAM_CONFIG } from './adam';
import {
  checkKeys,
  checkNumber,
  checkOption,
  describeValue,
  fail,
} from './errors';
import { OPTIMIZER_KINDS, OptimizerKind } from './optimizer';
import {
  DEFAULT_SCHEDULE_CONFIG,
  resolveSchedule,
  ScheduleConfig,
} from './schedule';

export const CLIP_SCOPES = ['backbone', 'all'] as const;

export type ClipScope = (typeof CLIP_SCOPES)[number];

export interface TrainConfig {
  /** Images per step. Default 128 (InsightFace's per-GPU batch). */
  batchSize?: number;
  /** Epochs of the whole run; sets the schedule's length. Default 20. */
  numEpochs?: number;
  /**
   * The schedule's length in steps, overriding numEpochs times the
   * steps per epoch. Default null.
   */
  totalSteps?: number | null;
  /** 'sgd' (default), 'adam' or 'adamw'. */
  optimizer?: OptimizerKind;
  /** Peak learning rate. Default 0.1. */
  lr?: number;
  /** SGD momentum. Default 0.9. */
  momentum?: number;
  /**
   * Weight decay: L2 in the gradient for 'sgd' and 'adam', decoupled for
   * 'adamw'. Default 5e-4.
   */
  weightDecay?: number;
  /** Adam's betas and epsilon. Default 0.9, 0.999, 1e-8. */
  adam?: Omit<AdamConfig, 'weightDecay' | 'decoupled'>;
  /** Warmup and decay. Default polynomial, power 1, no warmup. */
  schedule?: ScheduleConfig;
  /** Largest global L2 norm of the clipped gradients; null: off. 5. */
  clipGradNorm?: number | null;
  /** Whose gradients are clipped: 'backbone' (default) or 'all'. */
  clipScope?: ClipScope;
  /**
   * Parameters without weight decay: any whose name contains one of
   * these strings, e.g. ['/bn/', '/alpha'] for BN and PReLU. Names are
   * 'backbone/...' and 'head/classCenters', 'head/bias'. Default [].
   */
  weightDecayExclude?: string[];
  /** Seed of the data order and flips. Default 0. */
  seed?: number;
  /** A new order every epoch. Default true. */
  shuffle?: boolean;
  /** Random horizontal flips (InsightFace's only augmentation). true. */
  flip?: boolean;
  /** Batches decoded ahead of the step. Default 2. */
  prefetch?: number;
  /** Steps between `onStep` logs. Default 10. */
  logEvery?: number;
  /** Steps between `onEvaluate` calls; 0: never. Default 2000. */
  evaluateEvery?: number;
  /** Folder of this run's checkpoints; null: none written. Default null. */
  checkpointDir?: string | null;
  /** Steps between checkpoints; 0: only at epoch ends. Default 0. */
  checkpointEvery?: number;
  /** Write a checkpoint at the end of every epoch. Default true. */
  checkpointEachEpoch?: boolean;
  /** Checkpoints kept in checkpointDir (oldest removed). Default 3. */
  keepCheckpoints?: number;
  /** Stop on a non-finite loss or gradient. Default true. */
  guardNonFinite?: boolean;
}

export interface ResolvedTrainConfig {
  batchSize: number;
  numEpochs: number;
  totalSteps: number | null;
  optimizer: OptimizerKind;
  lr: number;
  momentum: number;
  weightDecay: number;
  adam: { beta1: number; beta2: number; epsilon: number };
  schedule: ScheduleConfig;
  clipGradNorm: number | null;
  clipScope: ClipScope;
  weightDecayExclude: string[];
  seed: number;
  shuffle: boolean;
  flip: boolean;
  prefetch: number;
  logEvery: number;
  evaluateEvery: number;
  checkpointDir: string | null;
  checkpointEvery: number;
  checkpointEachEpoch: boolean;
  keepCheckpoints: number;
  guardNonFinite: boolean;
}

export const DEFAULT_TRAIN_CONFIG: Readonly<ResolvedTrainConfig> = {
  batchSize: 128,
  numEpochs: 20,
  totalSteps: null,
  optimizer: 'sgd',
  lr: 0.1,
  momentum: 0.9,
  weightDecay: 5e-4,
  adam: {
    beta1: DEFAULT_ADAM_CONFIG.beta1,
    beta2: DEFAULT_ADAM_CONFIG.beta2,
    epsilon: DEFAULT_ADAM_CONFIG.epsilon,
  },
  schedule: { ...DEFAULT_SCHEDULE_CONFIG },
  clipGradNorm: 5,
  clipScope: 'backbone',
  weightDecayExclude: [],
  seed: 0,
  shuffle: true,
  flip: true,
  prefetch: 2,
  logEvery: 10,
  evaluateEvery: 2000,
  checkpointDir: null,
  checkpointEvery: 0,
  checkpointEachEpoch: true,
  keepCheckpoints: 3,
  guardNonFinite: true,
};

const WHERE = 'resolveTrainConfig';

function checkBoolean(what: string, value: unknown): boolean {
  if (typeof value !== 'boolean') fail(WHERE, what, 'a boolean', value);
  return value;
}

/** Fills in defaults and validates; returns a new, JSON-safe object. */
export function resolveTrainConfig(
  config: TrainConfig = {},
): ResolvedTrainConfig {
  if (config === null || typeof config !== 'object') {
    fail(WHERE, 'config', 'an object', config);
  }
  checkKeys(WHERE, config, Object.keys(DEFAULT_TRAIN_CONFIG));
  const r: ResolvedTrainConfig = structuredClone({
    ...DEFAULT_TRAIN_CONFIG,
  }) as ResolvedTrainConfig;
  for (const [key, value] of Object.entries(config)) {
    if (value !== undefined) {
      (r as unknown as Record<string, unknown>)[key] = structuredClone(value);
    }
  }

  const positive = { min: 1, integer: true };
  const count = { min: 0, integer: true };
  checkNumber(WHERE, 'batchSize', r.batchSize, positive);
  checkNumber(WHERE, 'numEpochs', r.numEpochs, positive);
  if (r.totalSteps !== null) {
    checkNumber(WHERE, 'totalSteps', r.totalSteps, positive);
  }
  checkOption(WHERE, 'optimizer', r.optimizer, OPTIMIZER_KINDS);
  checkNumber(WHERE, 'lr', r.lr, { min: 0 });
  checkNumber(WHERE, 'momentum', r.momentum, { min: 0, max: 0.999999 });
  checkNumber(WHERE, 'weightDecay', r.weightDecay, { min: 0 });
  checkKeys(`${WHERE}: adam`, r.adam, ['beta1', 'beta2', 'epsilon']);
  r.adam = { ...DEFAULT_TRAIN_CONFIG.adam, ...r.adam };
  if (r.schedule === null || typeof r.schedule !== 'object') {
    fail(WHERE, 'schedule', 'an object', r.schedule);
  }
  r.schedule = { ...DEFAULT_SCHEDULE_CONFIG, ...r.schedule };
  // Kinds, keys and ranges now; lengths once the data's size is known.
  resolveSchedule(r.schedule, r.lr, Number.MAX_SAFE_INTEGER, 1);
  if (r.clipGradNorm !== null) {
    checkNumber(WHERE, 'clipGradNorm', r.clipGradNorm, { min: 0 });
  }
  checkOption(WHERE, 'clipScope', r.clipScope, CLIP_SCOPES);
  if (
    !Array.isArray(r.weightDecayExclude) ||
    r.weightDecayExclude.some((s) => typeof s !== 'string' || s === '')
  ) {
    fail(
      WHERE,
      'weightDecayExclude',
      'an array of non-empty strings',
      r.weightDecayExclude,
    );
  }

  checkNumber(WHERE, 'seed', r.seed, { integer: true });
  checkBoolean('shuffle', r.shuffle);
  checkBoolean('flip', r.flip);
  checkNumber(WHERE, 'prefetch', r.prefetch, count);
  checkNumber(WHERE, 'logEvery', r.logEvery, positive);
  checkNumber(WHERE, 'evaluateEvery', r.evaluateEvery, count);
  if (r.checkpointDir !== null && typeof r.checkpointDir !== 'string') {
    fail(WHERE, 'checkpointDir', 'a path or null', r.checkpointDir);
  }
  if (r.checkpointDir === '') {
    fail(WHERE, 'checkpointDir', 'a non-empty path or null', '');
  }
  checkNumber(WHERE, 'checkpointEvery', r.checkpointEvery, count);
  checkBoolean('checkpointEachEpoch', r.checkpointEachEpoch);
  checkNumber(WHERE, 'keepCheckpoints', r.keepCheckpoints, positive);
  checkBoolean('guardNonFinite', r.guardNonFinite);
  return r;
}

/**
 * The keys whose change makes a resumed run read different data than the
 * saved one; a resume must keep them.
 */
export const DATA_KEYS = ['batchSize', 'seed', 'shuffle', 'flip'] as const;

/** Throws when `next` changes a data key of `saved`. */
export function checkSameData(
  where: string,
  saved: ResolvedTrainConfig,
  next: ResolvedTrainConfig,
): void {
  for (const key of DATA_KEYS) {
    if (saved[key] !== next[key]) {
      fail(
        where,
        `config.${key}`,
        `${describeValue(saved[key])} (the checkpoint's, so the data ` +
          'order continues)',
        next[key],
      );
    }
  }
}
