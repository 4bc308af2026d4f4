/**
 * The verification table and ROC of one evaluated set, as JSON.
 */
import { SetEvaluation } from '../eval/evaluate_set';
import { SCHEMA_VERSION, VerificationPayload } from '../display/contract';

/** ROC points kept for drawing (a curve needs no more). */
export const DEFAULT_ROC_POINTS = 500;

/**
 * Keeps at most `maxPoints` of the points with FPR > 0 (a log axis has
 * no 0), evenly spaced along the curve, always with the last one.
 */
export function thinRoc(
  fpr: ArrayLike<number>,
  tpr: ArrayLike<number>,
  maxPoints = DEFAULT_ROC_POINTS,
): { fpr: number[]; tpr: number[] } {
  const kept: number[] = [];
  for (let i = 0; i < fpr.length; i++) if (fpr[i] > 0) kept.push(i);
  let chosen = kept;
  if (kept.length > maxPoints) {
    const stride = (kept.length - 1) / (maxPoints - 1);
    chosen = Array.from(
      { length: maxPoints },
      (_, j) => kept[Math.round(j * stride)],
    );
  }
  return {
    fpr: chosen.map((i) => fpr[i]),
    tpr: chosen.map((i) => tpr[i]),
  };
}

/** @param run the run's name, when there is one to show */
export function buildVerificationPayload(
  evaluation: SetEvaluation,
  maxRocPoints = DEFAULT_ROC_POINTS,
  run?: string,
): VerificationPayload {
  const { result } = evaluation;
  const roc = result.rocAllPairs;
  const thinned = thinRoc(roc.fpr, roc.tpr, maxRocPoints);
  return {
    schemaVersion: SCHEMA_VERSION,
    ...(run === undefined ? {} : { run }),
    name: evaluation.name,
    sha256: evaluation.sha256,
    numPairs: result.numPairs,
    numSame: result.numSame,
    numDifferent: result.numDifferent,
    flip: result.flip,
    accuracy: result.accuracy,
    accuracyStd: result.accuracyStd,
    accuracyNoFlip: evaluation.resultNoFlip?.accuracy ?? null,
    xNorm: evaluation.xNorm,
    folds: result.folds.map((f) => ({
      fold: f.fold,
      numPairs: f.numPairs,
      threshold: f.threshold,
      accuracy: f.accuracy,
      trainAccuracy: f.trainAccuracy,
    })),
    tarAtFar: result.tarAtFar.map((t) => ({ far: t.far, tar: t.tar })),
    roc: {
      ...thinned,
      maxPoints: maxRocPoints,
      note:
        `all ${result.numPairs} pairs; ${thinned.fpr.length} points with ` +
        `FPR > 0 shown (at most ${maxRocPoints})`,
    },
  };
}
