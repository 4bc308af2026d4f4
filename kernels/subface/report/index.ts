/**
 * The run report: payload builders (library results -> the payloads of
 * display/contract.ts, shared with the notebook) and the static
 * report.html writer, which draws them with the notebook's renderers.
 */
export * from './payloads';
export {
  buildTrainingCurves,
  buildTrainingRun,
  DEFAULT_CURVE_POINTS,
  DEFAULT_RUN_NAME,
} from './training_payload';
export type {
  CurvePoint,
  MetricRecord,
  TrainingRunOptions,
} from './training_payload';
export {
  buildVerificationPayload,
  DEFAULT_ROC_POINTS,
  thinRoc,
} from './verification_payload';
export { buildProjectionPayload } from './projection_payload';
export type { ProjectionPayloadOptions } from './projection_payload';
export {
  cosineNeighbors,
  DEFAULT_NEIGHBORS,
  MAX_NEIGHBOR_POINTS,
} from './projection_neighbors';
export { ReportError } from './errors';
export {
  buildAggregationPayload,
  buildPairViewPayload,
  DEFAULT_HEATMAP_ROWS,
  DEFAULT_PAIR_POINTS,
} from './aggregation_payload';
export type { AggregationPayloadOptions } from './aggregation_payload';
export {
  payloadId,
  REPORT_FILE,
  renderReport,
  reportBundlePath,
  scriptSafeJson,
  writeReport,
} from './html';
export type { WriteReportOptions } from './html';
