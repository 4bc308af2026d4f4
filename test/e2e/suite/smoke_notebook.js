// The small notebook the extension-host suite runs: one cell per thing
// the controller must handle. CELL names the cells by index.
const fs = require('node:fs');
const path = require('node:path');

const CELL = {
  streams: 0,
  display: 1,
  update: 2,
  thrown: 3,
  typeError: 4,
  endless: 5,
  afterInterrupt: 6,
  afterRestart: 7,
};

const TRAINING_MIME = 'application/vnd.subface.training+json';

function sources(trainingPayload) {
  return [
    [
      "(globalThis as any).marker = 'set';",
      "console.log('hello from subface');",
      "console.error('a warning');",
    ],
    [
      "import * as sf from 'subface';",
      `const payload: any = ${JSON.stringify(trainingPayload)};`,
      'await sf.show.curves(payload);',
    ],
    [
      "import { newDisplay } from 'tslab';",
      'const progress = newDisplay();',
      "progress.text('first');",
      "progress.text('second');",
    ],
    ["throw new RangeError('out of range: 42');"],
    ["const notANumber: number = 'text';"],
    ['while (true) {}'],
    ["console.log('after interrupt');"],
    ['console.log(typeof (globalThis as any).marker);'],
  ].map((lines) => lines.join('\n'));
}

/** The .ipynb text, with a renderer fixture as the training payload. */
function smokeNotebook(repoRoot) {
  const fixture = path.join(repoRoot, 'test/fixtures/renderers/training.json');
  const payload = JSON.parse(fs.readFileSync(fixture, 'utf8'));
  const cells = sources(payload).map((source) => ({
    cell_type: 'code',
    execution_count: null,
    metadata: {},
    outputs: [],
    source,
  }));
  const notebook = {
    cells,
    metadata: {
      kernelspec: {
        name: 'subface',
        display_name: 'SubFace (TypeScript)',
        language: 'typescript',
      },
      language_info: { name: 'typescript' },
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
  return `${JSON.stringify(notebook, null, 1)}\n`;
}

module.exports = { CELL, TRAINING_MIME, smokeNotebook };
