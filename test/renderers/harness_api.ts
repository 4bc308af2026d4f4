/**
 * Typed calls into the harness page's `window.harness` (harness.mjs):
 * what the tests can ask the page, and what it answers.
 */
import type { Page } from 'playwright-core';

export interface TraceInfo {
  type: string;
  name: string | null;
  points: number;
  /** [rows, columns] of a heatmap's z. */
  zShape: [number, number] | null;
  colour: unknown;
  /** The first hover text (of the first cell for a heatmap). */
  firstText: string | null;
}

export interface PlotInfo {
  /** Stays the same while the plot element is the same. */
  token: string;
  traces: TraceInfo[];
  xTitle: string | null;
  yTitle: string | null;
  sceneTitles: (string | null)[] | null;
  colourRange: [number, number] | null;
  background: string;
  fontColour: string;
  xRange: [number, number] | null;
  yType: string | null;
  xType: string | null;
  yTicks: string[] | null;
  legend: string[];
  canvases: number;
}

export interface Inspection {
  children: number;
  error: string | null;
  status: string | null;
  caption: string | null;
  side: string | null;
  thumbnails: number;
  neighbourRows: number;
  /** Cells of the neighbour list: name, input index, distance. */
  neighbours: string[][];
  /** Body rows of the verification fold table. */
  tableRows: number;
  /** The first cell of each of those rows (the fold number). */
  firstColumn: string[];
  controls: string[];
  /** [label, checked] of each check box in the toolbar. */
  checked: [string, boolean][];
  plots: PlotInfo[];
}

type HarnessCall = (...args: unknown[]) => unknown;

/** Calls `window.harness[method](...args)` in the page. */
export function call<T>(page: Page, method: string, ...args: unknown[]) {
  return page.evaluate(
    ([name, values]) => {
      const harness = (
        globalThis as unknown as { harness: Record<string, HarnessCall> }
      ).harness;
      return harness[name](...values);
    },
    [method, args] as [string, unknown[]],
  ) as Promise<T>;
}

/** renderOutputItem of an item with `text` as its data. */
export function render(page: Page, id: string, mime: string, text: string) {
  return call<Inspection>(page, 'render', id, mime, text);
}

export function inspect(page: Page, id: string) {
  return call<Inspection>(page, 'inspect', id);
}

/** Sets a toolbar control (drop-down value or check box) and waits. */
export function choose(
  page: Page,
  id: string,
  label: string,
  value: string | boolean,
) {
  return call<Inspection>(page, 'choose', id, label, value);
}

export function emit(
  page: Page,
  id: string,
  event: 'plotly_click' | 'plotly_hover',
  curveNumber: number,
  pointNumber: number,
) {
  return call<Inspection>(page, 'emit', id, event, curveNumber, pointNumber);
}

/** Content Security Policy violations the page has seen. */
export function violations(page: Page) {
  return call<string[]>(page, 'violationList');
}

/** The sum of the output's finished draws. */
export function drawCount(page: Page, id: string) {
  return call<number>(page, 'drawCount', id);
}

/** Waits until the output drew more than `before` times and is idle. */
export function settled(page: Page, id: string, before: number) {
  return call<void>(page, 'settled', id, before);
}

export interface PlotState {
  hasData: boolean;
  hasLayout: boolean;
  children: number;
  canvases: number;
}

export function plotState(page: Page, id: string) {
  return call<PlotState[]>(page, 'plotState', id);
}
