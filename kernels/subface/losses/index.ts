/**
 * Margin softmax losses, the SubFace head, subspace samplers and Partial
 * FC: the public surface of `kernels/subface/losses`.
 */
export { LossError } from './errors';
export {
  DEFAULT_ARCFACE_MARGIN,
  DEFAULT_COSFACE_MARGIN,
  DEFAULT_MARGIN_CONFIG,
  DEFAULT_SCALE,
  MARGIN_KINDS,
  resolveMarginConfig,
} from './margin_config';
export type { MarginConfig, MarginKind, ResolvedMargin } from './margin_config';
export { marginBranch, marginLogits, targetLogit } from './margin';
export type { MarginBranch } from './margin';
export {
  ACOS_EPSILON,
  NORM_EPSILON,
  classScoresT,
  safeAcos,
  safeL2Normalize,
} from './numerics';
export { logSumExpRows, softmaxCrossEntropy } from './cross_entropy';
export { NOT_IN_SHARD, validateLabels } from './labels';
export type { LabelsInput } from './labels';
export { inverseIndex, selectIndices, selectSubmatrix } from './select';
export type { SelectKernel } from './select';
export {
  cosineScores,
  fullScores,
  SELECT_MODES,
  subspaceBlockScores,
  subspaceScores,
} from './cosines';
export type { CenterSelector, SelectMode, SubspaceBlock } from './cosines';
export {
  SAMPLER_MODES,
  splitEvenly,
  SubspaceSampler,
  subspaceSize,
} from './subspace_sampler';
export type { SamplerMode, SamplerState } from './subspace_sampler';
export {
  DEFAULT_SUBFACE_CONFIG,
  RATIO_SCHEDULES,
  ratioAtStep,
  resolveSubFaceConfig,
} from './subface_config';
export type {
  RatioSchedule,
  ResolvedSubFace,
  SubFaceConfig,
} from './subface_config';
export {
  DEFAULT_PARTIAL_FC_CONFIG,
  remapLabels,
  resolvePartialFcConfig,
  sampleClasses,
} from './partial_fc';
export type {
  ClassSample,
  PartialFcConfig,
  ResolvedPartialFc,
} from './partial_fc';
export { CENTER_LAYOUTS, ClassCenters } from './class_centers';
export type { CenterLayout, HeadWeights } from './class_centers';
export { stepLoss } from './head_loss';
export type { StepDraw, StepOptions } from './head_loss';
export { validateDraw, validateEmbeddings } from './head_inputs';
export { DEFAULT_HEAD_CONFIG, MarginSoftmaxHead } from './margin_head';
export type { HeadConfig, HeadState } from './margin_head';
export { SubFaceHead } from './subface_head';
export type { SubFaceHeadConfig } from './subface_head';
