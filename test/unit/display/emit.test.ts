import { strict as assert } from 'node:assert';
import * as os from 'node:os';
import * as path from 'node:path';
import { inspect } from 'node:util';
import { afterEach, before, beforeEach, describe, it } from 'node:test';

import * as tf from '@tensorflow/tfjs';

import * as sf from '../../../kernels/subface';
import {
  AGGREGATION_MIME,
  emitBundle,
  inKernel,
  PROJECTION_MIME,
  SVG_MIME,
  TEXT_MIME,
  TRAINING_MIME,
} from '../../../kernels/subface/display';
import { projectEmbeddings } from '../../../kernels/subface/eval';
import {
  aggregationFixture,
  trainingFixture,
  verificationFixture,
} from './fixtures';
import {
  captureStdout,
  clusters,
  installStandInKernel,
  StandInKernel,
} from './helpers';

// These tests talk to a MOCK kernel (installStandInKernel): the real
// tslab path is exercised by the notebook integration tests.
describe('show inside a (stand-in) tslab kernel', () => {
  let kernel: StandInKernel;
  beforeEach(() => {
    kernel = installStandInKernel();
  });
  afterEach(() => kernel.remove());

  it('sends one display_data holding the whole bundle', async () => {
    const { written } = await captureStdout(() =>
      sf.show.heatmap(aggregationFixture()),
    );
    assert.deepEqual(written, []);
    assert.equal(kernel.messages.length, 1);
    const [{ content, update }] = kernel.messages;
    assert.equal(update, false);
    assert.deepEqual(Object.keys(content.data).sort(), [
      AGGREGATION_MIME,
      SVG_MIME,
      TEXT_MIME,
    ]);
    // +json travels as an object (stored as JSON, not a string).
    const payload = content.data[AGGREGATION_MIME] as { schemaVersion: 1 };
    assert.equal(typeof payload, 'object');
    assert.equal(payload.schemaVersion, 1);
    assert.match(content.data[SVG_MIME] as string, /^<svg/);
    assert.deepEqual(content.transient, {});
  });

  it('replaces one output in place by display_id', async () => {
    const first = trainingFixture();
    await sf.show.curves(first, { displayId: 'run-1' });
    const later = { ...first, done: false };
    await sf.show.curves(later, { displayId: 'run-1', update: true });
    assert.deepEqual(
      kernel.messages.map((m) => [m.update, m.content.transient.display_id]),
      [
        [false, 'run-1'],
        [true, 'run-1'],
      ],
    );
    const payload = kernel.messages[1].content.data[TRAINING_MIME];
    assert.equal((payload as { done: boolean }).done, false);
  });

  it('base64-encodes binary values such as PNG', () => {
    const png = new Uint8Array([1, 2, 3]);
    emitBundle({ data: { 'image/png': png }, metadata: {} });
    assert.equal(kernel.messages[0].content.data['image/png'], 'AQID');
  });

  it('accepts the library projection objects and leaks no tensors', async () => {
    await tf.setBackend('cpu');
    const { embeddings, labels } = clusters(3, 10);
    const before = tf.memory().numTensors;
    const projection = await projectEmbeddings(embeddings, labels);
    await sf.show.projection(projection, { classNames: ['a', 'b', 'c'] });
    assert.equal(tf.memory().numTensors, before);
    const payload = kernel.messages[0].content.data[PROJECTION_MIME];
    assert.deepEqual((payload as { classNames: string[] }).classNames, [
      'a',
      'b',
      'c',
    ]);
  });
});

describe('findKernel', () => {
  before(() => assert.equal(inKernel(), false));

  it('finds the kernel through globalThis.__tslab__', () => {
    // A MOCK kernel at a path the require.cache scan does not match.
    const dist = path.join(os.tmpdir(), 'kernel-copy', 'dist');
    const messages: unknown[] = [];
    const publicExports = { display: {} };
    const jupyterExports = {
      lastWriteDisplayData: (content: unknown) => messages.push(content),
    };
    const entries = {
      [path.join(dist, 'public.js')]: publicExports,
      [path.join(dist, 'jupyter.js')]: jupyterExports,
    };
    for (const [file, exports] of Object.entries(entries)) {
      require.cache[file] = { exports } as unknown as NodeJS.Module;
    }
    const scope = globalThis as { __tslab__?: unknown };
    scope.__tslab__ = {
      require: (id: string) => (id === 'tslab' ? publicExports : undefined),
    };
    try {
      assert.equal(inKernel(), true);
      emitBundle({ data: { [TEXT_MIME]: 'hi' }, metadata: {} });
      assert.equal(messages.length, 1);
    } finally {
      delete scope.__tslab__;
      for (const file of Object.keys(entries)) delete require.cache[file];
    }
  });

  it('ignores a loaded tslab copy whose writer is not set', () => {
    const kernel = installStandInKernel();
    const file = Object.keys(require.cache).find((f) => f.includes('stand-in'));
    (
      require.cache[file as string]?.exports as Record<string, unknown>
    ).lastWriteDisplayData = null;
    try {
      assert.equal(inKernel(), false);
    } finally {
      kernel.remove();
    }
  });
});

describe('show outside a kernel', () => {
  it('prints the text/plain form once and returns the bundle', async () => {
    const { result, written } = await captureStdout(() =>
      sf.show.verification(verificationFixture()),
    );
    assert.equal(written.length, 1);
    assert.equal(written[0], `${result.data[TEXT_MIME]}\n`);
    assert.match(written[0], /acc 0\.90000 \+- 0\.10000/);
    assert.ok(result.data[SVG_MIME]);
  });

  it('logs the bundle as one short line, not the SVG', async () => {
    const { result } = await captureStdout(() =>
      sf.show.curves(trainingFixture()),
    );
    assert.match(
      inspect(result),
      /^MimeBundle \[application\/vnd\.subface\.training\+json, image\/svg\+xml, text\/plain\] \d+\.\d KB$/,
    );
    assert.ok(JSON.stringify(result).includes('"schemaVersion":1'));
  });

  it('rejects an update without a display id', () => {
    assert.throws(
      () => emitBundle({ data: {}, metadata: {} }, { update: true }),
      /update must come with a displayId/,
    );
  });
});
