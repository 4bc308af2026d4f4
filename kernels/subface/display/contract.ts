/**
 * The contract between the kernel and the notebook renderers: one MIME
 * type, one payload interface and one JSON Schema (draft-07) per view.
 * The CLI's report.html embeds the same payloads.
 *
 * NOTE: this file imports nothing, so the renderer bundles can import it
 * without tfjs or Node. Every payload carries `schemaVersion`. Adding an
 * optional field keeps the version; renaming, removing or changing the
 * meaning of a field bumps it. Readers ignore fields they do not know,
 * so the schemas allow additional properties.
 *
 * Numbers that are undefined (NaN) travel as null.
 */

/** The payload version this library writes and reads. */
export const SCHEMA_VERSION = 1;
export type SchemaVersion = typeof SCHEMA_VERSION;

export const PROJECTION_MIME = 'application/vnd.subface.projection+json';
export const AGGREGATION_MIME = 'application/vnd.subface.aggregation+json';
export const TRAINING_MIME = 'application/vnd.subface.training+json';
export const VERIFICATION_MIME = 'application/vnd.subface.verification+json';

/** MIME type of each payload kind. */
export const MIME_TYPES = {
  projection: PROJECTION_MIME,
  aggregation: AGGREGATION_MIME,
  training: TRAINING_MIME,
  verification: VERIFICATION_MIME,
} as const;

export type PayloadKind = keyof typeof MIME_TYPES;
export type SubfaceMime = (typeof MIME_TYPES)[PayloadKind];

/** How much of the data a view holds, and a sentence saying so. */
export interface Cap {
  /** Items in the data (points, classes, logged steps, pairs). */
  total: number;
  /** Items in this payload. */
  shown: number;
  /** True when shown < total. */
  sampled: boolean;
  note: string;
}

// ---------------------------------------------------------------------
// Projection: embeddings in 2-D or 3-D, coloured by identity.

export type ProjectionMethodName = 'pca' | 'umap' | 'tsne';

/**
 * Nearest neighbours in the embedding space (cosine similarity), not
 * in the drawn coordinates: what the model finds alike.
 */
export interface ProjectionNeighbors {
  /** Neighbours listed per point (fewer only after a display cap). */
  k: number;
  /**
   * Per shown point, its nearest other shown points, closest first, as
   * positions in the view's arrays; [shown][<= k]. A list is shorter
   * than k when a display cap dropped some of its points.
   */
  indices: number[][];
}

export interface ProjectionView {
  method: ProjectionMethodName;
  dims: 2 | 3;
  /** Coordinates of the shown points, [shown] each. */
  x: number[];
  y: number[];
  /** Present when dims is 3. */
  z?: number[];
  /** Identity label of each point (an index into classNames). */
  labels: number[];
  /** Input row of each point (keys of `thumbnails.images`). */
  indices: number[];
  /** PCA: variance share of each axis; else null. */
  explainedVariance: number[] | null;
  /** This view's own sample (t-SNE caps lower than PCA). */
  cap: Cap;
  notes: string[];
  /** Present when the producer had the embeddings. */
  neighbors?: ProjectionNeighbors;
}

/** Small images of some points, as data: URLs. */
export interface Thumbnails {
  /** Input row index (as a string) to a `data:image/...` URL. */
  images: { [index: string]: string };
  /** Pixel size the renderer should draw them at. */
  width: number;
  height: number;
  /** How many were left out (budget) and why. */
  cap: Cap;
}

export interface ProjectionPayload {
  schemaVersion: SchemaVersion;
  run: string;
  /** Identity names by label; '' for labels not shown. */
  classNames: string[];
  views: ProjectionView[];
  thumbnails?: Thumbnails | null;
  /** The largest view's cap. */
  cap: Cap;
  notes: string[];
}

// ---------------------------------------------------------------------
// Aggregation: SubFace's statistic per class and subspace block.

/** Same-identity pairs: full cosine against sub-cosines (Fig. 1). */
export interface PairView {
  /** Dims per subset. */
  k: number;
  /** T, the number of random subsets. */
  numDraws: number;
  seed: number;
  /** Per shown pair: full cosine, min and mean sub-cosine. */
  full: (number | null)[];
  min: (number | null)[];
  mean: (number | null)[];
  /** Over all pairs, not only the shown ones. */
  summary: {
    numPairs: number;
    meanFull: number | null;
    meanMin: number | null;
    meanMean: number | null;
  };
  cap: Cap;
}

/** One run's class x subspace table. */
export interface AggregationRun {
  run: string;
  /** Row names (identities). */
  rows: string[];
  /** Identity label of each row, to match rows across runs. */
  rowLabels: number[];
  /** Samples of each row's class. */
  rowCounts: number[];
  /** 'S1'..'SK', then 'full'. */
  columns: string[];
  /** A[c, S], [rows][columns]; null where undefined. */
  values: (number | null)[][];
  /** Mean of each column over all classes (not only the shown rows). */
  columnMeans: (number | null)[];
  /** Per row: A[c, full] - min over blocks of A[c, S]. */
  gap: (number | null)[];
  /** Dims per block. */
  k: number;
  seed: number;
  blockMode: 'contiguous' | 'permuted' | 'explicit';
  center: 'samples' | 'samplesLeaveOneOut' | 'classCenters';
  /** Rows shown of the classes with 2+ samples. */
  cap: Cap;
  notes: string[];
  pairs?: PairView | null;
}

