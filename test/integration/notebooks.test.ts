/**
 * The notebooks in notebooks/, executed headlessly through the SubFace
 * kernel by execute_notebooks.py (nbclient), and checks that the runner
 * itself fails a notebook for each kind of problem it looks for.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';

import { REPO_ROOT } from '../helpers/paths';
import {
  installTestKernel,
  jupyterSkipReason,
  PYTHON,
  tempFolder,
  TestKernel,
} from './jupyter';

const RUNNER = path.join(
  REPO_ROOT,
  'test',
  'integration',
  'execute_notebooks.py',
);
const NOTEBOOKS = path.join(REPO_ROOT, 'notebooks');

/** Seconds a cell may take: tutorial cells train small models. */
const CELL_TIMEOUT_S = 600;

function findNotebooks(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ipynb') && !f.includes('.ipynb_checkpoints'))
    .map((f) => path.join(dir, f));
}

function runRunner(kernel: TestKernel, paths: string[], timeout = 120) {
  return spawnSync(
    PYTHON,
    [
      RUNNER,
      '--kernel',
      kernel.name,
      '--timeout',
      String(timeout),
      '--node',
      process.execPath,
      ...paths,
    ],
    { env: kernel.env, encoding: 'utf8' },
  );
}

/** An nbformat 4 notebook of code cells, for the kernel `kernel`. */
function writeNotebook(file: string, sources: string[]): string {
  const cells = sources.map((source, index) => ({
    id: `cell-${index}`,
    cell_type: 'code',
    execution_count: null,
    metadata: {},
    outputs: [],
    source,
  }));
  const metadata = {
    kernelspec: {
      name: 'subface',
      display_name: 'SubFace (TypeScript)',
      language: 'typescript',
    },
    language_info: { name: 'typescript' },
  };
  fs.writeFileSync(
    file,
    JSON.stringify({ cells, metadata, nbformat: 4, nbformat_minor: 5 }),
  );
  return file;
}

const skip = jupyterSkipReason();
const tutorials = findNotebooks(NOTEBOOKS);

describe('execute_notebooks.py', { skip: skip ?? false }, () => {
  let kernel: TestKernel;

  before(() => {
    kernel = installTestKernel();
  });

  it(
    'executes every notebook in notebooks/ without errors',
    { skip: tutorials.length === 0 ? 'no notebooks in notebooks/ yet' : false },
    () => {
      const result = runRunner(kernel, tutorials, CELL_TIMEOUT_S);
      assert.equal(result.status, 0, result.stdout + result.stderr);
      assert.match(
        result.stdout,
        new RegExp(`${tutorials.length} passed, 0 failed`),
      );
    },
  );

  it('passes a good notebook and fails each kind of problem', () => {
    const dir = tempFolder('runner');
    const good = writeNotebook(path.join(dir, 'good.ipynb'), [
      'const n: number = 21;',
      'console.log(n * 2);',
    ]);
    const thrown = writeNotebook(path.join(dir, 'thrown.ipynb'), [
      'throw new RangeError("bad range");',
    ]);
    const stderr = writeNotebook(path.join(dir, 'stderr.ipynb'), [
      'console.error("TypeError: something broke");',
    ]);
    const bundle = writeNotebook(path.join(dir, 'bundle.ipynb'), [
      'import { display } from "tslab";\n' +
        'display.raw("application/vnd.subface.training+json", { steps: "no" } as any);',
    ]);
    const result = runRunner(kernel, [good, thrown, stderr, bundle]);
    const out = result.stdout;
    assert.equal(result.status, 1, out + result.stderr);
    assert.match(out, /PASS \S*good\.ipynb/);
    assert.match(out, /FAIL \S*thrown\.ipynb[^]*RangeError: bad range/);
    assert.match(out, /FAIL \S*stderr\.ipynb[^]*error text on stderr/);
    assert.match(out, /FAIL \S*bundle\.ipynb[^]*no text\/plain fallback/);
    assert.match(out, /1 passed, 3 failed/);
  });

  it('reports a folder without notebooks as such (exit 3)', () => {
    const result = runRunner(kernel, [tempFolder('empty')]);
    assert.equal(result.status, 3, result.stdout + result.stderr);
    assert.match(result.stdout, /no notebooks found/);
  });
});
