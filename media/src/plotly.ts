/**
 * The few plotly.js calls the views make. Traces and layouts are plain
 * objects here: plotly's generated types are one union per attribute,
 * and each view builds its objects from data it has already checked.
 *
 * plotly.js-dist-min 4.x draws scattergl and scatter3d with precompiled
 * regl shaders, so no `new Function` runs (checked under a strict CSP by
 * the renderer tests).
 */
import Plotly from 'plotly.js-dist-min';
import type { Config } from 'plotly.js-dist-min';

export type Trace = Record<string, unknown>;
export type Layout = Record<string, unknown>;

/** A point of a plotly event, as far as the views read it. */
export interface EventPoint {
  curveNumber: number;
  pointNumber: number;
}

/** A plot element with plotly's event methods. */
export interface PlotElement extends HTMLElement {
  on(event: string, handler: (data: { points?: EventPoint[] }) => void): void;
}

const CONFIG: Partial<Config> = {
  displaylogo: false,
  responsive: true,
  modeBarButtonsToRemove: ['lasso2d', 'select2d'],
};

/**
 * Draws, or redraws in place when `area` already holds a plot: react
 * compares with the last state and updates only what changed, and the
 * layout's `uirevision` keeps the user's zoom across updates.
 *
 * The area's `data-draws` counts finished draws and `data-drawing` is
 * set while one runs, so tests (and an e2e run in VS Code) can tell
 * when an output has settled.
 */
export async function draw(
  area: HTMLElement,
  traces: Trace[],
  layout: Layout,
): Promise<PlotElement> {
  area.dataset.drawing = 'true';
  try {
    await Plotly.react(area, traces as never, layout as never, CONFIG);
  } finally {
    delete area.dataset.drawing;
  }
  area.dataset.draws = String(Number(area.dataset.draws ?? 0) + 1);
  return area as PlotElement;
}

/** Removes the plot, its WebGL contexts and its listeners. */
export function purge(area: HTMLElement): void {
  Plotly.purge(area);
}

export const plotlyVersion: string = (Plotly as unknown as { version: string })
  .version;