export interface AggregationPayload extends AggregationRun {
  schemaVersion: SchemaVersion;
  /** Further runs (e.g. the baseline) for side-by-side or differences. */
  otherRuns?: AggregationRun[];
}

// ---------------------------------------------------------------------
// Training: live curves.

export interface TrainingEvaluation {
  step: number;
  accuracy: number | null;
  accuracyStd: number | null;
  set: string;
}

/** The newest step log, for a status line. */
export interface TrainingProgress {
  step: number;
  totalSteps: number | null;
  epoch: number | null;
  loss: number | null;
  lr: number | null;
  samplesPerSecond: number | null;
  /** Seconds left at the current speed. */
  eta: number | null;
}

export interface TrainingRun {
  run: string;
  /** Logged steps, ascending; loss, lr, speed per logged step. */
  steps: number[];
  /** Mean loss since the previous log. */
  loss: (number | null)[];
  lr: (number | null)[];
  samplesPerSecond: (number | null)[];
  evaluations: TrainingEvaluation[];
  latest: TrainingProgress | null;
  /** False while the run may still send updates. */
  done: boolean;
  /** How it ended, once done: 'completed', 'stopped', 'closed'. */
  endReason?: string | null;
  /** Logged steps kept (evenly thinned, always with the last). */
  cap: Cap;
}

export interface TrainingPayload extends TrainingRun {
  schemaVersion: SchemaVersion;
  /** Further runs drawn on the same axes. */
  otherRuns?: TrainingRun[];
}

// ---------------------------------------------------------------------
// Verification: the 10-fold table and the ROC.

export interface VerificationFoldRow {
  /** 0-based; shown as 1..10. */
  fold: number;
  numPairs: number;
  /** Squared-distance threshold chosen on the other folds. */
  threshold: number;
  accuracy: number;
  trainAccuracy: number;
}

export interface VerificationPayload {
  schemaVersion: SchemaVersion;
  run?: string;
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
  /** ROC over all pairs, FPR > 0 only (log axis), thinned. */
  roc: { fpr: number[]; tpr: number[]; maxPoints: number; note: string };
}

/** The payload type of each kind. */
export interface PayloadOf {
  projection: ProjectionPayload;
  aggregation: AggregationPayload;
  training: TrainingPayload;
  verification: VerificationPayload;
}

// ---------------------------------------------------------------------
// JSON Schemas (draft-07).

const DRAFT_07 = 'http://json-schema.org/draft-07/schema#';
const NUMBER = { type: 'number' };
const NULLABLE = { type: ['number', 'null'] };
const INTEGER = { type: 'integer', minimum: 0 };
const STRING = { type: 'string' };
const NUMBERS = { type: 'array', items: NUMBER };
const NULLABLES = { type: 'array', items: NULLABLE };
const INTEGERS = { type: 'array', items: INTEGER };
const STRINGS = { type: 'array', items: STRING };
const VERSION = { type: 'integer', const: SCHEMA_VERSION };

function object(properties: object, optional: readonly string[] = []) {
  const required = Object.keys(properties).filter(
    (key) => !optional.includes(key),
  );
  return { type: 'object', required, properties };
}

const CAP = object({
  total: INTEGER,
  shown: INTEGER,
  sampled: { type: 'boolean' },
  note: STRING,
});

const PROJECTION_VIEW = object(
  {
    method: { enum: ['pca', 'umap', 'tsne'] },
    dims: { enum: [2, 3] },
    x: NUMBERS,
    y: NUMBERS,
    z: NUMBERS,
    labels: INTEGERS,
    indices: INTEGERS,
    explainedVariance: { anyOf: [NUMBERS, { type: 'null' }] },
    cap: { $ref: '#/definitions/cap' },
    notes: STRINGS,
    neighbors: object({
      k: { type: 'integer', minimum: 1 },
      indices: { type: 'array', items: INTEGERS },
    }),
  },
  ['z', 'neighbors'],
);

const THUMBNAILS = object({
  images: {
    type: 'object',
    propertyNames: { pattern: '^[0-9]+$' },
    additionalProperties: {
      type: 'string',
      pattern: '^data:image/(png|jpeg|webp|gif);base64,',
    },
  },
  width: INTEGER,
  height: INTEGER,
  cap: { $ref: '#/definitions/cap' },
});

