/**
 * Timings for bench/render.ts: our renderer from renderOutputItem to the
 * next painted frame, and the peers drawn the same way without it (plain
 * plotly.js SVG scatter and heatmap, a hand-written canvas heatmap).
 */

/** Resolves after the next frame was painted (two animation frames). */
function nextPaint() {
  return new Promise((resolve) =>
    requestAnimationFrame(() => requestAnimationFrame(resolve)),
  );
}

function freshArea(id, width, height) {
  const area = document.createElement('div');
  area.id = id;
  area.style.width = `${width}px`;
  area.style.height = `${height}px`;
  document.getElementById('outputs').appendChild(area);
  return area;
}

async function timed(draw) {
  const started = performance.now();
  await draw();
  await nextPaint();
  return performance.now() - started;
}

/** A blue-to-yellow ramp for values in [0, 1]. */
function rampColour(value) {
  const t = Math.min(1, Math.max(0, value));
  const r = Math.round(68 + t * 185);
  const g = Math.round(1 + t * 230);
  const b = Math.round(84 + t * -50);
  return `rgb(${r},${g},${b})`;
}

window.bench = {
  /** Our renderer: parse, check, draw, paint. */
  renderer(id, mime, text) {
    return timed(() => window.harness.renderOnly(id, mime, text));
  },

  /** plotly.js's SVG scatter of the same points, one trace. */
  plainScatter(id, x, y) {
    const area = freshArea(id, 980, 480);
    const trace = {
      type: 'scatter',
      mode: 'markers',
      x,
      y,
      marker: { size: 4 },
    };
    return timed(() => window.Plotly.newPlot(area, [trace], {}, {}));
  },

  /** plotly.js's heatmap of the same cells at our plot's size. */
  plainHeatmap(id, values, height) {
    const area = freshArea(id, 980, height);
    const trace = { type: 'heatmap', z: values, colorscale: 'Viridis' };
    return timed(() => window.Plotly.newPlot(area, [trace], {}, {}));
  },

  /** A canvas with one filled rectangle per cell. */
  canvasHeatmap(id, values) {
    const area = freshArea(id, 980, 900);
    return timed(async () => {
      const canvas = document.createElement('canvas');
      canvas.width = 900;
      canvas.height = 880;
      area.appendChild(canvas);
      const context = canvas.getContext('2d');
      const cellWidth = canvas.width / values[0].length;
      const cellHeight = canvas.height / values.length;
      values.forEach((row, r) =>
        row.forEach((value, c) => {
          context.fillStyle = rampColour(value);
          context.fillRect(
            c * cellWidth,
            r * cellHeight,
            cellWidth,
            cellHeight,
          );
        }),
      );
    });
  },

  purge(id) {
    const area = document.getElementById(id);
    if (window.Plotly && area) window.Plotly.purge(area);
    area?.remove();
  },
};
