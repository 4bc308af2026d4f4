/**
 * Notebook outputs: the payload contract, its validation, MIME bundles
 * with static fallbacks, publishing through the tslab kernel, and live
 * training progress. `show` (show.ts) is exported as a namespace by the
 * library's index.
 */
export * from './contract';
export { AJV_OPTIONS, assertPayload, checkPayload } from './validate';
export { PayloadError } from './problems';
export type { PayloadProblem } from './problems';
export {
  assembleBundle,
  bundleBytes,
  makeBundle,
  prepareView,
  SVG_MIME,
  TEXT_MIME,
} from './bundle';
export type { MimeBundle, PreparedView } from './bundle';
export {
  capAggregation,
  capProjection,
  capTraining,
  DEFAULT_DISPLAY_CAPS,
  MAX_OUTPUT_BYTES,
} from './caps';
export type { DisplayCaps } from './caps';
export { emitBundle, findKernel, inKernel, newDisplayId } from './emit';
export type { EmitOptions, EmitTarget } from './emit';
export { renderSvg } from './svg';
export {
  DEFAULT_LIVE_INTERVAL_MS,
  DEFAULT_SVG_EVERY,
  liveTraining,
} from './live';
export type {
  EvaluationInput,
  LiveTraining,
  LiveTrainingOptions,
} from './live';
export type {
  CurvesOptions,
  HeatmapOptions,
  ProjectionOptions,
  ShowOptions,
} from './show';
