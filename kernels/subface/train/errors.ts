/**
 * The trainer's error types, and the helper that words their messages as
 * `<where>: <what> must be <expected>, but got <actual>`.
 */

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

/** Formats a value for an error message (strings quoted, arrays short). */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (Array.isArray(value) || ArrayBuffer.isView(value)) {
    const items = Array.from(value as ArrayLike<unknown>);
    const head = items.slice(0, 8).map(describeValue).join(', ');
    return `[${head}${items.length > 8 ? ', ...' : ''}]`;
  }
  if (value !== null && typeof value === 'object') {
    return JSON.stringify(value);
  }
  return String(value);
}

/** Throws a TrainError worded the project's way. */
export function fail(
  where: string,
  what: string,
  expected: string,
  actual: unknown,
): never {
  throw new TrainError(
    `${where}: ${what} must be ${expected}, but got ${describeValue(actual)}`,
  );
}

/** Checks `value` is a finite number in [min, max] (bounds optional). */
export function checkNumber(
  where: string,
  what: string,
  value: unknown,
  range: { min?: number; max?: number; integer?: boolean } = {},
): number {
  const { min = -Infinity, max = Infinity, integer = false } = range;
  const kind = integer ? 'an integer' : 'a finite number';
  const bounds =
    min === -Infinity && max === Infinity ? '' : ` in [${min}, ${max}]`;
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    (integer && !Number.isInteger(value)) ||
    value < min ||
    value > max
  ) {
    fail(where, what, kind + bounds, value);
  }
  return value;
}

/** Checks `value` is one of `options`, listing them in the error. */
export function checkOption<T extends string>(
  where: string,
  what: string,
  value: unknown,
  options: readonly T[],
): T {
  if (!options.includes(value as T)) {
    const listed = options.map((o) => `'${o}'`).join(', ');
    fail(where, what, `one of ${listed}`, value);
  }
  return value as T;
}

/** Throws when `config` has keys outside `known` (catches typos). */
export function checkKeys(
  where: string,
  config: object,
  known: readonly string[],
): void {
  for (const key of Object.keys(config)) {
    if (!known.includes(key)) {
      fail(where, `option '${key}'`, `one of ${known.join(', ')}`, key);
    }
  }
}
