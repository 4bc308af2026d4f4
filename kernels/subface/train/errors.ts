/**
 * The trainer's error types, and the boundary checks bound to TrainError
 * (see ../validation.ts for their wording).
 */
import { Checks, checksFor } from '../validation';

export { describeValue } from '../validation';

/** Invalid configuration or misuse of the trainer's API. */
export class TrainError extends Error {
  override name = 'TrainError';
}

/** A checkpoint that is missing, damaged or does not fit the model. */
export class CheckpointError extends Error {
  override name = 'CheckpointError';
}

/** What the NaN/inf guard knew when it stopped training. */
export interface DivergenceDetails {
  /** The step (0-based) whose update was refused. */
  step: number;
  epoch: number;
  /** That step's loss; NaN or ±Infinity when the loss itself failed. */
  loss: number;
  /** Global L2 norm of all gradients before clipping. */
  gradNorm: number;
  /** The newest checkpoint written before the step, or null. */
  lastGoodCheckpoint: string | null;
}

/**
 * Thrown by `Trainer.fit` when a step's loss or gradients are not finite.
 * The step's update was not applied, so the model in memory holds the
 * weights of the step before, and no checkpoint was written after it.
 */
export class TrainingDivergedError extends Error {
  override name = 'TrainingDivergedError';
  readonly details: DivergenceDetails;

  constructor(details: DivergenceDetails) {
    const { step, epoch, loss, gradNorm, lastGoodCheckpoint } = details;
    const where = lastGoodCheckpoint ?? 'none written';
    super(
      `Trainer.fit: loss and gradient norm must be finite, but got loss ` +
        `${loss} and gradNorm ${gradNorm} at step ${step} (epoch ` +
        `${epoch}); the update was not applied; last good checkpoint: ` +
        where,
    );
    this.details = details;
  }
}

const checks: Checks = checksFor(TrainError);

export const fail: Checks['fail'] = checks.fail;
export const checkNumber: Checks['checkNumber'] = checks.checkNumber;
export const checkOption: Checks['checkOption'] = checks.checkOption;
export const checkKeys: Checks['checkKeys'] = checks.checkKeys;
