/**
 * The report's drawing code: runs in the browser, reads the JSON
 * payloads from `<script type="application/json">` tags and draws them
 * with the inlined plotly.js. The renderer issue swaps this one file for
 * the notebook renderers.
 *
 * NOTE: `drawReport` is shipped as its own source text
 * (`drawReport.toString()`), so it must not use imports, helpers or
 * anything outside its body except the browser globals it declares
 * (type-only imports are erased, so they are fine).
 */

import type {
  AggregationPayload,
  PairViewPayload,
  ProjectionPayload,
  RunSummaryPayload,
  TrainingCurvesPayload,
  VerificationPayload,
} from './payloads';

/** The few DOM features used, typed here (no DOM lib in this project). */
interface Element {
  textContent: string | null;
  innerHTML: string;
  className: string;
  appendChild(child: Element): void;
}

interface Page {
  getElementById(id: string): Element | null;
  createElement(tag: string): Element;
}

interface Plotting {
  newPlot(
    target: Element,
    traces: object[],
    layout: object,
    config: object,
  ): void;
}

/** Ids of the payload tags, by view (html.ts writes them). */
export const PAYLOAD_IDS = {
  summary: 'subface-summary',
  training: 'subface-training',
  verification: 'subface-verification',
  projection: 'subface-projection',
  aggregation: 'subface-aggregation',
  pairs: 'subface-pairs',
} as const;

