/**
 * The trainer's hooks for the notebook kernel: default callbacks,
 * the registry of running fits, and refusing fits in interrupted code.
 */
import { strict as assert } from 'node:assert';
import { after, afterEach, before, describe, it } from 'node:test';

import * as tf from '@tensorflow/tfjs';

import {
  Trainer,
  TrainCallbacks,
  TrainerParts,
} from '../../../kernels/subface/train';
import { combineCallbacks } from '../../../kernels/subface/train/callbacks';
import {
  DefaultFitContext,
  setDefaultFitCallbacks,
} from '../../../kernels/subface/train/fit_defaults';
import {
  FitInterruptedError,
  runningFitCount,
  setFitInterruptCheck,
  stopRunningFits,
} from '../../../kernels/subface/train/fit_registry';
import { disposeParts, setUpRuntime, tinyParts } from '../train/helpers';

describe('fit hooks', () => {
  let parts: TrainerParts;
  let trainer: Trainer;

  before(async () => {
    await setUpRuntime();
    parts = tinyParts();
    trainer = new Trainer(parts);
  });

  afterEach(() => {
    setDefaultFitCallbacks(null);
    setFitInterruptCheck(null);
  });

  after(() => {
    trainer.dispose();
    disposeParts(parts);
  });

  it("combines the default callbacks with the caller's and closes them", async () => {
    const events: string[] = [];
    const contexts: DefaultFitContext[] = [];
    setDefaultFitCallbacks((context) => {
      contexts.push(context);
      return {
        onStep: (log) => void events.push(`default step ${log.step}`),
        onEnd: (result) => void events.push(`default end ${result.reason}`),
        close: () => void events.push('default close'),
      };
    });
    const start = trainer.step;
    await trainer.fit({
      steps: 2,
      callbacks: { onStep: (log) => void events.push(`own step ${log.step}`) },
    });
    assert.deepEqual(events, [
      `own step ${start + 1}`,
      `default step ${start + 1}`,
      `own step ${start + 2}`,
      `default step ${start + 2}`,
      'default end completed',
      'default close',
    ]);
    assert.deepEqual(contexts, [
      {
        step: start,
        totalSteps: trainer.totalSteps,
        steps: 2,
        epochs: undefined,
      },
    ]);
  });

  it('leaves the defaults out with progress: false', async () => {
    let made = 0;
    setDefaultFitCallbacks(() => {
      made += 1;
      return {};
    });
    await trainer.fit({ steps: 1, progress: false });
    assert.equal(made, 0);
  });

  it('closes the defaults when the fit fails, and keeps its error', async () => {
    let closed = false;
    setDefaultFitCallbacks(() => ({ close: () => void (closed = true) }));
    await assert.rejects(
      trainer.fit({
        steps: 1,
        callbacks: {
          onStep: () => {
            throw new Error('sink broke');
          },
        },
      }),
      { message: 'sink broke' },
    );
    assert.ok(closed);
  });

  it('registers a running fit, and stopRunningFits stops it at a step boundary', async () => {
    assert.equal(runningFitCount(), 0);
    let counted = -1;
    const result = await trainer.fit({
      steps: 1000,
      progress: false,
      callbacks: {
        onStep: (log) => {
          counted = runningFitCount();
          if (log.step >= trainer.step) stopRunningFits();
        },
      },
    });
    assert.equal(counted, 1);
    assert.equal(result.reason, 'stopped');
    assert.equal(result.stepsTaken, 1);
    assert.equal(runningFitCount(), 0);
    assert.equal(trainer.stopPending, false);
  });

  it('refuses to start in interrupted code, keeping the trainer usable', async () => {
    let interrupted = true;
    setFitInterruptCheck(() => interrupted);
    const step = trainer.step;
    await assert.rejects(trainer.fit({ steps: 1 }), (error: Error) => {
      assert.ok(error instanceof FitInterruptedError);
      assert.equal(error.name, 'FitInterruptedError');
      assert.match(
        error.message,
        new RegExp(`keeps its state \\(step ${step}\\)`),
      );
      return true;
    });
    interrupted = false;
    const result = await trainer.fit({ steps: 1, progress: false });
    assert.equal(result.stepsTaken, 1);
  });

  it('does not leak tensors through the hooks', async () => {
    setDefaultFitCallbacks(() => ({ onStep: () => undefined }));
    await trainer.fit({ steps: 1 });
    const before = tf.memory().numTensors;
    await trainer.fit({ steps: 2 });
    assert.equal(tf.memory().numTensors, before);
  });
});

describe('combineCallbacks', () => {
  it('calls every sink in order, as methods', async () => {
    const calls: string[] = [];
    class Sink implements TrainCallbacks {
      constructor(private readonly name: string) {}
      onEnd() {
        calls.push(this.name);
      }
    }
    const combined = combineCallbacks(new Sink('a'), {}, new Sink('b'));
    await combined.onEnd?.({} as never);
    assert.deepEqual(calls, ['a', 'b']);
  });

  it('has only the callbacks some sink has', () => {
    const combined = combineCallbacks({ onStep: () => undefined }, {});
    assert.deepEqual(Object.keys(combined), ['onStep']);
  });
});
