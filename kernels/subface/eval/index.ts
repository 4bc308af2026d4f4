/**
 * Evaluation: flip-fused embeddings, InsightFace's 10-fold verification,
 * the SubFace aggregation statistic and embedding projections.
 */
export { EvalError } from './errors';
export type { EmbeddingMatrix } from './matrix';
export {
  DEFAULT_EMBED_CONFIG,
  embedImages,
  embedVerificationSet,
} from './embed';
export type {
  EmbedConfig,
  EmbeddingResult,
  EmbedFunction,
  ImageReader,
} from './embed';
export { checkFoldList, kFoldAssignment } from './folds';
export type { FoldsSource } from './folds';
export {
  firstAcceptingIndex,
  NUM_THRESHOLDS,
  THRESHOLD_STEP,
  thresholdGrid,
} from './thresholds';
export { DEFAULT_FARS, pairRoc, tarAtFar } from './roc';
export type { PairRoc, TarAtFar } from './roc';
export { DEFAULT_VERIFICATION_CONFIG, verify } from './verification';
export type {
  FoldResult,
  PairEmbeddings,
  VerificationConfig,
  VerificationResult,
} from './verification';
export { formatAccuracyLine, formatVerification } from './format';
export {
  evaluateVerificationSet,
  FOLD_CHOICES,
  formatSetEvaluation,
} from './evaluate_set';
export type {
  FoldChoice,
  SetEvaluation,
  SetEvaluationConfig,
} from './evaluate_set';
export {
  aggregationTable,
  DEFAULT_AGGREGATION_CONFIG,
  SUBNORM_EPSILON,
} from './aggregation';
export type { AggregationConfig, AggregationTable } from './aggregation';
export { BLOCK_MODES, splitDims } from './blocks';
export type { BlockMode } from './blocks';
export {
  DEFAULT_PAIR_AGGREGATION_CONFIG,
  pairAggregation,
} from './pair_aggregation';
export type {
  PairAggregation,
  PairAggregationConfig,
} from './pair_aggregation';
export { sameIdentityPairs } from './positive_pairs';
export { jacobiEigen, topEigen } from './eigen';
export type { Eigen, TopEigen } from './eigen';
export { pca } from './pca';
export type { PcaResult } from './pca';
export { TSNE_MAX_POINTS } from './tsne';
export {
  DEFAULT_PROJECTION_CONFIG,
  PROJECTION_METHODS,
  projectEmbeddings,
} from './projection';
export type {
  Projection,
  ProjectionConfig,
  ProjectionMethod,
} from './projection';
