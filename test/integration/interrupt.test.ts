/**
 * A kernel interrupt during training, through real Jupyter: the fit
 * stops at a step boundary, the cell ends (nothing keeps training in the
 * background), and the next cell goes on with the same trainer, model,
 * class centres and optimizer.
 */
import { strict as assert } from 'node:assert';
import { before, describe, it } from 'node:test';

import {
  CellResult,
  errorsOf,
  installTestKernel,
  jupyterSkipReason,
  printedJson,
  runSession,
  SessionReport,
  streamText,
  tempFolder,
} from './jupyter';

/** A tiny model on tiny synthetic data: steps of a few tens of ms. */
const SETUP = `
import * as sf from "subface";
import * as tf from "@tensorflow/tfjs";
const faces = sf.createSyntheticFaces({ numIdentities: 8,
  imagesPerIdentity: 6, size: 32, seed: 5, difficulty: "easy" });
const backbone = sf.createBackbone("cpu_resnet", { inputSize: 32,
  stemChannels: 8, stageChannels: [8, 16], embeddingDim: 16, seed: 11 });
const head = new sf.SubFaceHead({ numClasses: 8, embeddingDim: 16,
  margin: { kind: "cosface", scale: 16, margin: 0.2 },
  subface: { ratio: 0.5 }, seed: 13 });
const trainer = await sf.createTrainer({ backbone, head, source: faces,
  config: { batchSize: 8, numEpochs: 1000, lr: 0.05, logEvery: 1,
    evaluateEvery: 0, prefetch: 1 } });
const rounds: sf.FitResult[] = [];
let spins = 0;
console.log("ready");`;

/** Many short fits in an async loop, as a notebook might train. */
const LOOP = `
for (let round = 0; round < 100000; round++) {
  rounds.push(await trainer.fit({ steps: 4, progress: false }));
}`;

/** Is anything still training after the cell ended? */
const CHECK = `
const stepAtCheck = trainer.step;
await new Promise((resolve) => setTimeout(resolve, 1500));
console.log(JSON.stringify({ rounds: rounds.length,
  reasons: [...new Set(rounds.map((r) => r.reason))],
  last: rounds[rounds.length - 1].reason, stepAtCheck,
  stepLater: trainer.step, stopPending: trainer.stopPending }));`;

/** One more step and embeddings, with the same objects. */
const CONTINUE = `
const more = await trainer.fit({ steps: 2, progress: false });
const emb = trainer.embed(tf.zeros([2, 32, 32, 3]));
const centers = await head.centers.classCenters.data();
console.log(JSON.stringify({ reason: more.reason, taken: more.stepsTaken,
  step: trainer.step, shape: emb.shape,
  finite: [...(await emb.data()), ...centers].every(Number.isFinite) }));`;

/** One long fit with live progress, interrupted. */
const LONG_FIT = 'const long = await trainer.fit({ steps: 100000 });';
const LONG_RESULT =
  'console.log(JSON.stringify({ reason: long.reason, taken: long.stepsTaken }));';

const SPIN = 'while (true) { spins++; }';

const skip = jupyterSkipReason();

describe(
  'interrupting training in the SubFace kernel',
  { skip: skip ?? false },
  () => {
    let report: SessionReport;
    let cells: CellResult[];

    before(async () => {
      report = await runSession(installTestKernel(), tempFolder('interrupt'), [
        { code: SETUP },
        { code: LOOP, interrupt_after: 5 },
        { code: CHECK },
        { code: CONTINUE },
        { code: LONG_FIT, interrupt_after: 4 },
        { code: LONG_RESULT },
        { code: SPIN, interrupt_after: 2 },
        { code: 'console.log(spins > 0)' },
      ]);
      cells = report.cells;
    });

    it('ends a loop of fits with FitInterruptedError soon after SIGINT', () => {
      assert.equal(streamText(cells[0]).trim(), 'ready');
      const [error] = errorsOf(cells[1]);
      assert.equal(
        error?.ename,
        'FitInterruptedError',
        JSON.stringify(cells[1]),
      );
      assert.ok((cells[1].reply_after_interrupt ?? Infinity) < 10);
    });

    it('stops the running fit at a step boundary, with nothing left running', () => {
      const check = printedJson(cells[2]);
      assert.equal(check.last, 'stopped');
      assert.deepEqual(check.reasons, ['completed', 'stopped']);
      assert.equal(check.stepLater, check.stepAtCheck);
      assert.equal(check.stopPending, false);
    });

    it('goes on training the same model in the next cell', () => {
      assert.equal(cells[3].reply.status, 'ok', JSON.stringify(cells[3]));
      const next = printedJson(cells[3]);
      const before = printedJson(cells[2]).stepLater as number;
      assert.deepEqual(next, {
        reason: 'completed',
        taken: 2,
        step: before + 2,
        shape: [2, 16],
        finite: true,
      });
    });

    it('resolves a single interrupted fit with reason stopped', () => {
      assert.equal(cells[4].reply.status, 'ok', JSON.stringify(cells[4]));
      const long = printedJson(cells[5]);
      assert.equal(long.reason, 'stopped');
      assert.ok((long.taken as number) > 0);
    });

    it('still stops a synchronous loop, and the kernel stays responsive', () => {
      assert.equal(cells[6].reply.status, 'error');
      assert.equal(streamText(cells[7]), 'true\n');
      assert.ok(report.alive);
    });
  },
);