export function drawReport(): void {
  const page = (globalThis as unknown as { document: Page }).document;
  const plotly = (globalThis as unknown as { Plotly: Plotting }).Plotly;
  const config = { displaylogo: false, responsive: true };

  const read = <T>(id: string): T | null => {
    const tag = page.getElementById(id);
    return tag === null ? null : (JSON.parse(tag.textContent ?? 'null') as T);
  };
  const escape = (value: unknown): string =>
    String(value)
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;');
  const fixed = (value: number | null, digits: number): string =>
    value === null || !Number.isFinite(value) ? '-' : value.toFixed(digits);
  const main = page.getElementById('subface-main') as Element;
  const block = (title: string, note: string): Element => {
    const section = page.createElement('section');
    section.innerHTML = `<h2>${escape(title)}</h2><p>${escape(note)}</p>`;
    main.appendChild(section);
    return section;
  };
  const plot = (parent: Element, traces: object[], layout: object) => {
    const div = page.createElement('div');
    div.className = 'plot';
    parent.appendChild(div);
    plotly.newPlot(div, traces, { margin: { t: 30 }, ...layout }, config);
  };
  const table = (parent: Element, head: string[], rows: unknown[][]) => {
    const div = page.createElement('div');
    const cells = (row: unknown[], tag: string) =>
      row.map((c) => `<${tag}>${escape(c)}</${tag}>`).join('');
    div.innerHTML =
      `<table><tr>${cells(head, 'th')}</tr>` +
      rows.map((row) => `<tr>${cells(row, 'td')}</tr>`).join('') +
      '</table>';
    parent.appendChild(div);
  };

  const summary = read<RunSummaryPayload>('subface-summary');
  if (summary !== null) {
    const section = block('Run', summary.run);
    table(section, ['', ''], summary.rows);
  }

  const training = read<TrainingCurvesPayload>('subface-training');
  if (training !== null) {
    const section = block('Training', 'mean loss per log interval');
    plot(
      section,
      [
        { x: training.steps, y: training.loss, name: 'loss' },
        { x: training.steps, y: training.lr, name: 'lr', yaxis: 'y2' },
      ],
      {
        xaxis: { title: { text: 'step' } },
        yaxis: { title: { text: 'loss' } },
        yaxis2: { title: { text: 'lr' }, overlaying: 'y', side: 'right' },
      },
    );
    const evals = training.evaluations;
    if (evals.length > 0) {
      plot(
        section,
        [
          {
            x: evals.map((e) => e.step),
            y: evals.map((e) => e.accuracy),
            error_y: { type: 'data', array: evals.map((e) => e.accuracyStd) },
            mode: 'lines+markers',
            name: 'accuracy',
          },
        ],
        {
          xaxis: { title: { text: 'step' } },
          yaxis: { title: { text: 'verification accuracy' } },
        },
      );
    }
  }

  const verification = read<VerificationPayload>('subface-verification');
  if (verification !== null) {
    const v = verification;
    const flip = v.flip ? 'flip-fused' : 'no flip';
    const section = block(
      'Verification',
      `${v.name}: ${v.numPairs} pairs (${v.numSame} same), ${flip}, ` +
        `sha256 ${v.sha256}`,
    );
    const folds = v.folds;
    table(
      section,
      ['fold', 'pairs', 'threshold', 'accuracy', 'train accuracy'],
      [
        ...folds.map((f) => [
          f.fold,
          f.numPairs,
          fixed(f.threshold, 2),
          fixed(f.accuracy, 5),
          fixed(f.trainAccuracy, 5),
        ]),
        [
          'mean ± std',
          v.numPairs,
          '',
          `${fixed(v.accuracy, 5)} ± ${fixed(v.accuracyStd, 5)}`,
          '',
        ],
        ['no flip', '', '', fixed(v.accuracyNoFlip, 5), ''],
        ['XNorm', '', '', fixed(v.xNorm, 5), ''],
      ],
    );
    const tars = v.tarAtFar;
    table(
      section,
      ['FAR', 'TAR'],
      tars.map((t) => [t.far, fixed(t.tar, 5)]),
    );
    plot(
      section,
      [{ x: v.roc.fpr, y: v.roc.tpr, mode: 'lines', name: 'ROC' }],
      {
        title: { text: v.roc.note, font: { size: 12 } },
        xaxis: { type: 'log', title: { text: 'false positive rate' } },
        yaxis: { title: { text: 'true positive rate' }, range: [0, 1.02] },
      },
    );
  }

  const projection = read<ProjectionPayload>('subface-projection');
  if (projection !== null) {
    const p = projection;
    const section = block('Embedding projection', p.cap.note);
    const names = p.classNames;
    for (const view of p.views) {
      const byLabel = new Map<number, number[]>();
      view.labels.forEach((label, i) => {
        const list = byLabel.get(label) ?? [];
        list.push(i);
        byLabel.set(label, list);
      });
      const traces = [...byLabel.entries()].map(([label, points]) => ({
        x: points.map((i) => view.x[i]),
        y: points.map((i) => view.y[i]),
        mode: 'markers',
        type: 'scatter',
        name: names[label] ?? String(label),
      }));
      plot(section, traces, { title: { text: view.method.toUpperCase() } });
    }
  }

  const aggregation = read<AggregationPayload>('subface-aggregation');
  if (aggregation !== null) {
    const a = aggregation;
    const section = block(
      'Aggregation heatmap',
      `${a.cap.note}; ${a.k} dims per block. ${a.notes.join(' ')}`,
    );
    plot(
      section,
      [
        {
          z: a.values,
          x: a.columns,
          y: a.rows,
          type: 'heatmap',
          colorscale: 'Viridis',
        },
      ],
      { height: 200 + 14 * a.rows.length, yaxis: { automargin: true } },
    );
    table(
      section,
      ['column', ...a.columns],
      [['mean', ...a.columnMeans.map((m) => fixed(m, 4))]],
    );
  }

  const pairs = read<PairViewPayload>('subface-pairs');
  if (pairs !== null) {
    const section = block(
      'Same-identity pairs',
      `${pairs.summary.numPairs} pairs, ${pairs.numDraws} subspaces of ` +
        `${pairs.k} dims: full cosine against the lowest sub-cosine`,
    );
    plot(
      section,
      [{ x: pairs.full, y: pairs.min, mode: 'markers', type: 'scatter' }],
      {
        xaxis: { title: { text: 'full cosine' } },
        yaxis: { title: { text: 'min sub-cosine' } },
      },
    );
  }
}
