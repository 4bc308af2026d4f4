/**
 * Live training progress in a notebook: trainer callbacks that keep ONE
 * output (training payload + SVG + a status line) and replace it in
 * place, at most every `intervalMs`. The update at the end of the fit is
 * always sent, with `done: true`, so the saved notebook keeps the final
 * curves.
 *
 * Cost: an update without an image only rebuilds the (thinned) payload
 * and its text. Drawing the SVG takes 50-120 ms for a 1000-step curve,
 * so the image is redrawn on the first update, on every `svgEvery`-th
 * one and at the end; the updates between reuse the previous image.
 *
 * Outside a tslab kernel the updates are skipped and the final status
 * is printed once, at the end.
 */
import type { SetEvaluation } from '../eval/evaluate_set';
import type {
  EvaluateContext,
  FitResult,
  StepLog,
  TrainCallbacks,
} from '../train/logs';
import { buildTrainingRun, CurvePoint } from '../report/training_payload';
import { assembleBundle, prepareView } from './bundle';
import {
  SCHEMA_VERSION,
  TrainingEvaluation,
  TrainingPayload,
  TrainingProgress,
  TrainingRun,
} from './contract';
import { emitBundle, findKernel, newDisplayId } from './emit';
import { finiteOrNull } from './numbers';
import { renderSvg } from './svg';

export interface LiveTrainingOptions {
  /** The run's name in the chart and status line. Default 'training'. */
  title?: string;
  /** Least time between two updates. Default 250 ms. */
  intervalMs?: number;
  /** Redraw the SVG every this many updates. Default 20. */
  svgEvery?: number;
  /** Finished runs drawn with this one (e.g. the baseline). */
  otherRuns?: readonly TrainingRun[];
}

export const DEFAULT_LIVE_INTERVAL_MS = 250;
export const DEFAULT_SVG_EVERY = 20;

/** An evaluation result as the live display records it. */
export type EvaluationInput =
  SetEvaluation | { accuracy: number; accuracyStd: number; set?: string };

export interface LiveTraining extends TrainCallbacks {
  /** The id of the output that is updated in place. */
  readonly displayId: string;
  /** Updates sent so far (the first display included). */
  readonly numUpdates: number;
  /**
   * Records an evaluation result (onEvaluate only hands over the model):
   * at `step`, else at the step of the last onEvaluate or step log.
   */
  addEvaluation(evaluation: EvaluationInput, step?: number): Promise<void>;
  /** Sends the final state (done) unless onEnd did; then stops. */
  close(): Promise<void>;
}

function checkOptions(options: LiveTrainingOptions) {
  const intervalMs = options.intervalMs ?? DEFAULT_LIVE_INTERVAL_MS;
  const svgEvery = options.svgEvery ?? DEFAULT_SVG_EVERY;
  if (!(intervalMs >= 0)) {
    throw new Error(
      `liveTraining: intervalMs must be >= 0, but got ${intervalMs}`,
    );
  }
  if (!Number.isInteger(svgEvery) || svgEvery < 1) {
    throw new Error(
      `liveTraining: svgEvery must be an integer >= 1, but got ${svgEvery}`,
    );
  }
  return { intervalMs, svgEvery };
}

class LiveTrainingDisplay implements LiveTraining {
  readonly displayId = newDisplayId('subface-training');
  numUpdates = 0;
  private readonly points: CurvePoint[] = [];
  private readonly evaluations: TrainingEvaluation[] = [];
  private latest: TrainingProgress | null = null;
  private evaluatedStep: number | null = null;
  private endReason: string | null = null;
  private lastSentAt = -Infinity;
  private svg: string | null = null;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly options: LiveTrainingOptions,
    private readonly intervalMs: number,
    private readonly svgEvery: number,
  ) {}

  onStep = (log: StepLog): Promise<void> => {
    if (this.endReason !== null) return Promise.resolve();
    this.points.push({
      step: log.step,
      loss: log.loss,
      lr: log.lr,
      samplesPerSecond: log.samplesPerSecond,
    });
    this.latest = {
      step: log.step,
      totalSteps: log.totalSteps,
      epoch: log.epoch,
      loss: finiteOrNull(log.loss),
      lr: finiteOrNull(log.lr),
      samplesPerSecond: finiteOrNull(log.samplesPerSecond),
      eta: finiteOrNull(log.eta),
    };
    return this.publish(false);
  };

  onEvaluate = (context: EvaluateContext): void => {
    this.evaluatedStep = context.step;
  };

  onEnd = (result: FitResult): Promise<void> => this.finish(result.reason);

  close(): Promise<void> {
    return this.finish('closed');
  }

  addEvaluation(evaluation: EvaluationInput, step?: number): Promise<void> {
    const result = 'result' in evaluation ? evaluation.result : evaluation;
    const set = 'name' in evaluation ? evaluation.name : evaluation.set;
    this.evaluations.push({
      step: step ?? this.evaluatedStep ?? this.latest?.step ?? 0,
      accuracy: finiteOrNull(result.accuracy),
      accuracyStd: finiteOrNull(result.accuracyStd),
      set: set ?? '',
    });
    return this.publish(false);
  }

  private finish(reason: string): Promise<void> {
    if (this.endReason !== null) return this.queue.catch(() => undefined);
    this.endReason = reason;
    return this.publish(true);
  }

  /** Sends an update when due (always when final), one at a time. */
  private publish(final: boolean): Promise<void> {
    const now = performance.now();
    if (!final && now - this.lastSentAt < this.intervalMs)
      return Promise.resolve();
    this.lastSentAt = now;
    // A failed update rejects its own caller only; later ones still run.
    this.queue = this.queue.catch(() => undefined).then(() => this.send(final));
    return this.queue;
  }

  private payload(): TrainingPayload {
    const run = buildTrainingRun(this.points, this.evaluations, {
      run: this.options.title ?? 'training',
      done: this.endReason !== null,
      endReason: this.endReason,
      latest: this.latest,
    });
    const others = this.options.otherRuns;
    return {
      schemaVersion: SCHEMA_VERSION,
      ...run,
      ...(others === undefined ? {} : { otherRuns: [...others] }),
    };
  }

  private async send(final: boolean): Promise<void> {
    // Outside a kernel only the final text is shown (printed once).
    const inKernel = findKernel() !== null;
    if (!final && !inKernel) return;
    const view = prepareView('training', this.payload());
    const due = this.svg === null || this.numUpdates % this.svgEvery === 0;
    if (inKernel && (final || due)) {
      this.svg = await renderSvg(view.chart.spec);
    }
    const bundle = assembleBundle(view, this.svg);
    const update = this.numUpdates > 0;
    emitBundle(bundle, { displayId: this.displayId, update });
    this.numUpdates += 1;
  }
}

/**
 * Trainer callbacks that show the run's progress as one output updated
 * in place. Pass it as `callbacks` to `trainer.fit` (or merge it with
 * other callbacks); call `close()` if the fit may end without onEnd.
 */
export function liveTraining(options: LiveTrainingOptions = {}): LiveTraining {
  const { intervalMs, svgEvery } = checkOptions(options);
  return new LiveTrainingDisplay(options, intervalMs, svgEvery);
}
