/**
 * Plotly traces and layout of the aggregation heatmap: per table a
 * classes x (blocks + full) heatmap with a strip of column means above
 * it, and one bar chart of the per-class gap at the right. Rows sit at
 * integer positions named by tick labels, so equal names never merge.
 */
import type { Layout, Trace } from '../plotly';
import { axisStyle, baseLayout, colourAt, Theme } from '../theme';
import { largestMagnitude, Table } from './table';

export type ScaleKind = 'fixed' | 'diverging';
export type CompareMode = 'single' | 'sideBySide' | 'difference';

export const SCALE_CHOICES: readonly { value: ScaleKind; text: string }[] = [
  { value: 'fixed', text: '0 to 1' },
  { value: 'diverging', text: 'diverging, -1 to 1' },
];

export interface HeatmapScene {
  /** One table, two side by side, or one difference table. */
  tables: Table[];
  mode: CompareMode;
  scale: ScaleKind;
}

/** Right edge of the heatmaps and left edge of the gap bars. */
const HEATMAPS_END = 0.8;
const GAP_START = 0.86;
const ROWS_TOP = 0.86;
const STRIP_BOTTOM = 0.9;

const SEQUENTIAL = 'Viridis';

/**
 * Row names written on the axis, at most: more cannot be read, and each
 * tick label costs layout time (200 labels take most of a second).
 * Hover names every row.
 */
const MAX_ROW_LABELS = 50;

/** Tick positions and names of every n-th row, n chosen for the cap. */
function rowTicks(rows: readonly string[]) {
  const step = Math.ceil(rows.length / MAX_ROW_LABELS);
  const positions = rows.map((_, i) => i).filter((i) => i % step === 0);
  return { tickvals: positions, ticktext: positions.map((i) => rows[i]) };
}

function divergingScale(theme: Theme) {
  const dark = theme.kind === 'dark' || theme.kind === 'highContrast';
  const middle = dark ? '#404040' : '#f7f7f7';
  return [
    [0, '#b2182b'],
    [0.5, middle],
    [1, '#2166ac'],
  ];
}

/** The colour axis: its scale, range and bar. */
export function colourAxis(scene: HeatmapScene, theme: Theme) {
  const bar = { thickness: 12, outlinewidth: 0 };
  if (scene.mode === 'difference') {
    const largest = Math.max(0.05, largestMagnitude(scene.tables[0]));
    const bound = Math.ceil(largest * 20) / 20;
    return {
      colorscale: divergingScale(theme),
      cmin: -bound,
      cmax: bound,
      colorbar: { ...bar, title: { text: 'difference' } },
    };
  }
  if (scene.scale === 'diverging') {
    return {
      colorscale: divergingScale(theme),
      cmin: -1,
      cmax: 1,
      colorbar: { ...bar, title: { text: 'A[c, S]' } },
    };
  }
  return {
    colorscale: SEQUENTIAL,
    cmin: 0,
    cmax: 1,
    colorbar: { ...bar, title: { text: 'A[c, S]' } },
  };
}

function shown(value: number | null): string {
  return value === null ? 'undefined' : String(value);
}

/** Hover text of every cell: the exact value and the row's facts. */
function cellTexts(table: Table, symbol: string): string[][] {
  return table.values.map((row, r) => {
    const head =
      `<b>${table.rows[r]}</b> (label ${table.rowLabels[r]}, ` +
      `n=${table.rowCounts[r]})`;
    const gap = `gap ${shown(table.gap[r])}`;
    return row.map(
      (value, c) =>
        `${head}<br>${table.columns[c]}: ${symbol} = ${shown(value)}<br>${gap}`,
    );
  });
}

function panelTraces(table: Table, panel: number, symbol: string): Trace[] {
  const xaxis = panel === 0 ? 'x' : `x${panel + 1}`;
  const positions = table.rows.map((_, i) => i);
  const common = {
    type: 'heatmap',
    x: table.columns,
    coloraxis: 'coloraxis',
    hoverongaps: false,
    hovertemplate: `%{text}<extra>${table.run}</extra>`,
    xaxis,
    xgap: 1,
    ygap: 1,
  };
  const means = table.columns.map(
    (column, c) =>
      `mean of ${column} over all classes: ${shown(table.columnMeans[c])}`,
  );
  return [
    {
      ...common,
      name: `${table.run}`,
      y: positions,
      z: table.values,
      text: cellTexts(table, symbol),
      yaxis: 'y',
    },
    {
      ...common,
      name: `${table.run} column means`,
      y: [0],
      z: [table.columnMeans],
      text: [means],
      texttemplate: '%{z:.3f}',
      yaxis: 'y2',
    },
  ];
}

function gapTrace(
  table: Table,
  panel: number,
  scene: HeatmapScene,
  theme: Theme,
) {
  const difference = scene.mode === 'difference';
  const colour = difference
    ? table.gap.map((g) => ((g ?? 0) < 0 ? '#b2182b' : '#2166ac'))
    : colourAt(theme, panel);
  return {
    type: 'bar',
    orientation: 'h',
    name: `${table.run} gap`,
    x: table.gap.map((g) => g ?? 0),
    y: table.rows.map((_, i) => i),
    hovertext: table.gap.map((g, r) => `${table.rows[r]}: gap ${shown(g)}`),
    hovertemplate: `%{hovertext}<extra>${table.run}</extra>`,
    marker: { color: colour },
    xaxis: `x${scene.tables.length + 1}`,
    yaxis: 'y',
    showlegend: false,
  };
}

export function heatmapTraces(scene: HeatmapScene, theme: Theme): Trace[] {
  const symbol = scene.mode === 'difference' ? 'difference' : 'A';
  return [
    ...scene.tables.flatMap((table, p) => panelTraces(table, p, symbol)),
    ...scene.tables.map((table, p) => gapTrace(table, p, scene, theme)),
  ];
}

/** Plot height for `numRows` rows. */
export function heatmapHeight(numRows: number): number {
  return Math.min(1400, Math.max(340, 22 * numRows + 150));
}

export function heatmapLayout(
  scene: HeatmapScene,
  theme: Theme,
  uirevision: string,
): Layout {
  const first = scene.tables[0];
  const count = scene.tables.length;
  const width = (HEATMAPS_END - 0.04 * (count - 1)) / count;
  const style = axisStyle(theme);
  const layout: Layout = {
    ...baseLayout(theme),
    uirevision,
    height: heatmapHeight(first.rows.length),
    coloraxis: colourAxis(scene, theme),
    barmode: 'group',
    margin: { t: 24, r: 16, b: 56, l: 120 },
    yaxis: {
      ...style,
      domain: [0, ROWS_TOP],
      ...rowTicks(first.rows),
      autorange: 'reversed',
      showgrid: false,
      automargin: true,
    },
    yaxis2: {
      ...style,
      domain: [STRIP_BOTTOM, 1],
      anchor: 'x',
      tickvals: [0],
      ticktext: ['mean'],
      fixedrange: true,
      showgrid: false,
    },
    [`xaxis${count + 1}`]: {
      ...style,
      domain: [GAP_START, 1],
      anchor: 'y',
      title: { text: 'gap (full - min block)' },
      zeroline: true,
    },
  };
  scene.tables.forEach((table, p) => {
    const start = p * (width + 0.04);
    layout[p === 0 ? 'xaxis' : `xaxis${p + 1}`] = {
      ...style,
      domain: [start, start + width],
      anchor: 'y',
      type: 'category',
      title: { text: table.run },
      showgrid: false,
    };
  });
  return layout;
}
