/**
 * What the trainer tells its callbacks, and the default text sink the
 * CLI prints with. Library code never prints: `consoleSink` is only used
 * by callers who ask for it.
 */
import { EmbedFunction } from '../eval/embed';

/** One `onStep` record, every `logEvery` steps. */
export interface StepLog {
  /** Steps done (the step just taken is step - 1, 0-based). */
  step: number;
  /** Epoch of the batch just trained on (0-based). */
  epoch: number;
  /** Mean loss over the steps since the previous log. */
  loss: number;
  /** The loss of the step just taken. */
  lastLoss: number;
  /** Learning rate of the step just taken. */
  lr: number;
  /** Images per second since the previous log. */
  samplesPerSecond: number;
  /** Seconds left until `totalSteps` at the current speed. */
  eta: number;
  /** Global L2 norm of all gradients before clipping. */
  gradNorm: number;
  /** Steps of the whole run (the schedule's length). */
  totalSteps: number;
}

export interface EpochLog {
  /** The epoch that ended (0-based). */
  epoch: number;
  /** Steps done when it ended. */
  step: number;
  /** Mean loss over the epoch's steps taken in this process. */
  loss: number;
  /** Seconds spent on those steps. */
  seconds: number;
}

export interface CheckpointLog {
  /** The checkpoint's folder. */
  path: string;
  step: number;
  epoch: number;
  /** Why it was written. */
  reason: 'interval' | 'epoch' | 'stop' | 'end' | 'manual';
}

export interface EvaluateContext {
  step: number;
  epoch: number;
  /**
   * The backbone in inference mode (BN moving statistics), as
   * `evaluateVerificationSet` takes it.
   * @param images [batch, inputSize, inputSize, 3], normalised
   * @returns rawEmbeddings [batch, embeddingDim]; the caller disposes
   */
  embed: EmbedFunction;
}

export type FitEndReason = 'completed' | 'stopped';

export interface FitResult {
  reason: FitEndReason;
  /** Steps done in total (this and earlier fits, and before a resume). */
  step: number;
  /** Epoch of the next batch. */
  epoch: number;
  /** Steps taken by this fit. */
  stepsTaken: number;
  /** The loss of each step of this fit, in order. */
  losses: number[];
  /** The newest checkpoint, or null when none was written. */
  checkpoint: string | null;
  seconds: number;
}

/** Every callback is optional and may be async (the trainer awaits it). */
export interface TrainCallbacks {
  onStep?(log: StepLog): void | Promise<void>;
  onEpochEnd?(log: EpochLog): void | Promise<void>;
  onCheckpoint?(log: CheckpointLog): void | Promise<void>;
  /** Every `evaluateEvery` steps and at the end of the fit. */
  onEvaluate?(context: EvaluateContext): void | Promise<void>;
  onEnd?(result: FitResult): void | Promise<void>;
}

/** Seconds as h:mm:ss (or m:ss under an hour). */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const total = Math.max(0, Math.round(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/**
 * One line per step log, keys always in this order: step, epoch, loss,
 * lr, samples/s, eta (then the gradient norm).
 */
export function formatStepLog(log: StepLog): string {
  return [
    `step ${log.step}/${log.totalSteps}`,
    `epoch ${log.epoch}`,
    `loss ${log.loss.toFixed(4)}`,
    `lr ${log.lr.toExponential(3)}`,
    `samples/s ${log.samplesPerSecond.toFixed(1)}`,
    `eta ${formatDuration(log.eta)}`,
    `gradNorm ${log.gradNorm.toFixed(3)}`,
  ].join('  ');
}

/**
 * Callbacks that write one line per event to `write` (console.log by
 * default): for the CLI and scripts. Evaluation lines are the caller's,
 * since only it knows the sets.
 */
export function consoleSink(
  write: (line: string) => void = (line) => console.log(line),
): TrainCallbacks {
  return {
    onStep: (log) => write(formatStepLog(log)),
    onEpochEnd: (log) =>
      write(
        `epoch ${log.epoch} done  step ${log.step}  loss ` +
          `${log.loss.toFixed(4)}  time ${formatDuration(log.seconds)}`,
      ),
    onCheckpoint: (log) =>
      write(`checkpoint ${log.path} (${log.reason}, step ${log.step})`),
    onEnd: (result) =>
      write(
        `${result.reason} at step ${result.step} after ` +
          `${result.stepsTaken} steps in ${formatDuration(result.seconds)}`,
      ),
  };
}
