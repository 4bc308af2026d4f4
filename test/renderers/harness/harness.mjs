/**
 * The renderer tests' page script: loads the built renderer module, calls
 * its `activate` with a stub of VS Code's renderer context (getState,
 * setState, postMessage: the shape of the notebook renderer API) and
 * offers `window.harness` to the tests: render an output item, dispose,
 * switch the theme, and read back what was drawn.
 *
 * On the report page (report.html), where the report bundle has defined
 * `SubfaceViews`, the same calls go to its plain render functions.
 */

const violations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  violations.push(`${event.violatedDirective} ${event.blockedURI}`);
});

const messages = [];
const stored = { state: undefined };
const context = {
  getState: () => stored.state,
  setState: (state) => {
    stored.state = state;
  },
  postMessage: (message) => messages.push(message),
  workspace: { isTrusted: true },
};

/** The report bundle's functions behind the renderer API's two calls. */
function reportApi(views) {
  const handles = new Map();
  return {
    async renderOutputItem(item, element) {
      const known = handles.get(item.id);
      if (known) return known.update(item.json());
      const handle = await views.renderPayload(element, item.mime, item.json());
      handles.set(item.id, handle);
    },
    disposeOutputItem(id) {
      handles.get(id)?.dispose();
      handles.delete(id);
    },
  };
}

const views = globalThis.SubfaceViews;
const api = views
  ? reportApi(views)
  : (await import('/out/media/renderer.js')).activate(context);

/** An output item as VS Code hands it over, from the payload's text. */
function outputItem(id, mime, text) {
  return {
    id,
    mime,
    metadata: {},
    text: () => text,
    json: () => JSON.parse(text),
  };
}

function outputElement(id) {
  let element = document.getElementById(id);
  if (element === null) {
    element = document.createElement('div');
    element.id = id;
    element.className = 'output';
    document.getElementById('outputs').appendChild(element);
  }
  return element;
}

let nextToken = 1;

/** Points of a trace (x or z length). */
function pointCount(trace) {
  return (trace.x ?? trace.z ?? []).length;
}

function describePlot(plot) {
  plot.dataset.harnessToken ??= String(nextToken++);
  const layout = plot._fullLayout;
  const title = (axis) => axis?.title?.text ?? null;
  const colourAxis = layout.coloraxis;
  return {
    token: plot.dataset.harnessToken,
    traces: plot.data.map((t) => ({
      type: t.type,
      name: t.name ?? null,
      points: pointCount(t),
      zShape: Array.isArray(t.z?.[0]) ? [t.z.length, t.z[0].length] : null,
      colour: t.line?.color ?? t.marker?.color ?? null,
      firstText: [t.text].flat(2)[0] ?? null,
    })),
    xTitle: title(layout.xaxis),
    yTitle: title(layout.yaxis),
    sceneTitles: layout.scene
      ? ['xaxis', 'yaxis', 'zaxis'].map((a) => title(layout.scene[a]))
      : null,
    colourRange: colourAxis ? [colourAxis.cmin, colourAxis.cmax] : null,
    background: layout.paper_bgcolor,
    fontColour: layout.font.color,
    xRange: layout.xaxis?.range ?? null,
    yType: layout.yaxis?.type ?? null,
    xType: layout.xaxis?.type ?? null,
    yTicks: layout.yaxis?.ticktext ?? null,
    legend: [...plot.querySelectorAll('.legendtext')].map((n) => n.textContent),
    canvases: plot.querySelectorAll('canvas').length,
  };
}

