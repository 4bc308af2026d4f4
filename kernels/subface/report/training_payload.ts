/**
 * Training curves as the training payload: from the records of
 * metrics.jsonl (the CLI's report) or from step logs (the notebook's
 * live display). Pure functions, so both draw the same numbers.
 */
import {
  SCHEMA_VERSION,
  TrainingEvaluation,
  TrainingPayload,
  TrainingProgress,
  TrainingRun,
} from '../display/contract';
import { evenIndices, finiteOrNull, makeCap } from '../display/numbers';

/** Logged steps kept per run (a curve needs no more). */
export const DEFAULT_CURVE_POINTS = 2000;

/** The run name when none is given. */
export const DEFAULT_RUN_NAME = 'run';

/** One line of metrics.jsonl, as far as the curves read it. */
export interface MetricRecord {
  type: string;
  step?: number;
  loss?: number;
  lr?: number;
  samplesPerSecond?: number;
  accuracy?: number;
  accuracyStd?: number;
  set?: string;
}

/** One logged step of a curve. */
export interface CurvePoint {
  step: number;
  loss: number;
  lr: number;
  samplesPerSecond: number;
}

export interface TrainingRunOptions {
  /** Default 'run'. */
  run?: string;
  /** Default true (a finished run's records). */
  done?: boolean;
  /** Default null. */
  endReason?: string | null;
  /** The newest step log. Default: from the last point. */
  latest?: TrainingProgress | null;
  /** Logged steps kept, evenly thinned. Default 2000. */
  maxPoints?: number;
}

function progressOf(point: CurvePoint | undefined): TrainingProgress | null {
  if (point === undefined) return null;
  return {
    step: point.step,
    totalSteps: null,
    epoch: null,
    loss: finiteOrNull(point.loss),
    lr: finiteOrNull(point.lr),
    samplesPerSecond: finiteOrNull(point.samplesPerSecond),
    eta: null,
  };
}

/**
 * A run's curves.
 * @param points logged steps, ascending, no step twice
 */
export function buildTrainingRun(
  points: readonly CurvePoint[],
  evaluations: readonly TrainingEvaluation[],
  options: TrainingRunOptions = {},
): TrainingRun {
  const maxPoints = options.maxPoints ?? DEFAULT_CURVE_POINTS;
  const kept = evenIndices(points.length, maxPoints).map((i) => points[i]);
  const total = points.length;
  const note =
    kept.length < total
      ? `${kept.length} of ${total} logged steps drawn (evenly spaced)`
      : `all ${total} logged steps`;
  return {
    run: options.run ?? DEFAULT_RUN_NAME,
    steps: kept.map((p) => p.step),
    loss: kept.map((p) => finiteOrNull(p.loss)),
    lr: kept.map((p) => finiteOrNull(p.lr)),
    samplesPerSecond: kept.map((p) => finiteOrNull(p.samplesPerSecond)),
    evaluations: [...evaluations],
    latest: options.latest ?? progressOf(points[points.length - 1]),
    done: options.done ?? true,
    endReason: options.endReason ?? null,
    cap: makeCap(total, kept.length, note),
  };
}

/**
 * Step records give loss, lr and speed; 'eval' records the accuracy.
 * A resumed run repeats no step: a later record of a step replaces the
 * earlier one, and points come out in step order.
 */
export function buildTrainingCurves(
  records: readonly MetricRecord[],
  options: TrainingRunOptions = {},
): TrainingPayload {
  const steps = new Map<number, MetricRecord>();
  const evaluations = new Map<number, MetricRecord>();
  for (const record of records) {
    if (typeof record.step !== 'number') continue;
    if (record.type === 'step') steps.set(record.step, record);
    if (record.type === 'eval') evaluations.set(record.step, record);
  }
  const byStep = (a: MetricRecord, b: MetricRecord) =>
    (a.step as number) - (b.step as number);
  const points = [...steps.values()].sort(byStep).map((r) => ({
    step: r.step as number,
    loss: r.loss ?? NaN,
    lr: r.lr ?? NaN,
    samplesPerSecond: r.samplesPerSecond ?? NaN,
  }));
  const evals = [...evaluations.values()].sort(byStep).map((r) => ({
    step: r.step as number,
    accuracy: finiteOrNull(r.accuracy ?? NaN),
    accuracyStd: finiteOrNull(r.accuracyStd ?? NaN),
    set: r.set ?? '',
  }));
  return {
    schemaVersion: SCHEMA_VERSION,
    ...buildTrainingRun(points, evals, options),
  };
}
