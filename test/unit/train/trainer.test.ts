import { strict as assert } from 'node:assert';
import { EventEmitter } from 'node:events';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';

import * as tf from '@tensorflow/tfjs';

import {
  consoleSink,
  createTrainer,
  installSigintHandler,
  loadCheckpoint,
  readLastGood,
  resolveTrainConfig,
  StepLog,
  TrainError,
  Trainer,
  TrainingDivergedError,
} from '../../../kernels/subface/train';
import {
  disposeParts,
  removeFolder,
  setUpRuntime,
  tempFolder,
  TINY_CONFIG,
  tinyParts,
  tinySource,
} from './helpers';

/** Same ops on the same backend: losses agree to float rounding. */
const LOSS_RTOL = 1e-5;

/** Steps before the interruption; 6 steps make an epoch, so the resumed
 * half crosses an epoch boundary. */
const HALF = 5;

function assertSameLosses(actual: number[], expected: number[]): void {
  assert.equal(actual.length, expected.length);
  expected.forEach((e, i) =>
    assert.ok(
      Math.abs(actual[i] - e) <= LOSS_RTOL * Math.abs(e),
      `step ${i}: ${actual[i]} vs ${e}`,
    ),
  );
}

/** The first `count` images of the tiny set as a normalised batch. */
async function firstImages(count: number): Promise<tf.Tensor4D> {
  const source = tinySource();
  const size = 32;
  const values = new Float32Array(count * size * size * 3);
  for (let i = 0; i < count; i++) {
    const image = await source.read(i * 6, { size });
    image.pixels.forEach((p, j) => {
      values[i * size * size * 3 + j] = (p / 255 - 0.5) / 0.5;
    });
  }
  return tf.tensor4d(values, [count, size, size, 3]);
}

