/**
 * The aggregation heatmap (classes x subspace blocks + full) and the
 * same-identity pair view, as the aggregation payload.
 */
import { AggregationTable } from '../eval/aggregation';
import { PairAggregation } from '../eval/pair_aggregation';
import {
  AggregationPayload,
  PairView,
  SCHEMA_VERSION,
} from '../display/contract';
import { finiteOrNull, finiteOrNullArray, makeCap } from '../display/numbers';
import { DEFAULT_RUN_NAME } from './training_payload';

/** Rows of the heatmap (a screen shows no more). */
export const DEFAULT_HEATMAP_ROWS = 50;

/** Points of the pair scatter plot. */
export const DEFAULT_PAIR_POINTS = 1000;

export interface AggregationPayloadOptions {
  /** The run's name. Default 'run'. */
  run?: string;
  /** The pair view of the same embeddings. Default none. */
  pairs?: PairView | null;
}

/** Row r of the table's values, [numColumns]. */
function tableRow(table: AggregationTable, r: number): (number | null)[] {
  const numColumns = table.columns.length;
  const row = table.values.subarray(r * numColumns, (r + 1) * numColumns);
  return finiteOrNullArray(row);
}

/**
 * @param classNames names by label; null numbers them
 * @param maxRows the first rows kept (the table's class order)
 */
export function buildAggregationPayload(
  table: AggregationTable,
  classNames: readonly string[] | null,
  maxRows = DEFAULT_HEATMAP_ROWS,
  options: AggregationPayloadOptions = {},
): AggregationPayload {
  const total = table.classes.length;
  const shown = Math.min(total, maxRows);
  const labels = Array.from(table.classes.subarray(0, shown));
  const note =
    shown < total
      ? `first ${shown} of ${total} classes shown; column means over all`
      : `all ${total} classes`;
  return {
    schemaVersion: SCHEMA_VERSION,
    run: options.run ?? DEFAULT_RUN_NAME,
    rows: labels.map((label) => classNames?.[label] ?? `id ${label}`),
    rowLabels: labels,
    rowCounts: Array.from(table.counts.subarray(0, shown)),
    columns: [...table.columns],
    values: labels.map((_, r) => tableRow(table, r)),
    columnMeans: finiteOrNullArray(table.columnMeans),
    gap: finiteOrNullArray(table.gap.subarray(0, shown)),
    k: table.k,
    seed: table.seed,
    blockMode: table.blockMode,
    center: table.center,
    cap: makeCap(total, shown, note),
    notes: [...table.notes],
    ...(options.pairs ? { pairs: options.pairs } : {}),
  };
}

/** The first `maxPoints` pairs of a pair aggregation. */
export function buildPairViewPayload(
  pairs: PairAggregation,
  maxPoints = DEFAULT_PAIR_POINTS,
): PairView {
  const { summary } = pairs;
  const total = summary.numPairs;
  const shown = Math.min(total, maxPoints);
  // NaN (an undefined sub-cosine) becomes null.
  const take = (a: Float64Array) => finiteOrNullArray(a.subarray(0, shown));
  const note =
    shown < total
      ? `first ${shown} of ${total} pairs drawn; summary over all`
      : `all ${total} pairs`;
  return {
    k: pairs.k,
    numDraws: pairs.numDraws,
    seed: pairs.seed,
    full: take(pairs.full),
    min: take(pairs.min),
    mean: take(pairs.mean),
    summary: {
      numPairs: total,
      meanFull: finiteOrNull(summary.meanFull),
      meanMin: finiteOrNull(summary.meanMin),
      meanMean: finiteOrNull(summary.meanMean),
    },
    cap: makeCap(total, shown, note),
  };
}
