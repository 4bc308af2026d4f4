/**
 * The SubFace kernel through real Jupyter (jupyter_client), started from
 * its installed kernelspec in a folder outside the project: the banner,
 * imports that resolve and type-check, and errors as Jupyter errors.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { before, describe, it } from 'node:test';

import { TYPE_ERROR_NAME } from '../../kernels/tslab/cell_errors';
import { TRAINING_MIME } from '../../kernels/subface/display/contract';
import { REPO_ROOT } from '../helpers/paths';
import { trainingFixture } from '../unit/display/fixtures';
import {
  CellResult,
  errorsOf,
  installTestKernel,
  jupyterSkipReason,
  printedJson,
  PYTHON,
  runSession,
  SessionReport,
  streamText,
  tempFolder,
  TestKernel,
} from './jupyter';

const CELLS = [
  '1 + 1',
  [
    'import * as sf from "subface";',
    'import * as tf from "@tensorflow/tfjs";',
    'const t: tf.Tensor2D = tf.tensor2d([[1, 2, 3]]);',
    'console.log(JSON.stringify({ backend: tf.getBackend(),',
    '  shape: t.shape, cwd: process.cwd(),',
    '  trainer: typeof sf.createTrainer }));',
  ].join('\n'),
  'const faces = sf.createSyntheticFaces({ numIdentities: "eight" });',
  [
    'function explode(): never {',
    '  throw new RangeError("out of range: 42");',
    '}',
    'explode();',
  ].join('\n'),
  'await new Promise((_, reject) => setTimeout(() => reject(new TypeError("late boom")), 10));',
  'sf.resolveTrainConfig({ batchSize: -1 });',
  'console.log("still alive");',
  `await sf.show.curves(${JSON.stringify(trainingFixture())} as any)`,
];

const skip = jupyterSkipReason();

describe('the SubFace kernel in Jupyter', { skip: skip ?? false }, () => {
  let kernel: TestKernel;
  let notebookDir: string;
  let report: SessionReport;
  let cells: CellResult[];

  before(async () => {
    kernel = installTestKernel();
    notebookDir = tempFolder('notebook');
    report = await runSession(
      kernel,
      notebookDir,
      CELLS.map((code) => ({ code })),
    );
    cells = report.cells;
  });

  it('is found by jupyter_client under its kernelspec name', () => {
    const script =
      'from jupyter_client.kernelspec import KernelSpecManager as M\n' +
      'import json, sys\n' +
      'spec = M().get_kernel_spec(sys.argv[1])\n' +
      'print(json.dumps({"name": spec.display_name, "argv": spec.argv}))';
    const result = spawnSync(PYTHON, ['-c', script, kernel.name], {
      env: kernel.env,
      encoding: 'utf8',
    });
    assert.equal(result.status, 0, result.stderr);
    const spec = JSON.parse(result.stdout);
    assert.equal(spec.name, 'SubFace (TypeScript)');
    assert.equal(spec.argv[0], process.execPath);
  });

  it('shows the runtime banner as the first output of the first cell', () => {
    const first = cells[0].outputs.filter(
      (o) => o.msg_type !== 'execute_input',
    )[0];
    assert.equal(first.msg_type, 'display_data');
    const data = first.content.data as Record<string, string>;
    assert.match(
      data['text/plain'],
      /^SubFace runtime: (cuda|tensorflow|wasm|cpu) \(/,
    );
    assert.equal(streamText(cells[0]), '2\n');
    const later = cells.slice(1).flatMap((c) => c.outputs);
    assert.ok(
      !later.some((o) =>
        JSON.stringify(o.content).includes('SubFace runtime:'),
      ),
    );
  });

  it('sends execute_input with the execution count', () => {
    const inputs = cells.map((c) =>
      c.outputs.find((o) => o.msg_type === 'execute_input'),
    );
    assert.deepEqual(
      inputs.map((o) => o?.content.execution_count),
      CELLS.map((_, i) => i + 1),
    );
  });

  it('resolves and type-checks subface and tfjs from a folder outside the project', () => {
    assert.equal(cells[1].reply.status, 'ok', JSON.stringify(cells[1]));
    const printed = printedJson(cells[1]);
    assert.deepEqual(printed.shape, [1, 3]);
    assert.equal(printed.trainer, 'function');
    assert.equal(printed.cwd, notebookDir);
    assert.ok(!notebookDir.startsWith(REPO_ROOT));
  });

  it('reports a type error against subface types as a Jupyter error', () => {
    const [error] = errorsOf(cells[2]);
    assert.equal(cells[2].reply.status, 'error');
    assert.equal(error.ename, TYPE_ERROR_NAME);
    assert.match(
      String(error.evalue),
      /^1:\d+ - error TS2322: Type 'string' is not assignable to type 'number'/,
    );
    assert.equal(cells[2].reply.ename, TYPE_ERROR_NAME);
  });

  it('reports a thrown error with its name, message and stack', () => {
    const [error] = errorsOf(cells[3]);
    assert.equal(error.ename, 'RangeError');
    assert.equal(error.evalue, 'out of range: 42');
    const traceback = error.traceback as string[];
    assert.equal(traceback[0], 'RangeError: out of range: 42');
    assert.ok(
      traceback.some((line) => /at explode/.test(line)),
      traceback.join('\n'),
    );
    assert.ok(!traceback.some((line) => /tslab[\\/]dist|node:/.test(line)));
    assert.deepEqual(cells[3].reply.traceback, traceback);
  });

  it('reports an asynchronous rejection the same way', () => {
    const [error] = errorsOf(cells[4]);
    assert.equal(error.ename, 'TypeError');
    assert.equal(error.evalue, 'late boom');
    assert.match((error.traceback as string[])[0], /^TypeError: late boom/);
  });

  it("keeps the library's own error names", () => {
    const [error] = errorsOf(cells[5]);
    assert.equal(error.ename, 'TrainError');
    assert.match(String(error.evalue), /batchSize/);
  });

  it('shows a plot once, without echoing the returned bundle as text', () => {
    const cell = cells[7];
    assert.equal(cell.reply.status, 'ok', JSON.stringify(cell));
    const shown = cell.outputs.filter((o) => o.msg_type === 'display_data');
    assert.equal(shown.length, 1);
    assert.ok(TRAINING_MIME in (shown[0].content.data as object));
    assert.equal(streamText(cell), '');
  });

  it('stays responsive after errors', () => {
    assert.equal(cells[6].reply.status, 'ok');
    assert.equal(streamText(cells[6]), 'still alive\n');
    assert.ok(report.alive);
  });
});
