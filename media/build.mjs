/**
 * Builds the renderer bundles into out/media/:
 *   renderer.js  ESM, the VS Code notebookRenderer entry point
 *   report.js    IIFE defining `SubfaceViews`, for the CLI's report.html
 * and, first, the payload validators: ajv standalone code generated from
 * the contract's JSON Schemas (so the browser never compiles a schema,
 * which would need `new Function`).
 *
 *   node media/build.mjs
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

import Ajv from 'ajv';
import standaloneModule from 'ajv/dist/standalone/index.js';
import * as esbuild from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(ROOT, 'out', 'media');
const VALIDATORS = path.join(OUT, 'generated', 'validators.mjs');
const CONTRACT = path.join(ROOT, 'kernels/subface/display/contract.ts');

const standaloneCode = standaloneModule.default ?? standaloneModule;

/** plotly.js's copyright notice, which its MIT licence asks copies keep. */
async function plotlyNotice() {
  const file = path.join(ROOT, 'node_modules/plotly.js-dist-min/package.json');
  const { version } = JSON.parse(await fs.readFile(file, 'utf8'));
  return `/*! plotly.js v${version} | (c) Plotly, Inc. | MIT License */`;
}

/** The contract module, compiled in memory and imported. */
async function loadContract() {
  const result = await esbuild.build({
    entryPoints: [CONTRACT],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    write: false,
  });
  const source = Buffer.from(result.outputFiles[0].text).toString('base64');
  return import(`data:text/javascript;base64,${source}`);
}

/** Writes one validator per payload kind, with validate.ts's options. */
async function writeValidators() {
  const contract = await loadContract();
  const ajv = new Ajv({
    allErrors: true,
    strict: true,
    strictNumbers: true,
    allowUnionTypes: true,
    code: { source: true, esm: true },
  });
  const exports = {};
  for (const [kind, mime] of Object.entries(contract.MIME_TYPES)) {
    ajv.addSchema(contract.SCHEMAS[mime], kind);
    exports[kind] = kind;
  }
  await fs.mkdir(path.dirname(VALIDATORS), { recursive: true });
  await fs.writeFile(VALIDATORS, standaloneCode(ajv, exports));
}

/** Options both bundles share. */
const COMMON = {
  bundle: true,
  minify: true,
  target: 'es2022',
  platform: 'browser',
  alias: { 'subface-payload-validators': VALIDATORS },
  banner: { js: await plotlyNotice() },
  logLevel: 'warning',
};

async function bundle(entry, outfile, extra) {
  await esbuild.build({
    ...COMMON,
    ...extra,
    entryPoints: [path.join(ROOT, 'media', 'src', entry)],
    outfile: path.join(OUT, outfile),
  });
  const { size } = await fs.stat(path.join(OUT, outfile));
  console.log(`out/media/${outfile}: ${(size / 1e6).toFixed(2)} MB`);
}

const started = Date.now();
await writeValidators();
await bundle('renderer.ts', 'renderer.js', { format: 'esm' });
await bundle('report.ts', 'report.js', { format: 'iife' });
console.log(`renderer bundles built in ${Date.now() - started} ms`);
