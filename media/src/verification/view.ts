/**
 * The verification view: accuracy over the folds, the 10-fold table,
 * TAR at fixed FARs, and the ROC over all pairs on a log FPR axis.
 */
import type { VerificationPayload } from '../../../kernels/subface/display/contract';
import { addPlotArea, make } from '../frame';
import { draw, Layout, purge, Trace } from '../plotly';
import { axisStyle, baseLayout, colourAt, Theme } from '../theme';
import type { Mount, View, ViewContext } from '../view';

function percent(value: number | null, digits = 2): string {
  return value === null ? '-' : `${(value * 100).toFixed(digits)}%`;
}

export function summaryLine(payload: VerificationPayload): string {
  const run = payload.run === undefined ? '' : `${payload.run} on `;
  const noFlip =
    payload.accuracyNoFlip === null
      ? ''
      : `, without flip ${percent(payload.accuracyNoFlip)}`;
  return (
    `${run}${payload.name}: accuracy ${percent(payload.accuracy)} ` +
    `+- ${percent(payload.accuracyStd)} over ${payload.folds.length} folds ` +
    `(${payload.numPairs} pairs, ${payload.numSame} same, flip ` +
    `${payload.flip ? 'on' : 'off'}${noFlip}; mean norm ` +
    `${payload.xNorm.toFixed(2)})`
  );
}

function foldTable(payload: VerificationPayload): HTMLTableElement {
  const table = make('table', 'subface-table');
  const head = table.createTHead().insertRow();
  for (const title of ['fold', 'pairs', 'threshold', 'accuracy', 'train']) {
    head.appendChild(make('th', '', title));
  }
  const body = table.createTBody();
  for (const fold of payload.folds) {
    const row = body.insertRow();
    // Folds are numbered 1..10 on screen, as the command line prints them.
    row.insertCell().textContent = String(fold.fold + 1);
    row.insertCell().textContent = String(fold.numPairs);
    row.insertCell().textContent = fold.threshold.toFixed(3);
    row.insertCell().textContent = percent(fold.accuracy);
    row.insertCell().textContent = percent(fold.trainAccuracy);
  }
  return table;
}

function rocTraces(payload: VerificationPayload, theme: Theme): Trace[] {
  return [
    {
      type: 'scatter',
      mode: 'lines',
      name: payload.name,
      x: payload.roc.fpr,
      y: payload.roc.tpr,
      line: { color: colourAt(theme, 0), width: 2, shape: 'hv' },
      hovertemplate: 'FPR %{x:.2e}<br>TPR %{y:.4f}<extra></extra>',
    },
  ];
}

function rocLayout(theme: Theme): Layout {
  const style = axisStyle(theme);
  return {
    ...baseLayout(theme),
    uirevision: 'roc',
    showlegend: false,
    xaxis: { ...style, type: 'log', title: { text: 'false positive rate' } },
    yaxis: { ...style, title: { text: 'true positive rate' } },
  };
}

class VerificationDrawing implements View<VerificationPayload> {
  private readonly area: HTMLElement;

  constructor(
    private readonly context: ViewContext,
    private payload: VerificationPayload,
  ) {
    this.area = addPlotArea(context.frame, 360);
  }

  async update(payload: VerificationPayload): Promise<void> {
    this.payload = payload;
    await this.redraw();
  }

  async redraw(): Promise<void> {
    const { frame, theme } = this.context;
    const payload = this.payload;
    await draw(this.area, rocTraces(payload, theme()), rocLayout(theme()));
    frame.status.textContent = summaryLine(payload);
    const tars = payload.tarAtFar
      .map((t) => `TAR ${percent(t.tar)} at FAR ${t.far}`)
      .join('\n');
    frame.side.replaceChildren(
      foldTable(payload),
      make('p', 'subface-caption', tars),
    );
    frame.caption.textContent = `ROC: ${payload.roc.note}`;
  }

  dispose(): void {
    purge(this.area);
  }
}

export const mountVerification: Mount<VerificationPayload> = async (
  context,
  payload,
) => {
  const drawing = new VerificationDrawing(context, payload);
  await drawing.redraw();
  return drawing;
};
