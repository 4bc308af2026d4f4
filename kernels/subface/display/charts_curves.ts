/**
 * Vega-Lite specs of the static fallbacks of the training curves and
 * the verification ROC.
 */
import { TrainingPayload, TrainingRun, VerificationPayload } from './contract';
import { Chart, Panel } from './charts';
import { evenIndices } from './numbers';
import { PANEL_HEIGHT, PANEL_WIDTH, SVG_CONFIG } from './svg';

/** Logged steps drawn per run. */
export const SVG_MAX_CURVE_POINTS = 300;

/** Runs drawn on the same axes. */
export const SVG_MAX_CURVE_RUNS = 6;

interface CurveRow {
  run: string;
  step: number;
  loss: number | null;
  lr: number | null;
}

function curveRows(run: TrainingRun): CurveRow[] {
  const kept = evenIndices(run.steps.length, SVG_MAX_CURVE_POINTS);
  return kept.map((i) => ({
    run: run.run,
    step: run.steps[i],
    loss: run.loss[i],
    lr: run.lr[i],
  }));
}

function linePanel(
  rows: readonly object[],
  field: string,
  height: number,
  scale: { zero?: boolean; type?: 'log' } = { zero: false },
): Panel {
  return {
    width: PANEL_WIDTH * 1.5,
    height,
    data: { values: rows },
    transform: [{ filter: `isValid(datum.${field})` }],
    mark: { type: 'line', strokeWidth: 1.5 },
    encoding: {
      x: { field: 'step', type: 'quantitative' },
      y: { field, type: 'quantitative', scale },
      color: { field: 'run', type: 'nominal', title: null },
    },
  };
}

function accuracyPanel(runs: readonly TrainingRun[]): Panel | null {
  const rows = runs.flatMap((run) =>
    run.evaluations
      .filter((e) => e.accuracy !== null)
      .map((e) => ({ run: `${run.run} ${e.set}`.trim(), ...e })),
  );
  if (rows.length === 0) return null;
  return {
    ...linePanel(rows, 'accuracy', PANEL_HEIGHT / 2),
    mark: { type: 'line', point: true },
  } as Panel;
}

function trainingTitle(payload: TrainingPayload): string {
  const step = payload.latest?.step ?? payload.steps.at(-1) ?? 0;
  const total = payload.latest?.totalSteps;
  const state = payload.done ? (payload.endReason ?? 'done') : 'running';
  return `${payload.run}: step ${step}${total ? `/${total}` : ''} (${state})`;
}

/** Loss and learning rate (and accuracy) of every run against step. */
export function trainingChart(payload: TrainingPayload): Chart {
  const runs = [payload, ...(payload.otherRuns ?? [])].slice(
    0,
    SVG_MAX_CURVE_RUNS,
  );
  const rows = runs.flatMap(curveRows);
  const accuracy = accuracyPanel(runs);
  const panels = [
    linePanel(rows, 'loss', PANEL_HEIGHT),
    linePanel(rows, 'lr', PANEL_HEIGHT / 3),
    ...(accuracy === null ? [] : [accuracy]),
  ];
  const logged = runs.reduce((sum, run) => sum + run.steps.length, 0);
  return {
    spec: {
      config: SVG_CONFIG,
      title: trainingTitle(payload),
      vconcat: panels,
    },
    drawn: `${rows.length} of ${logged} logged steps drawn`,
  };
}

/** The ROC on a log FPR axis. */
export function verificationChart(payload: VerificationPayload): Chart {
  const { roc } = payload;
  const values = roc.fpr.map((fpr, i) => ({ fpr, tpr: roc.tpr[i] }));
  const accuracy =
    `${payload.accuracy.toFixed(5)} +- ` + payload.accuracyStd.toFixed(5);
  return {
    spec: {
      config: SVG_CONFIG,
      title: { text: `${payload.name}: acc ${accuracy}`, subtitle: roc.note },
      width: PANEL_WIDTH,
      height: PANEL_HEIGHT,
      data: { values },
      mark: { type: 'line', strokeWidth: 1.5 },
      encoding: {
        x: {
          field: 'fpr',
          type: 'quantitative',
          scale: { type: 'log' },
          title: 'false positive rate',
        },
        y: {
          field: 'tpr',
          type: 'quantitative',
          scale: { domain: [0, 1] },
          title: 'true positive rate',
        },
      },
    },
    drawn: `${values.length} ROC points drawn`,
  };
}
