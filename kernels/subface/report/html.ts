/**
 * report.html: one static page that opens offline in any browser. It
 * inlines plotly.js (read from the installed package, never a CDN), the
 * JSON payloads in `<script type="application/json">` tags and the
 * drawing code of draw.ts.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';

import { writeFileAtomically } from '../train/atomic_files';
import { drawReport, PAYLOAD_IDS } from './draw';
import { ReportPayloads } from './payloads';

export const REPORT_FILE = 'report.html';

/** The file of the minified plotly.js bundle in node_modules. */
export function plotlyBundlePath(): string {
  return require.resolve('plotly.js-dist-min');
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

/** Script text that cannot end its tag early (`</script` split). */
function scriptSafeCode(code: string): string {
  return code.replace(/<\/(script)/gi, '<\\/$1');
}

const STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 24px auto;
  max-width: 1100px; padding: 0 16px; color: #222; }
h1 { font-size: 22px; } h2 { font-size: 18px; margin-top: 32px; }
table { border-collapse: collapse; margin: 8px 0; }
th, td { border: 1px solid #ccc; padding: 3px 8px; text-align: right; }
th { background: #f3f3f3; }
.plot { width: 100%; min-height: 360px; }
`;

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/**
 * The page's text.
 * @param plotlySource the plotly.js bundle's source
 */
export function renderReport(
  payloads: ReportPayloads,
  plotlySource: string,
): string {
  const tags = (Object.keys(PAYLOAD_IDS) as (keyof typeof PAYLOAD_IDS)[])
    .filter((view) => payloads[view] !== undefined)
    .map(
      (view) =>
        `<script type="application/json" id="${PAYLOAD_IDS[view]}">` +
        `${scriptSafeJson(payloads[view])}</script>`,
    );
  const title = escapeHtml(payloads.title);
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${title}</title>`,
    `<style>${STYLE}</style>`,
    `<script>${scriptSafeCode(plotlySource)}</script>`,
    '</head><body>',
    `<h1>${title}</h1>`,
    '<main id="subface-main"></main>',
    ...tags,
    `<script>(${scriptSafeCode(drawReport.toString())})();</script>`,
    '</body></html>',
    '',
  ].join('\n');
}

/**
 * Writes `<runDir>/report.html` (atomically) and returns its path and
 * size in bytes.
 */
export async function writeReport(
  runDir: string,
  payloads: ReportPayloads,
): Promise<{ path: string; bytes: number }> {
  const plotly = await fs.readFile(plotlyBundlePath(), 'utf8');
  const html = renderReport(payloads, plotly);
  const file = path.join(runDir, REPORT_FILE);
  await fs.mkdir(runDir, { recursive: true });
  await writeFileAtomically(file, html);
  return { path: file, bytes: Buffer.byteLength(html) };
}
