/**
 * The DOM around a plot: a toolbar of controls, the plot areas, a side
 * panel and a caption, plus the error box. Styles use VS Code's CSS
 * variables with light fallbacks, so they also work in the report page.
 */
import type { CheckFailure } from './check';

const STYLE_ID = 'subface-renderer-style';

const STYLE = `
.subface-view { font-family: var(--vscode-font-family, system-ui, sans-serif);
  font-size: var(--vscode-font-size, 13px);
  color: var(--vscode-editor-foreground, #1f1f1f); }
.subface-toolbar { display: flex; flex-wrap: wrap; gap: 4px 14px;
  align-items: center; margin: 2px 0 6px; }
.subface-toolbar label { display: inline-flex; gap: 4px; align-items: center; }
.subface-toolbar select, .subface-toolbar button {
  font: inherit; color: inherit; border-radius: 2px;
  background: var(--vscode-dropdown-background, #fff);
  border: 1px solid var(--vscode-dropdown-border, #ccc); }
.subface-status { margin: 2px 0 6px; font-variant-numeric: tabular-nums;
  white-space: pre-line; }
.subface-body { display: flex; gap: 10px; align-items: flex-start; }
.subface-plots { flex: 1 1 auto; min-width: 0; }
.subface-plot { width: 100%; }
.subface-side { flex: 0 0 auto; min-width: 200px; max-width: 340px;
  max-height: 520px; overflow: auto; }
.subface-side:empty { display: none; }
.subface-side table, .subface-table { border-collapse: collapse; }
.subface-side td, .subface-table td, .subface-table th {
  padding: 1px 6px; text-align: right; font-variant-numeric: tabular-nums; }
.subface-table th { border-bottom: 1px solid var(--vscode-charts-lines, #ccc); }
.subface-swatch { display: inline-block; width: 9px; height: 9px;
  border-radius: 50%; margin-right: 4px; }
.subface-thumb { image-rendering: pixelated; vertical-align: middle; }
.subface-caption { opacity: 0.8; margin-top: 4px; white-space: pre-line; }
.subface-error { border: 1px solid var(--vscode-inputValidation-errorBorder, #be1100);
  background: var(--vscode-inputValidation-errorBackground, #fdecea);
  color: var(--vscode-errorForeground, #a1260d); padding: 8px 12px; }
.subface-error ul { margin: 6px 0 0; padding-left: 18px; }
.subface-error code { font-family: var(--vscode-editor-font-family, monospace); }
`;

/** Adds the stylesheet once per document. */
function ensureStyle(): void {
  if (document.getElementById(STYLE_ID) !== null) return;
  const style = document.createElement('style');
  style.id = STYLE_ID;
  style.textContent = STYLE;
  document.head.appendChild(style);
}

/** An element with a class and optional text. */
export function make<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className = '',
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className !== '') node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** The parts of one view's output. */
export interface Frame {
  root: HTMLElement;
  toolbar: HTMLElement;
  status: HTMLElement;
  plots: HTMLElement;
  side: HTMLElement;
  caption: HTMLElement;
}

/** Replaces the content of `element` with an empty frame. */
export function createFrame(element: HTMLElement, kind: string): Frame {
  ensureStyle();
  const root = make('div', `subface-view subface-${kind}`);
  const toolbar = make('div', 'subface-toolbar');
  const status = make('div', 'subface-status');
  const body = make('div', 'subface-body');
  const plots = make('div', 'subface-plots');
  const side = make('aside', 'subface-side');
  const caption = make('div', 'subface-caption');
  body.append(plots, side);
  root.append(toolbar, status, body, caption);
  element.replaceChildren(root);
  return { root, toolbar, status, plots, side, caption };
}

/** A new plot area inside `frame.plots`. */
export function addPlotArea(frame: Frame, height: number): HTMLElement {
  const area = make('div', 'subface-plot');
  area.style.height = `${height}px`;
  frame.plots.appendChild(area);
  return area;
}

/** A labelled drop-down; calls `onChange` with the chosen value. */
export function addSelect(
  toolbar: HTMLElement,
  label: string,
  choices: readonly { value: string; text: string }[],
  value: string,
  onChange: (value: string) => void,
): HTMLSelectElement {
  const wrapper = make('label', '', `${label} `);
  const select = make('select');
  for (const choice of choices) {
    select.appendChild(new Option(choice.text, choice.value));
  }
  select.value = value;
  select.addEventListener('change', () => onChange(select.value));
  wrapper.appendChild(select);
  toolbar.appendChild(wrapper);
  return select;
}

/** A labelled check box; calls `onChange` with its new state. */
export function addToggle(
  toolbar: HTMLElement,
  label: string,
  checked: boolean,
  onChange: (checked: boolean) => void,
): HTMLInputElement {
  const wrapper = make('label');
  const input = make('input');
  input.type = 'checkbox';
  input.checked = checked;
  input.addEventListener('change', () => onChange(input.checked));
  wrapper.append(input, document.createTextNode(label));
  toolbar.appendChild(wrapper);
  return input;
}

/** Replaces the content of `element` with an error box. */
export function showError(
  element: HTMLElement,
  mime: string,
  failure: CheckFailure,
): HTMLElement {
  ensureStyle();
  const box = make('div', 'subface-view subface-error');
  box.setAttribute('role', 'alert');
  box.appendChild(make('strong', '', 'SubFace: cannot draw this output. '));
  box.appendChild(document.createTextNode(failure.summary));
  box
    .appendChild(make('div', '', ''))
    .append('MIME type ', make('code', '', mime));
  const list = make('ul');
  for (const found of failure.problems.slice(0, 12)) {
    list.appendChild(make('li')).appendChild(make('code', '', found.message));
  }
  if (failure.problems.length > 12) {
    list.appendChild(
      make('li', '', `and ${failure.problems.length - 12} more`),
    );
  }
  if (failure.problems.length > 0) box.appendChild(list);
  element.replaceChildren(box);
  return box;
}
