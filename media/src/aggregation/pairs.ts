/**
 * The pair view (the paper's Fig. 1): for same-identity pairs, the full
 * cosine against the minimum and the mean sub-cosine over T random
 * k-dim subsets, one colour per run, with the diagonal y = x.
 */
import type {
  AggregationRun,
  PairView,
} from '../../../kernels/subface/display/contract';
import type { Layout, Trace } from '../plotly';
import { axisStyle, baseLayout, colourAt, Theme } from '../theme';

/** Runs that carry a pair view, with their colour index. */
export function runsWithPairs(runs: readonly AggregationRun[]) {
  return runs
    .map((run, index) => ({ run, index, pairs: run.pairs ?? null }))
    .filter(
      (
        entry,
      ): entry is { run: AggregationRun; index: number; pairs: PairView } =>
        entry.pairs !== null,
    );
}

function fixed(value: number | null): string {
  return value === null ? '-' : value.toFixed(4);
}

function pairTrace(
  run: string,
  pairs: PairView,
  statistic: 'min' | 'mean',
  colour: string,
): Trace {
  const values = pairs[statistic];
  return {
    type: 'scatter',
    mode: 'markers',
    name: `${run}: ${statistic} over ${pairs.numDraws} subsets`,
    legendgroup: run,
    x: pairs.full,
    y: values,
    hovertemplate:
      `full %{x:.4f}<br>${statistic} sub-cosine %{y:.4f}` +
      `<extra>${run}</extra>`,
    marker: {
      color: colour,
      size: 5,
      symbol: statistic === 'min' ? 'circle' : 'cross',
      opacity: statistic === 'min' ? 0.8 : 0.45,
    },
  };
}

function diagonal(theme: Theme): Trace {
  return {
    type: 'scatter',
    mode: 'lines',
    name: 'y = x',
    x: [-1, 1],
    y: [-1, 1],
    line: { color: theme.other, dash: 'dash', width: 1 },
    hoverinfo: 'skip',
  };
}

export function pairTraces(runs: readonly AggregationRun[], theme: Theme) {
  const traces = runsWithPairs(runs).flatMap(({ run, index, pairs }) => [
    pairTrace(run.run, pairs, 'min', colourAt(theme, index)),
    pairTrace(run.run, pairs, 'mean', colourAt(theme, index)),
  ]);
  return [...traces, diagonal(theme)];
}

/** One line per run: the means over all pairs. */
export function pairSummary(runs: readonly AggregationRun[]): string {
  return runsWithPairs(runs)
    .map(({ run, pairs }) => {
      const s = pairs.summary;
      return (
        `${run.run}: ${s.numPairs} pairs, mean full ${fixed(s.meanFull)}, ` +
        `mean min ${fixed(s.meanMin)}, mean of means ${fixed(s.meanMean)} ` +
        `(k=${pairs.k}, T=${pairs.numDraws}, seed ${pairs.seed}; ` +
        `${pairs.cap.note})`
      );
    })
    .join('\n');
}

/** Axis range covering every drawn value, with a small margin. */
function range(runs: readonly AggregationRun[]): [number, number] {
  const values = runsWithPairs(runs).flatMap(({ pairs }) =>
    [...pairs.full, ...pairs.min, ...pairs.mean].filter(
      (v): v is number => v !== null,
    ),
  );
  if (values.length === 0) return [0, 1];
  const low = Math.min(...values);
  const high = Math.max(...values);
  const pad = Math.max(0.02, (high - low) * 0.05);
  return [low - pad, high + pad];
}

export function pairLayout(
  runs: readonly AggregationRun[],
  theme: Theme,
  uirevision: string,
): Layout {
  const first = runsWithPairs(runs)[0]?.pairs;
  const bounds = range(runs);
  const axis = (text: string) => ({
    ...axisStyle(theme),
    title: { text },
    range: bounds,
  });
  return {
    ...baseLayout(theme),
    uirevision,
    hovermode: 'closest',
    title: { text: 'same-identity pairs: full vs sub-cosine', x: 0.02 },
    xaxis: axis('full cosine'),
    yaxis: axis(`sub-cosine (k=${first?.k ?? '?'} dims)`),
  };
}
