/**
 * Text forms of a verification result: InsightFace's one-line summary and
 * a per-fold table, always with the set's sha256: two copies of a pack can
 * differ and give different accuracies for the same model.
 */
import { VerificationResult } from './verification';

function fixed(value: number, digits = 5): string {
  return value.toFixed(digits);
}

function pad(text: string, width: number): string {
  return text.padStart(width);
}

/**
 * InsightFace's summary line, e.g. `[lfw]Accuracy-Flip: 0.99650+-0.00240`
 * (`Accuracy` when the embeddings are not flip-fused).
 */
export function formatAccuracyLine(
  result: VerificationResult,
  name: string,
): string {
  const label = result.flip ? 'Accuracy-Flip' : 'Accuracy';
  const mean = fixed(result.accuracy);
  return `[${name}]${label}: ${mean}+-${fixed(result.accuracyStd)}`;
}

/**
 * The summary line, the set's identity (pairs, folds, sha256), TAR at
 * each FAR (or why not) and one table row per fold with its threshold.
 */
export function formatVerification(
  result: VerificationResult,
  name: string,
): string {
  const lines = [formatAccuracyLine(result, name)];
  const sha = result.sha256 ?? 'not recorded';
  lines.push(
    `[${name}]pairs ${result.numPairs} (${result.numSame} same), ` +
      `${result.numFolds} folds (${result.foldsSource}), sha256 ${sha}`,
  );

  const tars = result.tarAtFar.map((t) =>
    t.tar === null
      ? `${t.far.toExponential(0)}: n/a (${t.reason})`
      : `${t.far.toExponential(0)}: ${fixed(t.tar)}`,
  );
  if (tars.length > 0) lines.push(`[${name}]TAR@FAR ${tars.join(', ')}`);

  // Thresholds are squared distances; 2 - 2cos, so cos = 1 - t / 2.
  lines.push('fold  pairs  threshold  cos>  train acc  test acc');
  for (const fold of result.folds) {
    lines.push(
      [
        pad(String(fold.fold + 1), 4),
        pad(String(fold.numPairs), 6),
        pad(fixed(fold.threshold, 2), 10),
        pad(fixed(1 - fold.threshold / 2, 3), 6),
        pad(fixed(fold.trainAccuracy), 10),
        pad(fixed(fold.accuracy), 9),
      ].join(' '),
    );
  }
  return lines.join('\n');
}
