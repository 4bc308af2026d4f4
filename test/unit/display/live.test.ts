import { strict as assert } from 'node:assert';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, it } from 'node:test';

import {
  checkPayload,
  liveTraining,
  SVG_MIME,
  TEXT_MIME,
  TRAINING_MIME,
  TrainingPayload,
} from '../../../kernels/subface/display';
import type { FitResult, StepLog } from '../../../kernels/subface/train';
import {
  captureStdout,
  installStandInKernel,
  SentMessage,
  StandInKernel,
} from './helpers';

function stepLog(step: number): StepLog {
  return {
    step,
    epoch: 0,
    loss: 5 / step,
    lastLoss: 5 / step,
    lr: 0.1,
    samplesPerSecond: 100,
    eta: 1000 - step,
    gradNorm: 1,
    totalSteps: 1000,
  };
}

function fitResult(step: number): FitResult {
  return {
    reason: 'completed',
    step,
    epoch: 0,
    stepsTaken: step,
    losses: [],
    checkpoint: null,
    seconds: 3,
  };
}

function payloadOf(message: SentMessage): TrainingPayload {
  return message.content.data[TRAINING_MIME] as TrainingPayload;
}

// The kernel here is a MOCK (installStandInKernel); the real one is
// exercised by the notebook integration tests.
describe('liveTraining in a (stand-in) kernel', () => {
  let kernel: StandInKernel;
  beforeEach(() => {
    kernel = installStandInKernel();
  });
  afterEach(() => kernel.remove());

  it('sends few updates for many steps, then the final one', async () => {
    const live = liveTraining({ title: 'subface', intervalMs: 60_000 });
    for (let step = 1; step <= 200; step++) await live.onStep?.(stepLog(step));
    assert.equal(kernel.messages.length, 1);
    await live.onEnd?.(fitResult(200));

    assert.equal(kernel.messages.length, 2);
    const [first, last] = kernel.messages;
    assert.equal(first.update, false);
    assert.equal(last.update, true);
    assert.equal(first.content.transient.display_id, live.displayId);
    assert.equal(last.content.transient.display_id, live.displayId);
    const payload = payloadOf(last);
    assert.equal(payload.done, true);
    assert.equal(payload.endReason, 'completed');
    assert.equal(payload.steps.length, 200);
    assert.equal(payload.run, 'subface');
    assert.deepEqual(checkPayload(TRAINING_MIME, payload), []);
    assert.match(last.content.data[TEXT_MIME] as string, /step 200\/1000/);
    assert.ok(last.content.data[SVG_MIME]);
  });

  it('updates at most every intervalMs', async () => {
    const intervalMs = 40;
    const live = liveTraining({ intervalMs });
    const start = performance.now();
    for (let step = 1; step <= 40; step++) {
      await live.onStep?.(stepLog(step));
      await sleep(2);
    }
    const elapsed = performance.now() - start;
    const sent = kernel.messages.length;
    assert.ok(sent >= 1);
    assert.ok(sent <= Math.ceil(elapsed / intervalMs) + 1, `${sent} updates`);
  });

  it('redraws the SVG on every svgEvery-th update and at the end', async () => {
    const live = liveTraining({ intervalMs: 0, svgEvery: 3 });
    for (let step = 1; step <= 5; step++) await live.onStep?.(stepLog(step));
    await live.onEnd?.(fitResult(5));
    const svgs = kernel.messages.map((m) => m.content.data[SVG_MIME]);
    assert.equal(svgs.length, 6);
    // Drawn at updates 0, 3 and the end; reused in between.
    assert.equal(svgs[1], svgs[0]);
    assert.equal(svgs[2], svgs[0]);
    assert.notEqual(svgs[3], svgs[2]);
    assert.equal(svgs[4], svgs[3]);
    assert.notEqual(svgs[5], svgs[4]);
  });

  it('records evaluation results at the evaluated step', async () => {
    const live = liveTraining({ intervalMs: 0 });
    await live.onStep?.(stepLog(10));
    await live.onEvaluate?.({ step: 10, epoch: 0, embed: () => null as never });
    await live.addEvaluation({ accuracy: 0.9, accuracyStd: 0.01, set: 'lfw' });
    await live.onEnd?.(fitResult(10));
    const payload = payloadOf(kernel.messages.at(-1) as SentMessage);
    assert.deepEqual(payload.evaluations, [
      { step: 10, accuracy: 0.9, accuracyStd: 0.01, set: 'lfw' },
    ]);
    assert.match(
      kernel.messages.at(-1)?.content.data[TEXT_MIME] as string,
      /eval lfw at step 10: acc 0\.90000 \+- 0\.01000/,
    );
  });

  it('sends nothing after the end; close() alone ends as closed', async () => {
    const ended = liveTraining({ intervalMs: 0 });
    await ended.onStep?.(stepLog(1));
    await ended.onEnd?.(fitResult(1));
    await ended.onStep?.(stepLog(2));
    await ended.close();
    assert.equal(kernel.messages.length, 2);

    const closed = liveTraining({ intervalMs: 0 });
    await closed.onStep?.(stepLog(1));
    await closed.close();
    const payload = payloadOf(kernel.messages.at(-1) as SentMessage);
    assert.equal(payload.done, true);
    assert.equal(payload.endReason, 'closed');
  });
  it('rejects the caller of a failed update; later ones still run', async () => {
    const live = liveTraining({ intervalMs: 0 });
    const file = Object.keys(require.cache).find((f) =>
      f.includes('subface-stand-in'),
    ) as string;
    const exports = require.cache[file]?.exports as {
      lastWriteDisplayData: (...args: unknown[]) => void;
    };
    const write = exports.lastWriteDisplayData;
    exports.lastWriteDisplayData = () => {
      throw new Error('socket closed');
    };
    await assert.rejects(live.onStep?.(stepLog(1)) as Promise<void>, /socket/);
    exports.lastWriteDisplayData = write;
    await live.onStep?.(stepLog(2));
    await live.onEnd?.(fitResult(2));
    assert.equal(kernel.messages.length, 2);
    assert.equal(payloadOf(kernel.messages[1]).done, true);
  });
});

describe('liveTraining outside a kernel', () => {
  it('prints only the final status, once', async () => {
    const live = liveTraining({ intervalMs: 0 });
    const { written } = await captureStdout(async () => {
      for (let step = 1; step <= 50; step++) {
        await live.onStep?.(stepLog(step));
      }
      await live.onEnd?.(fitResult(50));
    });
    assert.equal(written.length, 1);
    assert.match(written[0], /step 50\/1000 .*completed/);
    assert.equal(live.numUpdates, 1);
  });

  it('rejects a negative interval', () => {
    assert.throws(
      () => liveTraining({ intervalMs: -1 }),
      /intervalMs must be >= 0, but got -1/,
    );
  });
});
