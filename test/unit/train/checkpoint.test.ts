import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';

import * as tf from '@tensorflow/tfjs';

import { CpuResNet } from '../../../kernels/subface/backbones';
import { SubFaceHead } from '../../../kernels/subface/losses';
import {
  CheckpointError,
  FileWriter,
  LAST_GOOD_FILE,
  loadCheckpoint,
  NODE_FILE_WRITER,
  readLastGood,
  Trainer,
  TrainerParts,
  TrainerState,
  WEIGHTS_FILE,
} from '../../../kernels/subface/train';
import {
  disposeParts,
  EMBEDDING_DIM,
  INPUT_SIZE,
  removeFolder,
  setUpRuntime,
  tempFolder,
  TINY_CONFIG,
  tinyParts,
} from './helpers';

/** Every variable's bytes, by checkpoint name. */
function snapshot(trainer: Trainer): Map<string, Buffer> {
  return new Map(
    trainer.variables.map(({ name, variable }) => [
      name,
      Buffer.from((variable.dataSync() as Float32Array).buffer.slice(0)),
    ]),
  );
}

function slotBytes(trainer: Trainer): Map<string, Buffer> {
  const slots = trainer.optimizer.getSlots();
  const bytes = new Map<string, Buffer>();
  for (const [param, named] of Object.entries(slots.tensors)) {
    for (const [slot, tensor] of Object.entries(named)) {
      const values = tensor.dataSync() as Float32Array;
      bytes.set(`${param}:${slot}`, Buffer.from(values.buffer.slice(0)));
      tensor.dispose();
    }
  }
  return bytes;
}

/** A writer that fails on `failOn` after writing half of it. */
function failingWriter(failOn: string): FileWriter {
  return {
    async writeFile(filePath, data) {
      if (path.basename(filePath) === failOn) {
        const half = typeof data === 'string' ? data.slice(0, 10) : data;
        fs.writeFileSync(filePath, half.slice(0, 10));
        throw new Error('disk full (injected)');
      }
      await NODE_FILE_WRITER.writeFile(filePath, data);
    },
  };
}