export const PROJECTION_SCHEMA = {
  $schema: DRAFT_07,
  title: PROJECTION_MIME,
  definitions: { cap: CAP },
  ...object(
    {
      schemaVersion: VERSION,
      run: STRING,
      classNames: STRINGS,
      views: { type: 'array', minItems: 1, items: PROJECTION_VIEW },
      thumbnails: { anyOf: [THUMBNAILS, { type: 'null' }] },
      cap: { $ref: '#/definitions/cap' },
      notes: STRINGS,
    },
    ['thumbnails'],
  ),
};

const PAIR_VIEW = object({
  k: INTEGER,
  numDraws: INTEGER,
  seed: { type: 'integer' },
  full: NULLABLES,
  min: NULLABLES,
  mean: NULLABLES,
  summary: object({
    numPairs: INTEGER,
    meanFull: NULLABLE,
    meanMin: NULLABLE,
    meanMean: NULLABLE,
  }),
  cap: { $ref: '#/definitions/cap' },
});

const AGGREGATION_RUN_PROPERTIES = {
  run: STRING,
  rows: STRINGS,
  rowLabels: INTEGERS,
  rowCounts: INTEGERS,
  columns: { type: 'array', minItems: 1, items: STRING },
  values: { type: 'array', items: NULLABLES },
  columnMeans: NULLABLES,
  gap: NULLABLES,
  k: INTEGER,
  seed: { type: 'integer' },
  blockMode: { enum: ['contiguous', 'permuted', 'explicit'] },
  center: { enum: ['samples', 'samplesLeaveOneOut', 'classCenters'] },
  cap: { $ref: '#/definitions/cap' },
  notes: STRINGS,
  pairs: { anyOf: [PAIR_VIEW, { type: 'null' }] },
};

export const AGGREGATION_SCHEMA = {
  $schema: DRAFT_07,
  title: AGGREGATION_MIME,
  definitions: {
    cap: CAP,
    run: object(AGGREGATION_RUN_PROPERTIES, ['pairs']),
  },
  ...object(
    {
      schemaVersion: VERSION,
      ...AGGREGATION_RUN_PROPERTIES,
      otherRuns: { type: 'array', items: { $ref: '#/definitions/run' } },
    },
    ['pairs', 'otherRuns'],
  ),
};

const TRAINING_RUN_PROPERTIES = {
  run: STRING,
  steps: INTEGERS,
  loss: NULLABLES,
  lr: NULLABLES,
  samplesPerSecond: NULLABLES,
  evaluations: {
    type: 'array',
    items: object({
      step: INTEGER,
      accuracy: NULLABLE,
      accuracyStd: NULLABLE,
      set: STRING,
    }),
  },
  latest: {
    anyOf: [
      { type: 'null' },
      object({
        step: INTEGER,
        totalSteps: { type: ['integer', 'null'] },
        epoch: { type: ['integer', 'null'] },
        loss: NULLABLE,
        lr: NULLABLE,
        samplesPerSecond: NULLABLE,
        eta: NULLABLE,
      }),
    ],
  },
  done: { type: 'boolean' },
  endReason: { type: ['string', 'null'] },
  cap: { $ref: '#/definitions/cap' },
};

export const TRAINING_SCHEMA = {
  $schema: DRAFT_07,
  title: TRAINING_MIME,
  definitions: {
    cap: CAP,
    run: object(TRAINING_RUN_PROPERTIES, ['endReason']),
  },
  ...object(
    {
      schemaVersion: VERSION,
      ...TRAINING_RUN_PROPERTIES,
      otherRuns: { type: 'array', items: { $ref: '#/definitions/run' } },
    },
    ['endReason', 'otherRuns'],
  ),
};

export const VERIFICATION_SCHEMA = {
  $schema: DRAFT_07,
  title: VERIFICATION_MIME,
  ...object(
    {
      schemaVersion: VERSION,
      run: STRING,
      name: STRING,
      sha256: STRING,
      numPairs: INTEGER,
      numSame: INTEGER,
      numDifferent: INTEGER,
      flip: { type: 'boolean' },
      accuracy: NUMBER,
      accuracyStd: NUMBER,
      accuracyNoFlip: NULLABLE,
      xNorm: NUMBER,
      folds: {
        type: 'array',
        items: object({
          fold: INTEGER,
          numPairs: INTEGER,
          threshold: NUMBER,
          accuracy: NUMBER,
          trainAccuracy: NUMBER,
        }),
      },
      tarAtFar: {
        type: 'array',
        items: object({ far: NUMBER, tar: NULLABLE }),
      },
      roc: object({
        fpr: NUMBERS,
        tpr: NUMBERS,
        maxPoints: INTEGER,
        note: STRING,
      }),
    },
    ['run'],
  ),
};

/** The JSON Schema of each MIME type. */
export const SCHEMAS: { readonly [mime in SubfaceMime]: object } = {
  [PROJECTION_MIME]: PROJECTION_SCHEMA,
  [AGGREGATION_MIME]: AGGREGATION_SCHEMA,
  [TRAINING_MIME]: TRAINING_SCHEMA,
  [VERIFICATION_MIME]: VERIFICATION_SCHEMA,
};
