/**
 * report.html: one static page that opens offline in any browser. It
 * inlines the renderer bundle out/media/report.js (plotly.js and the
 * notebook's views, as the global `SubfaceViews`), the JSON payloads in
 * `<script type="application/json">` tags and one `SubfaceViews.render*`
 * call per view, so the report draws with the notebook's code. The run
 * summary is plain HTML.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';

import { AggregationPayload, PayloadKind } from '../display/contract';
import { writeFileAtomically } from '../train/atomic_files';
import { fail, ReportError } from './errors';
import { ReportPayloads, RunSummaryPayload } from './payloads';

export const REPORT_FILE = 'report.html';

/** A view of the page: its heading and its SubfaceViews function. */
interface ReportView {
  kind: PayloadKind;
  title: string;
  render: string;
}

/** The views in page order. */
const VIEWS: readonly ReportView[] = [
  { kind: 'training', title: 'Training', render: 'renderTraining' },
  {
    kind: 'verification',
    title: 'Verification',
    render: 'renderVerification',
  },
  {
    kind: 'projection',
    title: 'Embedding projection',
    render: 'renderProjection',
  },
  {
    kind: 'aggregation',
    title: 'Aggregation',
    render: 'renderAggregation',
  },
];

/**
 * Options of every view: the page has no editor theme to follow, so
 * the plots stay light and the toolbar has no "light plots" toggle.
 */
const VIEW_OPTIONS = { lightToggle: false };

/** Id of the JSON tag holding the payload of `kind`. */
export function payloadId(kind: PayloadKind): string {
  return `subface-${kind}`;
}

/** Id of the element the view of `kind` draws into. */
function viewId(kind: PayloadKind): string {
  return `subface-${kind}-view`;
}

/**
 * The built report bundle (media/build.mjs writes out/media/report.js;
 * this file compiles to out/kernels/subface/report/html.js).
 */
export function reportBundlePath(): string {
  return path.join(__dirname, '..', '..', '..', 'media', 'report.js');
}

/**
 * JSON that is safe inside a script tag: `<` is written as `\u003c`,
 * so no `</script` (or `<!--`) can end the tag early; the JSON value
 * read back is unchanged.
 */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value ?? null)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * Script text that cannot end its tag early (`</script` split).
 *
 * NOTE: after `<!--`, a `<script` in the text would make the page's
 * parser skip the real closing tag; no escape keeps every kind of
 * JavaScript literal intact, so such code is refused.
 */
function scriptSafeCode(code: string): string {
  const lower = code.toLowerCase();
  const comment = lower.indexOf('<!--');
  const opening = comment < 0 ? -1 : lower.indexOf('<script', comment);
  if (opening >= 0) {
    const found = `<!-- at ${comment}, then <script at ${opening}`;
    fail('renderReport', 'inlined code', 'free of <script after <!--', found);
  }
  return code.replace(/<\/(script)/gi, '<\\/$1');
}

const STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 24px auto;
  max-width: 1100px; padding: 0 16px; color: #222; background: #fff; }
h1 { font-size: 22px; } h2 { font-size: 18px; margin-top: 32px; }
.subface-summary table { border-collapse: collapse; margin: 8px 0; }
.subface-summary th, .subface-summary td { border: 1px solid #ccc;
  padding: 3px 8px; text-align: left; vertical-align: top; }
