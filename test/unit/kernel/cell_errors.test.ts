import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';

import type { Diagnostic } from 'tslab/dist/converter';

import {
  DIAGNOSTIC_FORMAT,
  diagnosticsError,
  formatDiagnostic,
  thrownError,
  TYPE_ERROR_NAME,
} from '../../../kernels/tslab/cell_errors';
import { ErrorRecorder } from '../../../kernels/tslab/error_recorder';

function diagnostic(
  line: number,
  character: number,
  length: number,
  messageText: string,
  code = 2322,
): Diagnostic {
  return {
    start: { offset: 0, line, character },
    end: { offset: 0, line, character: character + length },
    messageText,
    category: 1,
    code,
  };
}

const SOURCE = 'const a = 1;\nconst x: number = "no";';
const MISMATCH = diagnostic(
  1,
  6,
  1,
  "Type 'string' is not assignable to type 'number'.",
);

describe('diagnosticsError', () => {
  it('names the line, column and code, as tsc does', () => {
    assert.equal(
      formatDiagnostic(MISMATCH),
      "2:7 - error TS2322: Type 'string' is not assignable to type 'number'.",
    );
  });

  it('shows the cell line with carets under the span', () => {
    const error = diagnosticsError([MISMATCH], SOURCE);
    assert.equal(error.ename, TYPE_ERROR_NAME);
    assert.deepEqual(error.traceback, [
      formatDiagnostic(MISMATCH),
      '    const x: number = "no";',
      '          ^',
    ]);
  });

  it('counts the further diagnostics in evalue', () => {
    const other = diagnostic(0, 0, 5, "Cannot find name 'y'.", 2304);
    const error = diagnosticsError([MISMATCH, other], SOURCE);
    assert.match(error.evalue, /^2:7 - error TS2322: .* \(\+1 more\)$/);
    assert.equal(error.traceback.length, 6);
  });

  it('names the file of a diagnostic outside the cell, without excerpt', () => {
    const elsewhere = { ...MISMATCH, fileName: 'lib.ts' };
    assert.deepEqual(diagnosticsError([elsewhere], SOURCE).traceback, [
      "lib.ts 2:7 - error TS2322: Type 'string' is not assignable to type 'number'.",
    ]);
  });
});

describe('thrownError', () => {
  it('keeps name, message and stack, without kernel frames', () => {
    const error = new RangeError('too far');
    error.stack = [
      'evalmachine.<anonymous>:2',
      'throw new RangeError("too far");',
      '^',
      '',
      'RangeError: too far',
      '    at explode (evalmachine.<anonymous>:2:7)',
      '    at Object.execute (/x/node_modules/tslab/dist/executor.js:1:1)',
      '    at Script.runInThisContext (node:vm:135:14)',
      '    at /lib/subface/train/trainer.js:10:3',
    ].join('\n');
    assert.deepEqual(thrownError(error, ['/x/node_modules/tslab/dist']), {
      ename: 'RangeError',
      evalue: 'too far',
      traceback: [
        'RangeError: too far',
        '    at explode (evalmachine.<anonymous>:2:7)',
        '    at /lib/subface/train/trainer.js:10:3',
      ],
    });
  });

  it('keeps the name of library errors and appends causes', () => {
    class TrainError extends Error {
      override name = 'TrainError';
    }
    const cause = new Error('disk full');
    const error = new TrainError('checkpoint failed', { cause });
    const report = thrownError(error);
    assert.equal(report.ename, 'TrainError');
    assert.ok(report.traceback.includes('Caused by: Error: disk full'));
  });

  it('shows a thrown non-error as Node inspects it', () => {
    assert.deepEqual(thrownError('plain'), {
      ename: 'Uncaught',
      evalue: "'plain'",
      traceback: ["Uncaught 'plain'"],
    });
  });
});

describe('ErrorRecorder', () => {
  it('turns the diagnostics of a failed cell into its error', () => {
    const recorder = new ErrorRecorder([]);
    recorder.begin();
    recorder.noteDiagnostics([MISMATCH]);
    recorder.console.error(DIAGNOSTIC_FORMAT, '', 2, 7, MISMATCH.messageText);
    const report = recorder.finish(false, SOURCE);
    assert.equal(report.error?.ename, TYPE_ERROR_NAME);
    assert.equal(report.stderr, '');
  });

  it('turns the printed throw of a failed cell into its error', () => {
    const recorder = new ErrorRecorder([]);
    recorder.begin();
    recorder.noteDiagnostics([]);
    recorder.console.error(new TypeError('boom'));
    const report = recorder.finish(false, 'x');
    assert.equal(report.error?.ename, 'TypeError');
    assert.equal(report.error?.evalue, 'boom');
  });

  it('passes on what a successful cell printed', () => {
    const recorder = new ErrorRecorder([]);
    recorder.begin();
    recorder.console.error(DIAGNOSTIC_FORMAT, 'mod.ts ', 1, 1, 'warning');
    assert.deepEqual(recorder.finish(true, 'x'), {
      error: null,
      stderr: 'mod.ts 1:1 - warning\n',
    });
  });

  it('forgets the previous cell', () => {
    const recorder = new ErrorRecorder([]);
    recorder.begin();
    recorder.noteDiagnostics([MISMATCH]);
    recorder.begin();
    recorder.console.error(new Error('second'));
    assert.equal(recorder.finish(false, 'x').error?.evalue, 'second');
  });
});
