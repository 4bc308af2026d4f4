/**
 * The aggregation table as the heatmap draws it: rows in the chosen
 * order, another run's rows and columns matched to this run's (by
 * identity label and column name), and the difference of two runs.
 */
import type { AggregationRun } from '../../../kernels/subface/display/contract';

export type SortKey = 'label' | 'gap' | 'full';

export const SORT_CHOICES: readonly { value: SortKey; text: string }[] = [
  { value: 'label', text: 'label' },
  { value: 'gap', text: 'gap (largest first)' },
  { value: 'full', text: 'full (lowest first)' },
];

type Cell = number | null;

/** One table ready to draw; rows in drawing order. */
export interface Table {
  run: string;
  rows: string[];
  rowLabels: number[];
  rowCounts: number[];
  columns: string[];
  /** [rows][columns]; null where undefined or unmatched. */
  values: Cell[][];
  columnMeans: Cell[];
  gap: Cell[];
}

export function tableOf(run: AggregationRun): Table {
  const { rows, rowLabels, rowCounts, columns, values, columnMeans, gap } = run;
  return {
    run: run.run,
    rows,
    rowLabels,
    rowCounts,
    columns,
    values,
    columnMeans,
    gap,
  };
}

/** Ascending, nulls last. */
function compareCells(a: Cell, b: Cell): number {
  if (a === null || b === null)
    return (a === null ? 1 : 0) - (b === null ? 1 : 0);
  return a - b;
}

/** Row positions of `table` in the order of `key`. */
export function rowOrder(table: Table, key: SortKey): number[] {
  const order = table.rows.map((_, i) => i);
  const full = table.columns.lastIndexOf('full');
  const fullOf = (i: number) => (full < 0 ? null : table.values[i][full]);
  const byLabel = (i: number, j: number) =>
    table.rowLabels[i] - table.rowLabels[j];
  const negate = (v: Cell) => (v === null ? null : -v);
  const compare = {
    label: byLabel,
    gap: (i: number, j: number) =>
      compareCells(negate(table.gap[i]), negate(table.gap[j])) || byLabel(i, j),
    full: (i: number, j: number) =>
      compareCells(fullOf(i), fullOf(j)) || byLabel(i, j),
  }[key];
  return order.sort(compare);
}

/** `table` with its rows in `order`. */
export function reorder(table: Table, order: readonly number[]): Table {
  const pick = <T>(values: readonly T[]) => order.map((i) => values[i]);
  return {
    ...table,
    rows: pick(table.rows),
    rowLabels: pick(table.rowLabels),
    rowCounts: pick(table.rowCounts),
    values: pick(table.values),
    gap: pick(table.gap),
  };
}

/**
 * `other` with the rows of `base` (matched by label) and its own
 * columns; rows `other` lacks are all null.
 */
export function alignRows(base: Table, other: AggregationRun): Table {
  const rowOf = new Map(other.rowLabels.map((label, i) => [label, i]));
  const empty = other.columns.map(() => null);
  const at = (label: number) => rowOf.get(label);
  return {
    ...tableOf(other),
    rows: base.rows,
    rowLabels: base.rowLabels,
    rowCounts: base.rowLabels.map((l) => other.rowCounts[at(l) ?? -1] ?? 0),
    values: base.rowLabels.map((l) => other.values[at(l) ?? -1] ?? empty),
    gap: base.rowLabels.map((l) => other.gap[at(l) ?? -1] ?? null),
  };
}

function subtract(a: Cell, b: Cell | undefined): Cell {
  return a === null || b === null || b === undefined ? null : a - b;
}

/**
 * `base - other` cell by cell, over the columns both have (by name);
 * `other` must already be aligned to base's rows.
 */
export function differenceTable(base: Table, other: Table): Table {
  const columns = base.columns.filter((c) => other.columns.includes(c));
  const mine = columns.map((c) => base.columns.indexOf(c));
  const theirs = columns.map((c) => other.columns.indexOf(c));
  return {
    ...base,
    run: `${base.run} - ${other.run}`,
    columns,
    values: base.values.map((row, r) =>
      mine.map((c, k) => subtract(row[c], other.values[r][theirs[k]])),
    ),
    columnMeans: mine.map((c, k) =>
      subtract(base.columnMeans[c], other.columnMeans[theirs[k]]),
    ),
    gap: base.gap.map((g, r) => subtract(g, other.gap[r])),
  };
}

/** The largest absolute defined value of a table's cells. */
export function largestMagnitude(table: Table): number {
  let largest = 0;
  for (const row of table.values) {
    for (const v of row)
      if (v !== null) largest = Math.max(largest, Math.abs(v));
  }
  return largest;
}