.subface-summary th { background: #f3f3f3; font-weight: 600; }
`;

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** The run summary as a table (plain HTML, no script). */
function summarySection(summary: RunSummaryPayload): string {
  const time =
    summary.seconds === null ? '' : ` in ${summary.seconds.toFixed(1)} s`;
  const line =
    `${summary.run}: ${summary.steps} steps${time} ` +
    `on the ${summary.backend} backend`;
  const rows = summary.rows.map(
    ([label, value]) =>
      `<tr><th>${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`,
  );
  return [
    '<section class="subface-summary">',
    '<h2>Run</h2>',
    `<p>${escapeHtml(line)}</p>`,
    `<table>${rows.join('')}</table>`,
    '</section>',
  ].join('\n');
}

/**
 * The aggregation payload with the report's pair view inside (unless it
 * already has one).
 */
function aggregationWithPairs(
  payloads: ReportPayloads,
): AggregationPayload | undefined {
  const { aggregation, pairs } = payloads;
  if (pairs === undefined) return aggregation;
  if (aggregation === undefined) {
    fail(
      'renderReport',
      'payloads.aggregation',
      'present when payloads.pairs is (the pair view is drawn in it)',
      aggregation,
    );
  }
  return aggregation.pairs ? aggregation : { ...aggregation, pairs };
}

/** Each present view's payload, in page order. */
function viewPayloads(payloads: ReportPayloads) {
  const byKind: { [K in PayloadKind]?: unknown } = {
    training: payloads.training,
    verification: payloads.verification,
    projection: payloads.projection,
    aggregation: aggregationWithPairs(payloads),
  };
  return VIEWS.filter(({ kind }) => byKind[kind] !== undefined).map((view) => ({
    ...view,
    payload: byKind[view.kind],
  }));
}

/**
 * The script that draws every view; when all are drawn (or show their
 * error box) it marks the body with `data-subface-drawn`.
 */
function drawScript(renders: readonly ReportView[]): string {
  const calls = renders.map(({ kind, render }) => {
    const slot = JSON.stringify(viewId(kind));
    const payload = JSON.stringify(payloadId(kind));
    return `    views.${render}(slot(${slot}), payload(${payload}), options),`;
  });
  return [
    '(function () {',
    '  var views = globalThis.SubfaceViews;',
    '  if (views === undefined) {',
    '    throw new Error("report.html: SubfaceViews did not load");',
    '  }',
    `  var options = ${JSON.stringify(VIEW_OPTIONS)};`,
    '  function slot(id) {',
    '    return document.getElementById(id);',
    '  }',
    '  function payload(id) {',
    '    return JSON.parse(document.getElementById(id).textContent);',
    '  }',
    '  Promise.all([',
    ...calls,
    '  ]).then(function () {',
    '    document.body.dataset.subfaceDrawn = "true";',
    '  });',
    '})();',
  ].join('\n');
}

/**
 * The page's text.
 * @param bundleSource the source of out/media/report.js
 */
export function renderReport(
  payloads: ReportPayloads,
  bundleSource: string,
): string {
  const views = viewPayloads(payloads);
  const title = escapeHtml(payloads.title);
  const sections = views.map(
    ({ kind, title: heading }) =>
      `<section><h2>${escapeHtml(heading)}</h2>` +
      `<div id="${viewId(kind)}"></div></section>`,
  );
  const tags = views.map(
    ({ kind, payload }) =>
      `<script type="application/json" id="${payloadId(kind)}">` +
      `${scriptSafeJson(payload)}</script>`,
  );
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${title}</title>`,
    `<style>${STYLE}</style>`,
    '</head><body>',
    `<h1>${title}</h1>`,
    '<main id="subface-main">',
    ...(payloads.summary ? [summarySection(payloads.summary)] : []),
    ...sections,
    '</main>',
    ...tags,
    `<script>${scriptSafeCode(bundleSource)}</script>`,
    `<script>${scriptSafeCode(drawScript(views))}</script>`,
    '</body></html>',
    '',
  ].join('\n');
}

/** The report bundle's source; a clear error when it was not built. */
async function readBundle(file: string): Promise<string> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw new ReportError(
      `writeReport: the renderer bundle ${file} must exist, but it is ` +
        'missing: run `npm run build` (it builds the renderers too)',
    );
  }
}

export interface WriteReportOptions {
  /** The report bundle to inline. Default reportBundlePath(). */
  bundlePath?: string;
}

/**
 * Writes `<runDir>/report.html` (atomically) and returns its path and
 * size in bytes.
 */
export async function writeReport(
  runDir: string,
  payloads: ReportPayloads,
  options: WriteReportOptions = {},
): Promise<{ path: string; bytes: number }> {
  const bundle = await readBundle(options.bundlePath ?? reportBundlePath());
  const html = renderReport(payloads, bundle);
  const file = path.join(runDir, REPORT_FILE);
  await fs.mkdir(runDir, { recursive: true });
  await writeFileAtomically(file, html);
  return { path: file, bytes: Buffer.byteLength(html) };
}
