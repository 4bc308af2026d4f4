/**
 * CellRunner with a stand-in executor: what a client receives for good
 * and failed cells, the banner, and the queue after an error.
 */
import { strict as assert } from 'node:assert';
import { afterEach, describe, it } from 'node:test';

import type * as Executor from 'tslab/dist/executor';

import {
  CellIo,
  CellRunner,
  ExecuteRequest,
  Streams,
} from '../../../kernels/tslab/cell_runner';
import { ErrorRecorder } from '../../../kernels/tslab/error_recorder';
import { InterruptHandler } from '../../../kernels/tslab/interrupt';
import { loadTslab } from '../../../kernels/tslab/tslab_internals';

const tslab = loadTslab();

/** Cells whose source names what they do: 'ok', 'throw', 'print'. */
function fakeExecutor(recorder: ErrorRecorder, streams: Streams) {
  return {
    execute: async (code: string) => {
      if (code === 'throw') {
        recorder.console.error(new TypeError('bad cell'));
        return false;
      }
      if (code === 'print') streams.stdout.write('hello\n');
      return true;
    },
    interrupt: () => undefined,
  } as unknown as Executor.Executor;
}

interface Sent {
  type: string;
  content: Record<string, unknown>;
}

function recordingIo(sent: Sent[]): CellIo {
  return {
    publish: (type, content) =>
      void sent.push({ type, content: { ...content } }),
    stream: (name, text) =>
      void sent.push({ type: 'stream', content: { name, text } }),
    display: (data) =>
      void sent.push({ type: 'display_data', content: { ...data } }),
  };
}

function setUp() {
  const recorder = new ErrorRecorder([]);
  const streams = {
    stdout: { write: (() => true) as Streams['stdout']['write'] },
    stderr: { write: (() => true) as Streams['stderr']['write'] },
  };
  const interrupts = new InterruptHandler(() => undefined);
  const runner = new CellRunner({
    executor: fakeExecutor(recorder, streams),
    jupyter: { ...tslab.jupyter },
    util: tslab.util,
    recorder,
    interrupts,
    banner: Promise.resolve('SubFace runtime: test'),
    streams,
  });
  return { runner, interrupts };
}

const request = (code: string, extra: Partial<ExecuteRequest> = {}) => ({
  code,
  ...extra,
});

describe('CellRunner', () => {
  let interrupts: InterruptHandler | null = null;

  afterEach(() => interrupts?.close());

  it('sends execute_input, the banner once, then the output', async () => {
    const parts = setUp();
    interrupts = parts.interrupts;
    const sent: Sent[] = [];
    assert.deepEqual(
      await parts.runner.execute(request('print'), recordingIo(sent)),
      {
        status: 'ok',
        execution_count: 1,
      },
    );
    await parts.runner.execute(request('print'), recordingIo(sent));
    assert.deepEqual(
      sent.map((m) => m.type),
      ['execute_input', 'display_data', 'stream', 'execute_input', 'stream'],
    );
    assert.deepEqual(sent[1].content.data, {
      'text/plain': 'SubFace runtime: test',
    });
    assert.deepEqual(sent[3].content, { code: 'print', execution_count: 2 });
  });

  it('answers a failed cell with an error message and reply', async () => {
    const parts = setUp();
    interrupts = parts.interrupts;
    const sent: Sent[] = [];
    const reply = await parts.runner.execute(
      request('throw'),
      recordingIo(sent),
    );
    const error = sent.find((m) => m.type === 'error')?.content;
    assert.equal(error?.ename, 'TypeError');
    assert.equal(error?.evalue, 'bad cell');
    assert.deepEqual(reply, { status: 'error', execution_count: 1, ...error });
  });

  it('aborts requests queued behind a failed cell', async () => {
    const parts = setUp();
    interrupts = parts.interrupts;
    const io = recordingIo([]);
    const failed = parts.runner.execute(request('throw'), io);
    const queued = parts.runner.execute(request('ok'), io);
    assert.equal((await failed).status, 'error');
    assert.deepEqual(await queued, { status: 'abort' });
  });

  it('runs queued requests when stop_on_error is false', async () => {
    const parts = setUp();
    interrupts = parts.interrupts;
    const io = recordingIo([]);
    const failed = parts.runner.execute(
      request('throw', { stop_on_error: false }),
      io,
    );
    const queued = parts.runner.execute(request('ok'), io);
    assert.equal((await failed).status, 'error');
    assert.deepEqual(await queued, { status: 'ok', execution_count: 2 });
  });
});