function inspect(id) {
  const element = document.getElementById(id);
  const text = (selector) =>
    element.querySelector(selector)?.textContent ?? null;
  return {
    children: element.childElementCount,
    error: text('.subface-error'),
    status: text('.subface-status'),
    caption: text('.subface-caption'),
    side: text('.subface-side'),
    thumbnails: element.querySelectorAll('.subface-side img').length,
    neighbourRows: element.querySelectorAll('.subface-neighbours tr').length,
    neighbours: [...element.querySelectorAll('.subface-neighbours tr')].map(
      (row) => [...row.cells].map((cell) => cell.textContent),
    ),
    tableRows: element.querySelectorAll('.subface-table tbody tr').length,
    firstColumn: [
      ...element.querySelectorAll('.subface-table tbody tr td:first-child'),
    ].map((cell) => cell.textContent),
    controls: [...element.querySelectorAll('.subface-toolbar label')].map(
      (label) => label.textContent.trim(),
    ),
    checked: [...element.querySelectorAll('.subface-toolbar label')]
      .filter((label) => label.querySelector('input') !== null)
      .map((label) => [
        label.textContent.trim(),
        label.querySelector('input').checked,
      ]),
    plots: [...element.querySelectorAll('.js-plotly-plot')].map(describePlot),
  };
}

/** The n-th plot element of an output. */
function plotOf(id, index = 0) {
  return document.getElementById(id).querySelectorAll('.js-plotly-plot')[index];
}

window.harness = {
  violationList: () => violations,
  messageList: () => messages,
  storedState: () => stored.state,
  async render(id, mime, text) {
    await api.renderOutputItem(outputItem(id, mime, text), outputElement(id));
    return inspect(id);
  },
  /** renderOutputItem alone (the benchmark times it). */
  renderOnly(id, mime, text) {
    return api.renderOutputItem(outputItem(id, mime, text), outputElement(id));
  },
  dispose(id) {
    api.disposeOutputItem(id);
  },
  inspect,
  /** What is left of an output's plot elements (after a dispose). */
  plotState(id) {
    const areas = document.getElementById(id).querySelectorAll('.subface-plot');
    return [...areas].map((area) => ({
      hasData: area.data !== undefined,
      hasLayout: area._fullLayout !== undefined,
      children: area.childElementCount,
      canvases: area.querySelectorAll('canvas').length,
    }));
  },
  setTheme(className) {
    document.body.className = className;
  },
  /** Picks a value of the toolbar drop-down labelled `label`. */
  async choose(id, label, value) {
    const labels = document.getElementById(id).querySelectorAll('label');
    const match = [...labels].find((l) =>
      l.textContent.trim().startsWith(label),
    );
    const control = match.querySelector('select, input');
    if (control.type === 'checkbox') control.checked = value;
    else control.value = value;
    const before = drawCount(id);
    control.dispatchEvent(new Event('change'));
    await settled(id, before);
    return inspect(id);
  },
  /** Sends plotly's own event, as a click or hover on a point would. */
  async emit(id, event, curveNumber, pointNumber) {
    const before = drawCount(id);
    plotOf(id).emit(event, { points: [{ curveNumber, pointNumber }] });
    if (event === 'plotly_click') await settled(id, before);
    return inspect(id);
  },
  settled,
  drawCount,
  /** Where a point of a 2-D plot is on the page, in CSS pixels. */
  pointPosition(id, x, y) {
    const plot = plotOf(id);
    const { xaxis, yaxis } = plot._fullLayout;
    const box = plot.getBoundingClientRect();
    return {
      x: box.left + xaxis._offset + xaxis.l2p(x),
      y: box.top + yaxis._offset + yaxis.l2p(y),
    };
  },
};

/** Finished draws of an output's plots (their `data-draws`). */
function drawCount(id) {
  const areas = document.getElementById(id).querySelectorAll('[data-draws]');
  return [...areas].reduce((sum, a) => sum + Number(a.dataset.draws), 0);
}

/**
 * Resolves once an output drew more than `before` times and stayed idle
 * (nothing drawing, no further draw) for two polls: a view may draw
 * several plots one after another.
 */
async function settled(id, before, timeoutMs = 20000) {
  const element = document.getElementById(id);
  const started = performance.now();
  let quiet = 0;
  let last = -1;
  while (performance.now() - started < timeoutMs) {
    const count = drawCount(id);
    const busy = element.querySelector('[data-drawing]') !== null;
    quiet = !busy && count > before && count === last ? quiet + 1 : 0;
    if (quiet >= 2) return;
    last = count;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`output ${id} did not redraw within ${timeoutMs} ms`);
}

window.harnessReady = true;
