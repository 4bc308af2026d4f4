/**
 * The text/plain form of each payload: a few lines a reader can take in
 * at a glance, with the caps stated. It is what a console shows and what
 * Jupyter shows when it can draw nothing else.
 */
import {
  AggregationPayload,
  AggregationRun,
  ProjectionPayload,
  TrainingEvaluation,
  TrainingPayload,
  TrainingRun,
  VerificationPayload,
} from './contract';
import { formatDuration } from '../train/logs';

function fixed(value: number | null | undefined, digits: number): string {
  return value === null || value === undefined || !Number.isFinite(value)
    ? '-'
    : value.toFixed(digits);
}

function exponential(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value)
    ? '-'
    : value.toExponential(3);
}

/** Seconds as h:mm:ss (or m:ss under an hour); '?' when unknown. */
function duration(seconds: number | null | undefined): string {
  return seconds === null || seconds === undefined
    ? '?'
    : formatDuration(seconds);
}

/** `acc 0.99650 +- 0.00240`, as the trainer's sinks print it. */
function accuracyText(accuracy: number | null, std: number | null): string {
  return `acc ${fixed(accuracy, 5)} +- ${fixed(std, 5)}`;
}

export function projectionText(payload: ProjectionPayload, drawn: string) {
  const methods = payload.views.map((v) => v.method.toUpperCase());
  const lines = [
    `Projection (${payload.run}): ${methods.join(', ')}; ` +
      `${payload.classNames.filter((n) => n !== '').length} identities`,
    `points: ${payload.cap.note}`,
    `static image: ${drawn}`,
  ];
  const pca = payload.views.find((v) => v.explainedVariance !== null);
  if (pca?.explainedVariance) {
    const shares = pca.explainedVariance.map((s) => fixed(s, 3));
    lines.push(`PCA explained variance: ${shares.join(', ')}`);
  }
  const thumbnails = payload.thumbnails;
  if (thumbnails) lines.push(`thumbnails: ${thumbnails.cap.note}`);
  return [...lines, ...payload.notes].join('\n');
}

function columnMeansText(run: AggregationRun): string {
  const means = run.columns.map(
    (name, c) => `${name} ${fixed(run.columnMeans[c], 4)}`,
  );
  const gaps = run.gap.filter((g): g is number => g !== null);
  const meanGap =
    gaps.length === 0 ? null : gaps.reduce((a, b) => a + b, 0) / gaps.length;
  return (
    `${run.run}: column means ${means.join('  ')}; ` +
    `mean gap (full - min block) ${fixed(meanGap, 4)}`
  );
}

export function aggregationText(payload: AggregationPayload, drawn: string) {
  const numBlocks = payload.columns.length - 1;
  const lines = [
    `Aggregation (${payload.run}): ${payload.cap.shown} classes x ` +
      `${numBlocks} blocks of ${payload.k} dims + full ` +
      `(${payload.blockMode}, seed ${payload.seed})`,
    `rows: ${payload.cap.note}; static image: ${drawn}`,
    columnMeansText(payload),
    ...(payload.otherRuns ?? []).map(columnMeansText),
  ];
  const pairs = payload.pairs;
  if (pairs) {
    const s = pairs.summary;
    lines.push(
      `pairs: ${s.numPairs} same-identity pairs, T = ${pairs.numDraws}, ` +
        `k = ${pairs.k}: mean full ${fixed(s.meanFull, 4)}, ` +
        `mean min ${fixed(s.meanMin, 4)}, mean mean ${fixed(s.meanMean, 4)}`,
    );
  }
  return [...lines, ...payload.notes].join('\n');
}

function evaluationText(evaluation: TrainingEvaluation): string {
  const { accuracy, accuracyStd, set, step } = evaluation;
  return `eval ${set} at step ${step}: ${accuracyText(accuracy, accuracyStd)}`;
}

/** One status line: step, epoch, loss, lr, samples/s, eta. */
function runLine(run: TrainingRun): string {
  const latest = run.latest;
  if (latest === null) return `${run.run}: no step logged yet`;
  const total = latest.totalSteps === null ? '' : `/${latest.totalSteps}`;
  const parts = [
    `${run.run}: step ${latest.step}${total}`,
    ...(latest.epoch === null ? [] : [`epoch ${latest.epoch}`]),
    `loss ${fixed(latest.loss, 4)}`,
    `lr ${exponential(latest.lr)}`,
    `samples/s ${fixed(latest.samplesPerSecond, 1)}`,
  ];
  if (run.done) parts.push(run.endReason ?? 'done');
  else parts.push(`eta ${duration(latest.eta)}`);
  return parts.join('  ');
}

export function trainingText(payload: TrainingPayload, drawn: string) {
  const runs = [payload, ...(payload.otherRuns ?? [])];
  const lines = runs.map(runLine);
  const last = payload.evaluations.at(-1);
  if (last !== undefined) lines.push(evaluationText(last));
  lines.push(`curves: ${payload.cap.note}; static image: ${drawn}`);
  return lines.join('\n');
}

export function verificationText(payload: VerificationPayload, _drawn = '') {
  const flip = payload.flip ? 'flip-fused' : 'no flip';
  const lines = [
    `${payload.name}: ${accuracyText(payload.accuracy, payload.accuracyStd)} ` +
      `(${payload.numPairs} pairs, ${payload.numSame} same, ${flip})`,
  ];
  if (payload.accuracyNoFlip !== null) {
    lines.push(`without flip: acc ${fixed(payload.accuracyNoFlip, 5)}`);
  }
  const tars = payload.tarAtFar.map(
    (t) => `${t.far.toExponential(0)}: ${fixed(t.tar, 5)}`,
  );
  if (tars.length > 0) lines.push(`TAR@FAR ${tars.join(', ')}`);
  lines.push(`XNorm ${fixed(payload.xNorm, 5)}; sha256 ${payload.sha256}`);
  return lines.join('\n');
}