describe('checkpoints', () => {
  let root: string;
  let parts: TrainerParts;
  let trainer: Trainer;
  let saved: string;

  before(async () => {
    await setUpRuntime();
    root = tempFolder('checkpoint');
    parts = tinyParts();
    trainer = new Trainer(parts);
    await trainer.fit({ steps: 3 });
    saved = await trainer.saveCheckpoint(path.join(root, 'C drive', 'ckpt'));
  });

  after(() => {
    trainer.dispose();
    disposeParts(parts);
    removeFolder(root);
  });

  it('round-trips weights, BN stats and slots bit-exactly', async () => {
    const other = tinyParts();
    const resumed = await Trainer.resume(saved, other);
    assert.deepEqual(snapshot(resumed), snapshot(trainer));
    assert.deepEqual(slotBytes(resumed), slotBytes(trainer));
    assert.equal(resumed.step, 3);
    assert.equal(resumed.optimizer.iterations, 3);
    assert.deepEqual(other.head.getState(), parts.head.getState());
    resumed.dispose();
    disposeParts(other);
  });

  it('records the run in manifest.json', async () => {
    const checkpoint = await loadCheckpoint<TrainerState>(saved);
    const state = checkpoint.manifest.state;
    assert.equal(state.step, 3);
    assert.equal(state.dataState.position, 24);
    assert.equal(state.config.batchSize, 8);
    assert.equal(state.runtime.backend, 'wasm');
    assert.equal(state.runtime.tfjsVersion, tf.version.tfjs);
    assert.equal(state.model.head.kind, 'SubFaceHead');
    assert.ok(state.headState.sampler !== null);
    const momentum = state.optimizer.slots.filter((s) => s.slot === 'momentum');
    assert.equal(momentum.length, trainer.params.length);
    assert.match(checkpoint.manifest.weights.sha256, /^[0-9a-f]{64}$/);
  });

  it('leaves the old checkpoint intact when a write fails', async () => {
    const before = fs.readFileSync(path.join(saved, WEIGHTS_FILE));
    const failingParts = tinyParts();
    const failing = new Trainer({
      ...failingParts,
      writer: failingWriter('manifest.json'),
    });
    await assert.rejects(
      failing.saveCheckpoint(saved),
      (e: Error) =>
        e instanceof CheckpointError &&
        /disk full \(injected\)/.test(e.message),
    );
    assert.deepEqual(fs.readFileSync(path.join(saved, WEIGHTS_FILE)), before);
    await loadCheckpoint(saved);
    const siblings = fs.readdirSync(path.dirname(saved));
    assert.deepEqual(siblings, ['ckpt']);
    failing.dispose();
    disposeParts(failingParts);
  });

  it('keeps the newest K and points last-good at the newest', async () => {
    const runDir = path.join(root, 'run');
    const local = tinyParts({
      ...TINY_CONFIG,
      checkpointDir: runDir,
      checkpointEvery: 1,
      keepCheckpoints: 2,
    });
    const run = new Trainer(local);
    const logs: string[] = [];
    await run.fit({
      steps: 4,
      callbacks: { onCheckpoint: (log) => void logs.push(log.reason) },
    });
    assert.deepEqual(logs, ['interval', 'interval', 'interval', 'interval']);
    assert.deepEqual(fs.readdirSync(runDir).sort(), [
      LAST_GOOD_FILE,
      'step-00000003',
      'step-00000004',
    ]);
    assert.deepEqual(await readLastGood(runDir), {
      checkpoint: 'step-00000004',
      step: 4,
    });
    run.dispose();
    disposeParts(local);
  });

  it('names a missing file, a damaged one and a wrong folder', async () => {
    const empty = path.join(root, 'empty');
    fs.mkdirSync(empty);
    await assert.rejects(
      Trainer.resume(empty, tinyParts()),
      /must hold manifest.json \(a checkpoint\) or last-good.json/,
    );
    const copy = path.join(root, 'copy');
    fs.cpSync(saved, copy, { recursive: true });
    const weights = path.join(copy, WEIGHTS_FILE);
    const bytes = fs.readFileSync(weights);
    bytes[100] ^= 1;
    fs.writeFileSync(weights, bytes);
    await assert.rejects(loadCheckpoint(copy), /sha256 of .* must be/);
    fs.rmSync(weights);
    await assert.rejects(
      loadCheckpoint(copy),
      /weights.bin must exist and be readable at .*, but got ENOENT/,
    );
  });

  it('names the variable and both shapes when a shape differs', async () => {
    const wider = {
      ...tinyParts(),
      backbone: new CpuResNet({
        inputSize: INPUT_SIZE,
        stemChannels: 12,
        stageChannels: [8, 16],
        embeddingDim: EMBEDDING_DIM,
      }),
    };
    await assert.rejects(
      Trainer.resume(saved, wider),
      (e: Error) =>
        e instanceof CheckpointError &&
        e.message ===
          "Trainer.resume: shape of 'backbone/stem/filter' must be " +
            '[3, 3, 3, 12] (this model), but got [3, 3, 3, 8] (the checkpoint)',
    );
  });

  it('rejects a model or data config that does not match', async () => {
    const more = {
      ...tinyParts(),
      head: new SubFaceHead({ numClasses: 10, embeddingDim: EMBEDDING_DIM }),
    };
    await assert.rejects(
      Trainer.resume(saved, more),
      /numClasses must be 8 \(the checkpoint's\), but got 10 \(this model\)/,
    );
    await assert.rejects(
      Trainer.resume(saved, tinyParts({ ...TINY_CONFIG, batchSize: 4 })),
      new RegExp(
        "config.batchSize must be 8 \\(the checkpoint's, so the data " +
          'order continues\\), but got 4',
      ),
    );
  });
});
