/**
 * One verification set end to end: embed (with and without flip), run the
 * 10-fold protocol on both, and carry the set's sha256 into each result.
 */
import { VerificationSet } from '../data/types';
import { checkKeys, checkOption, fail } from './errors';
import {
  DEFAULT_EMBED_CONFIG,
  EmbedConfig,
  EmbedFunction,
  embedVerificationSet,
} from './embed';
import { formatAccuracyLine, formatVerification } from './format';
import { DEFAULT_FARS } from './roc';
import { verify, VerificationResult } from './verification';

export const FOLD_CHOICES = ['auto', 'kfold', 'list'] as const;
export type FoldChoice = (typeof FOLD_CHOICES)[number];

export interface SetEvaluationConfig extends EmbedConfig {
  /**
   * 'auto' (default): the set's own folds when it has at least two (LFW
   * pairs.txt), else KFold blocks; 'kfold' always KFold blocks; 'list'
   * the set's folds (an error when it has fewer than two). The result's
   * `foldsSource` says which was used.
   */
  folds?: FoldChoice;
  /** FARs for TAR@FAR. Default 1e-1, 1e-2, 1e-3, 1e-4. */
  fars?: readonly number[];
}

export interface SetEvaluation {
  name: string;
  sha256: string;
  /** Flip-fused embeddings (plain ones when `flip` is false). */
  result: VerificationResult;
  /** The same protocol on non-flipped embeddings; null without flip. */
  resultNoFlip: VerificationResult | null;
  /** Mean L2 norm of the raw embeddings. */
  xNorm: number;
}

/**
 * A set's fold labels (any integers, e.g. LFW's 1-based folds) as dense
 * ids 0..k-1 in increasing order, or null when there are fewer than two
 * folds to cross-validate over.
 */
function denseFoldIds(folds: Int32Array | null): Int32Array | null {
  if (folds === null) return null;
  const distinct = [...new Set(folds)].sort((a, b) => a - b);
  if (distinct.length < 2) return null;
  const idOf = new Map(distinct.map((fold, id) => [fold, id]));
  return Int32Array.from(folds, (fold) => idOf.get(fold) as number);
}

/**
 * Embeds `set` with `embed` and verifies it (docs/method.md,
 * "Verification protocol").
 */
export async function evaluateVerificationSet(
  set: VerificationSet,
  embed: EmbedFunction,
  config: SetEvaluationConfig = {},
): Promise<SetEvaluation> {
  const where = 'evaluateVerificationSet';
  const known = [...Object.keys(DEFAULT_EMBED_CONFIG), 'folds', 'fars'];
  checkKeys(where, config, known);
  const { folds = 'auto', fars = DEFAULT_FARS, ...embedConfig } = config;
  checkOption(where, 'folds', folds, FOLD_CHOICES);
  const setFolds = denseFoldIds(set.folds);
  if (folds === 'list' && setFolds === null) {
    const count = set.folds === null ? 0 : new Set(set.folds).size;
    fail(
      where,
      `set '${set.name}' folds`,
      "at least 2 distinct folds for folds 'list' (or use folds 'kfold')",
      count,
    );
  }
  const listFolds = folds !== 'kfold' ? setFolds : null;

  const sha256 = await set.sha256();
  const embedded = await embedVerificationSet(set, embed, embedConfig);
  const common = {
    folds: listFolds,
    sha256,
    fars,
    embeddingDim: embedded.embeddingDim,
  };
  const result = verify(embedded.embeddings, set.issame, {
    ...common,
    flip: embedded.flip,
  });
  // The non-flip accuracy is computed, never printed as a placeholder 0.
  const resultNoFlip = embedded.flip
    ? verify(embedded.embeddingsNoFlip, set.issame, common)
    : null;
  return {
    name: set.name,
    sha256,
    result,
    resultNoFlip,
    xNorm: embedded.xNorm,
  };
}

/** XNorm, the non-flip accuracy, then `formatVerification`'s report. */
export function formatSetEvaluation(evaluation: SetEvaluation): string {
  const { name } = evaluation;
  // As InsightFace logs it: XNorm first, and the headline flip-fused
  // result (with its per-fold table) last, where a reader looks.
  const lines = [`[${name}]XNorm: ${evaluation.xNorm.toFixed(5)}`];
  if (evaluation.resultNoFlip !== null) {
    lines.push(formatAccuracyLine(evaluation.resultNoFlip, name));
  }
  lines.push(formatVerification(evaluation.result, name));
  return lines.join('\n');
}
