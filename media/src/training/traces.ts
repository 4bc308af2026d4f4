/**
 * Plotly traces and layout of the training curves: loss, learning rate
 * and evaluation accuracy stacked on one shared step axis, one colour
 * per run. SVG traces: a few thousand points each, and no WebGL context
 * per output (browsers allow only a few per page).
 */
import type {
  TrainingPayload,
  TrainingProgress,
  TrainingRun,
} from '../../../kernels/subface/display/contract';
import type { Layout, Trace } from '../plotly';
import { axisStyle, baseLayout, colourAt, Theme } from '../theme';

const DASHES = ['solid', 'dot', 'dash', 'dashdot'];

export function runsOf(payload: TrainingPayload): TrainingRun[] {
  return [payload, ...(payload.otherRuns ?? [])];
}

function hasEvaluations(runs: readonly TrainingRun[]): boolean {
  return runs.some((run) => run.evaluations.length > 0);
}

function lineTrace(
  run: TrainingRun,
  values: (number | null)[],
  yaxis: string,
  colour: string,
  first: boolean,
): Trace {
  return {
    type: 'scatter',
    mode: 'lines',
    name: run.run,
    legendgroup: run.run,
    showlegend: first,
    x: run.steps,
    y: values,
    yaxis,
    line: { color: colour, width: 1.5 },
    hovertemplate: `%{y:.5g}<extra>${run.run}</extra>`,
  };
}

/** One trace per evaluation set of a run, with its spread as error bars. */
function accuracyTraces(run: TrainingRun, colour: string): Trace[] {
  const sets = [...new Set(run.evaluations.map((e) => e.set))];
  return sets.map((set, i) => {
    const points = run.evaluations.filter((e) => e.set === set);
    return {
      type: 'scatter',
      mode: 'lines+markers',
      name: `${run.run} ${set}`.trim(),
      legendgroup: run.run,
      showlegend: false,
      x: points.map((e) => e.step),
      y: points.map((e) => e.accuracy),
      error_y: {
        type: 'data',
        array: points.map((e) => e.accuracyStd ?? 0),
        visible: true,
        color: colour,
        thickness: 1,
      },
      yaxis: 'y3',
      line: { color: colour, dash: DASHES[i % DASHES.length], width: 1.5 },
      marker: { color: colour, size: 5 },
      hovertemplate:
        `step %{x}<br>${set || 'accuracy'} %{y:.5f}` +
        `<extra>${run.run}</extra>`,
    };
  });
}

export function trainingTraces(payload: TrainingPayload, theme: Theme) {
  return runsOf(payload).flatMap((run, i) => {
    const colour = colourAt(theme, i);
    return [
      lineTrace(run, run.loss, 'y', colour, true),
      lineTrace(run, run.lr, 'y2', colour, false),
      ...accuracyTraces(run, colour),
    ];
  });
}

export function trainingLayout(
  payload: TrainingPayload,
  theme: Theme,
  logLoss: boolean,
): Layout {
  const style = axisStyle(theme);
  const withAccuracy = hasEvaluations(runsOf(payload));
  const axis = (text: string, domain: number[]) => ({
    ...style,
    title: { text },
    domain,
    anchor: 'x',
  });
  return {
    ...baseLayout(theme),
    uirevision: 'training',
    height: withAccuracy ? 520 : 400,
    hovermode: 'x unified',
    xaxis: {
      ...style,
      title: { text: 'step' },
      anchor: withAccuracy ? 'y3' : 'y2',
    },
    yaxis: {
      ...axis('loss', withAccuracy ? [0.52, 1] : [0.36, 1]),
      type: logLoss ? 'log' : 'linear',
    },
    yaxis2: axis('lr', withAccuracy ? [0.28, 0.46] : [0, 0.28]),
    yaxis3: { ...axis('accuracy', [0, 0.22]), visible: withAccuracy },
  };
}

function duration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
}

/** The status line: the newest step log and whether the run ended. */
export function statusLine(run: TrainingRun): string {
  const latest: TrainingProgress | null = run.latest;
  const state = run.done ? `done (${run.endReason ?? 'completed'})` : 'running';
  if (latest === null) return `${run.run}: no step logged yet, ${state}`;
  const parts = [
    `step ${latest.step}` +
      (latest.totalSteps === null ? '' : `/${latest.totalSteps}`),
  ];
  if (latest.epoch !== null) parts.push(`epoch ${latest.epoch}`);
  if (latest.loss !== null) parts.push(`loss ${latest.loss.toFixed(4)}`);
  if (latest.lr !== null) parts.push(`lr ${latest.lr.toPrecision(3)}`);
  if (latest.samplesPerSecond !== null) {
    parts.push(`${latest.samplesPerSecond.toFixed(1)} samples/s`);
  }
  if (latest.eta !== null && !run.done)
    parts.push(`eta ${duration(latest.eta)}`);
  return `${run.run}: ${parts.join(', ')}, ${state}`;
}
