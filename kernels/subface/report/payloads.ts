/**
 * What report.html embeds. The view payloads are the notebook contract
 * (display/contract.ts), re-exported here under their earlier names too;
 * only the run summary and the page's set of views are the report's own.
 */
import type {
  AggregationPayload,
  PairView,
  ProjectionPayload,
  TrainingPayload,
  VerificationPayload,
} from '../display/contract';

export {
  AGGREGATION_MIME,
  PROJECTION_MIME,
  TRAINING_MIME,
  TRAINING_MIME as TRAINING_CURVES_MIME,
  VERIFICATION_MIME,
} from '../display/contract';
export type {
  AggregationPayload,
  PairView as PairViewPayload,
  ProjectionPayload,
  ProjectionView,
  TrainingPayload as TrainingCurvesPayload,
  VerificationFoldRow,
  VerificationPayload,
} from '../display/contract';

/** What the run was, in one table. */
export interface RunSummaryPayload {
  run: string;
  backend: string;
  steps: number;
  seconds: number | null;
  /** Label and value rows (model, loss, data, ...). */
  rows: [string, string][];
}

/** Everything a report may show; absent views are left out. */
export interface ReportPayloads {
  title: string;
  summary?: RunSummaryPayload;
  training?: TrainingPayload;
  verification?: VerificationPayload;
  projection?: ProjectionPayload;
  aggregation?: AggregationPayload;
  pairs?: PairView;
}
