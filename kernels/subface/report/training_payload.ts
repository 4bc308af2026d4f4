/**
 * Training curves from the records of metrics.jsonl: a pure function,
 * so the report and the notebook renderer draw the same numbers.
 */
import { TrainingCurvesPayload } from './payloads';

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

/**
 * Step records give loss, lr and speed; 'eval' records the accuracy.
 * A resumed run repeats no step: a later record of a step replaces the
 * earlier one, and points come out in step order.
 */
export function buildTrainingCurves(
  records: readonly MetricRecord[],
): TrainingCurvesPayload {
  const steps = new Map<number, MetricRecord>();
  const evaluations = new Map<number, MetricRecord>();
  for (const record of records) {
    if (typeof record.step !== 'number') continue;
    if (record.type === 'step') steps.set(record.step, record);
    if (record.type === 'eval') evaluations.set(record.step, record);
  }
  const ordered = [...steps.values()].sort(
    (a, b) => (a.step as number) - (b.step as number),
  );
  return {
    steps: ordered.map((r) => r.step as number),
    loss: ordered.map((r) => r.loss ?? NaN),
    lr: ordered.map((r) => r.lr ?? NaN),
    samplesPerSecond: ordered.map((r) => r.samplesPerSecond ?? NaN),
    evaluations: [...evaluations.values()]
      .sort((a, b) => (a.step as number) - (b.step as number))
      .map((r) => ({
        step: r.step as number,
        accuracy: r.accuracy ?? NaN,
        accuracyStd: r.accuracyStd ?? NaN,
        set: r.set ?? '',
      })),
  };
}
