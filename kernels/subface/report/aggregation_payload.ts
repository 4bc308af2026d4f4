/**
 * The aggregation heatmap (classes x subspace blocks + full) and the
 * same-identity pair view, as JSON.
 */
import { AggregationTable } from '../eval/aggregation';
import { PairAggregation } from '../eval/pair_aggregation';
import { AggregationPayload, PairViewPayload } from './payloads';

/** Rows of the heatmap (a screen shows no more). */
export const DEFAULT_HEATMAP_ROWS = 50;

/** Points of the pair scatter plot. */
export const DEFAULT_PAIR_POINTS = 1000;

function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

/**
 * @param classNames names by label; null numbers them
 * @param maxRows the first rows kept (the table's class order)
 */
export function buildAggregationPayload(
  table: AggregationTable,
  classNames: readonly string[] | null,
  maxRows = DEFAULT_HEATMAP_ROWS,
): AggregationPayload {
  const numColumns = table.columns.length;
  const total = table.classes.length;
  const shown = Math.min(total, maxRows);
  const rows: string[] = [];
  const values: (number | null)[][] = [];
  for (let r = 0; r < shown; r++) {
    const label = table.classes[r];
    rows.push(classNames?.[label] ?? `id ${label}`);
    const row: (number | null)[] = [];
    for (let c = 0; c < numColumns; c++) {
      row.push(finiteOrNull(table.values[r * numColumns + c]));
    }
    values.push(row);
  }
  return {
    rows,
    columns: [...table.columns],
    values,
    columnMeans: Array.from(table.columnMeans, finiteOrNull),
    k: table.k,
    cap: {
      total,
      shown,
      note:
        shown < total
          ? `first ${shown} of ${total} classes shown; column means over all`
          : `all ${total} classes`,
    },
    notes: [...table.notes],
  };
}

/** The first `maxPoints` pairs of a pair aggregation. */
export function buildPairViewPayload(
  pairs: PairAggregation,
  maxPoints = DEFAULT_PAIR_POINTS,
): PairViewPayload {
  // NaN (an undefined sub-cosine) becomes null in JSON.
  const take = (a: Float64Array) => Array.from(a.subarray(0, maxPoints));
  return {
    k: pairs.k,
    numDraws: pairs.numDraws,
    full: take(pairs.full),
    min: take(pairs.min),
    mean: take(pairs.mean),
    summary: {
      numPairs: pairs.summary.numPairs,
      meanFull: pairs.summary.meanFull,
      meanMin: pairs.summary.meanMin,
    },
  };
}
