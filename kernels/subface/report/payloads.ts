/**
 * The contract between whoever computes a run's results and whoever
 * draws them: one MIME type and one JSON payload interface per view.
 * The static report (report.html) embeds these payloads; the notebook
 * renderers will consume the same ones. Dependency-free on purpose.
 */

export const TRAINING_CURVES_MIME = 'application/vnd.subface.training+json';
export const VERIFICATION_MIME = 'application/vnd.subface.verification+json';
export const PROJECTION_MIME = 'application/vnd.subface.projection+json';
export const AGGREGATION_MIME = 'application/vnd.subface.aggregation+json';
export const PAIR_VIEW_MIME = 'application/vnd.subface.pairs+json';
export const RUN_SUMMARY_MIME = 'application/vnd.subface.run+json';

/** Loss and learning rate per logged step; accuracy per evaluation. */
export interface TrainingCurvesPayload {
  steps: number[];
  /** Mean loss since the previous log. */
  loss: number[];
  lr: number[];
  samplesPerSecond: number[];
  evaluations: {
    step: number;
    accuracy: number;
    accuracyStd: number;
    set: string;
  }[];
}

export interface VerificationFoldRow {
  fold: number;
  numPairs: number;
  /** Squared-distance threshold chosen on the other folds. */
  threshold: number;
  accuracy: number;
  trainAccuracy: number;
}

/** The 10-fold table, its summary and the ROC. */
export interface VerificationPayload {
  name: string;
  sha256: string;
  numPairs: number;
  numSame: number;
  numDifferent: number;
  flip: boolean;
  accuracy: number;
  accuracyStd: number;
  /** Accuracy without flip fusion, or null when not computed. */
  accuracyNoFlip: number | null;
  /** Mean L2 norm of the raw embeddings. */
  xNorm: number;
  folds: VerificationFoldRow[];
  tarAtFar: { far: number; tar: number | null }[];
  /**
   * ROC over all pairs, FPR > 0 only (log axis), at most `maxPoints`
   * points kept evenly along the curve.
   */
  roc: { fpr: number[]; tpr: number[]; maxPoints: number; note: string };
}

export interface ProjectionView {
  method: string;
  /** [shown][2] coordinates. */
  x: number[];
  y: number[];
  /** Identity label of each point. */
  labels: number[];
  /** Variance share of each axis (PCA), else null. */
  explainedVariance: number[] | null;
}

/** Held-out embeddings in 2-D, coloured by identity. */
export interface ProjectionPayload {
  /** Identity names by label. */
  classNames: string[];
  views: ProjectionView[];
  cap: { total: number; shown: number; sampled: boolean; note: string };
}

/** SubFace's aggregation statistic per class and subspace block. */
export interface AggregationPayload {
  /** Row names (identities). */
  rows: string[];
  /** 'S1'..'SK', 'full'. */
  columns: string[];
  /** [rows][columns]; null where undefined. */
  values: (number | null)[][];
  columnMeans: (number | null)[];
  /** Dims per block. */
  k: number;
  /** Rows shown of the classes with 2+ samples. */
  cap: { total: number; shown: number; note: string };
  notes: string[];
}

/** Same-identity pairs: full cosine against the worst sub-cosine. */
export interface PairViewPayload {
  k: number;
  numDraws: number;
  full: number[];
  min: number[];
  mean: number[];
  summary: { numPairs: number; meanFull: number; meanMin: number };
}

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
  training?: TrainingCurvesPayload;
  verification?: VerificationPayload;
  projection?: ProjectionPayload;
  aggregation?: AggregationPayload;
  pairs?: PairViewPayload;
}
