/**
 * The run report: payload builders (data -> JSON, shared with the
 * notebook renderers) and the static report.html writer.
 */
export * from './payloads';
export { buildTrainingCurves } from './training_payload';
export type { MetricRecord } from './training_payload';
export {
  buildVerificationPayload,
  DEFAULT_ROC_POINTS,
  thinRoc,
} from './verification_payload';
export { buildProjectionPayload } from './projection_payload';
export {
  buildAggregationPayload,
  buildPairViewPayload,
  DEFAULT_HEATMAP_ROWS,
  DEFAULT_PAIR_POINTS,
} from './aggregation_payload';
export { drawReport, PAYLOAD_IDS } from './draw';
export {
  plotlyBundlePath,
  REPORT_FILE,
  renderReport,
  scriptSafeJson,
  writeReport,
} from './html';