describe('Trainer', () => {
  let root: string;

  before(async () => {
    await setUpRuntime();
    root = tempFolder('trainer');
  });

  after(() => removeFolder(root));

  it('gives the same losses resumed as uninterrupted', async () => {
    const whole = tinyParts();
    const uninterrupted = new Trainer(whole);
    const expected = (await uninterrupted.fit({ steps: 2 * HALF })).losses;
    uninterrupted.dispose();
    disposeParts(whole);

    const runDir = path.join(root, 'resume');
    const config = { ...TINY_CONFIG, checkpointDir: runDir };
    const first = tinyParts(config);
    const before = new Trainer(first);
    const head = await before.fit({ steps: HALF });
    assert.equal(head.checkpoint, path.join(runDir, 'step-00000005'));
    before.dispose();
    disposeParts(first);

    // New objects built from the config alone, as in a new process.
    const second = tinyParts(config);
    const resumed = await createTrainer({ ...second, resumeFrom: runDir });
    assert.equal(resumed.step, HALF);
    const logs: StepLog[] = [];
    const tail = await resumed.fit({
      steps: HALF,
      callbacks: { onStep: (log) => void logs.push(log) },
    });
    assertSameLosses([...head.losses, ...tail.losses], expected);
    assert.deepEqual(
      logs.map((l) => [l.step, l.epoch]),
      [
        [6, 0],
        [7, 1],
        [8, 1],
        [9, 1],
        [10, 1],
      ],
    );
    // The saved last loss is the one before the stop.
    const saved = await loadCheckpoint<{ lastLoss: number }>(
      path.join(runDir, 'step-00000005'),
    );
    assert.equal(saved.manifest.state.lastLoss, head.losses[HALF - 1]);
    resumed.dispose();
    disposeParts(second);
  });

  it('does not grow the tensor count over many steps', async () => {
    const parts = tinyParts();
    const trainer = new Trainer(parts);
    await trainer.fit({ steps: 1 });
    const before = tf.memory().numTensors;
    await trainer.fit({ steps: 8 });
    assert.equal(tf.memory().numTensors, before);
    trainer.dispose();
    disposeParts(parts);
  });

  it('stops on a NaN loss and keeps the last good checkpoint', async () => {
    const runDir = path.join(root, 'nan');
    const parts = tinyParts({
      ...TINY_CONFIG,
      checkpointDir: runDir,
      checkpointEvery: 1,
    });
    const head = parts.head;
    const loss = head.loss.bind(head);
    let calls = 0;
    head.loss = (embeddings, labels) => {
      calls += 1;
      const value = loss(embeddings, labels);
      return calls === 4 ? tf.mul(value, NaN) : value;
    };
    const trainer = new Trainer(parts);
    await assert.rejects(trainer.fit({ steps: 10 }), (e: Error) => {
      assert.ok(e instanceof TrainingDivergedError);
      assert.equal(e.details.step, 3);
      assert.match(e.message, /at step 3 \(epoch 0\)/);
      assert.match(e.message, /the update was not applied/);
      assert.equal(
        e.details.lastGoodCheckpoint,
        path.join(runDir, 'step-00000003'),
      );
      return true;
    });
    assert.equal(trainer.step, 3);
    assert.equal((await readLastGood(runDir))?.step, 3);

    // Weights and BN statistics are those of the last good checkpoint.
    const good = await loadCheckpoint(path.join(runDir, 'step-00000003'));
    for (const { name, variable } of trainer.variables) {
      const saved = good.arrays.get(name)?.values as Float32Array;
      assert.deepEqual(variable.dataSync(), saved, name);
    }
    assert.deepEqual(
      parts.head.getState(),
      (good.manifest.state as { headState: unknown }).headState,
    );
    trainer.dispose();
    disposeParts(parts);
  });

  it('stops at the next step boundary, with a checkpoint', async () => {
    const runDir = path.join(root, 'stop');
    const parts = tinyParts({ ...TINY_CONFIG, checkpointDir: runDir });
    const trainer = new Trainer(parts);
    const reasons: string[] = [];
    const result = await trainer.fit({
      steps: 20,
      callbacks: {
        onStep: (log) => {
          if (log.step === 2) trainer.requestStop();
        },
        onCheckpoint: (log) => void reasons.push(log.reason),
      },
    });
    assert.equal(result.reason, 'stopped');
    assert.equal(result.step, 2);
    assert.deepEqual(reasons, ['stop']);
    assert.equal((await readLastGood(runDir))?.step, 2);

    // The model is still usable in memory, and training can go on.
    const images = await firstImages(2);
    const embeddings = trainer.embed(images);
    assert.ok(embeddings.dataSync().every(Number.isFinite));
    const more = await trainer.fit({ steps: 1 });
    assert.equal(more.reason, 'completed');
    tf.dispose([images, embeddings]);
    trainer.dispose();
    disposeParts(parts);
  });

  it('stops when its AbortSignal is aborted', async () => {
    const parts = tinyParts();
    const trainer = new Trainer(parts);
    const controller = new AbortController();
    const result = await trainer.fit({
      steps: 20,
      signal: controller.signal,
      callbacks: { onStep: () => controller.abort() },
    });
    assert.deepEqual([result.reason, result.step], ['stopped', 1]);
    assert.equal(result.checkpoint, null);
    trainer.dispose();
    disposeParts(parts);
  });

  it('uses batch stats in training, moving ones in eval', async () => {
    const parts = tinyParts();
    const trainer = new Trainer(parts);
    const moving = () =>
      parts.backbone.nonTrainableWeights.map((v) => Array.from(v.dataSync()));
    const images = await firstImages(4);
    const pair = tf.slice(images, [0], [2]);

    const statsBefore = moving();
    const all = trainer.embed(images);
    const again = trainer.embed(images);
    const alone = trainer.embed(pair);
    assert.deepEqual(moving(), statsBefore);
    assert.deepEqual(all.dataSync(), again.dataSync());
    const firstTwo = tf.slice(all, [0], [2]);
    const difference = tf.max(tf.abs(tf.sub(firstTwo, alone)));
    assert.ok(difference.dataSync()[0] < 1e-5);

    await trainer.fit({ steps: 1 });
    assert.notDeepEqual(moving(), statsBefore);
    tf.dispose([images, pair, all, again, alone, firstTwo, difference]);
    trainer.dispose();
    disposeParts(parts);
  });

  it('reports epochs, evaluations and logs in a fixed key order', async () => {
    const parts = tinyParts({ ...TINY_CONFIG, logEvery: 3, evaluateEvery: 4 });
    const trainer = new Trainer(parts);
    const events: string[] = [];
    const lines: string[] = [];
    const sink = consoleSink((line) => lines.push(line));
    const result = await trainer.fit({
      epochs: 1,
      callbacks: {
        ...sink,
        onEpochEnd: (log) => void events.push(`epoch ${log.epoch}`),
        onEvaluate: ({ step, embed }) => {
          events.push(`evaluate ${step}`);
          assert.equal(typeof embed, 'function');
        },
        onEnd: (r) => void events.push(`end ${r.reason}`),
      },
    });
    assert.equal(result.step, 6);
    assert.equal(trainer.epoch, 1);
    assert.deepEqual(events, [
      'evaluate 4',
      'epoch 0',
      'evaluate 6',
      'end completed',
    ]);
    assert.equal(lines.length, 2);
    assert.match(
      lines[0],
      new RegExp(
        '^step 3/24  epoch 0  loss \\d+\\.\\d{4}  lr \\S+  ' +
          'samples/s \\d+\\.\\d  eta \\d+:\\d\\d  gradNorm \\S+$',
      ),
    );
    trainer.dispose();
    disposeParts(parts);
  });

  it('stops on the first SIGINT and lets the second through', () => {
    const target = new EventEmitter() as unknown as NodeJS.Process;
    let stops = 0;
    installSigintHandler({ requestStop: () => (stops += 1) }, target);
    assert.equal(target.listenerCount('SIGINT'), 1);
    target.emit('SIGINT');
    assert.equal(stops, 1);
    assert.equal(target.listenerCount('SIGINT'), 0);
  });

  it('rejects invalid configs with the valid options', () => {
    assert.throws(
      () => resolveTrainConfig({ optimizer: 'rmsprop' as 'sgd' }),
      (e: Error) =>
        e instanceof TrainError &&
        e.message ===
          "resolveTrainConfig: optimizer must be one of 'sgd', 'adam', " +
            "'adamw', but got 'rmsprop'",
    );
    assert.throws(
      () => resolveTrainConfig({ learningRate: 0.1 } as object),
      /option 'learningRate' must be one of batchSize, /,
    );
    assert.throws(
      () => new Trainer(tinyParts({ batchSize: 64 })),
      /Trainer: config.batchSize must be <= the source's 48 images, but got 64/,
    );
  });
});
