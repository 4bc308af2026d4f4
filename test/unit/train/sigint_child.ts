/**
 * The child process of sigint.test.ts: a tiny training run that sends
 * itself SIGINT after step 3 and prints one JSON line per event. It only
 * runs with SUBFACE_SIGINT_CHILD set, so the test runner, which loads
 * every file under test/, finds nothing to do here.
 */
import * as tf from '@tensorflow/tfjs';

import { installSigintHandler, Trainer } from '../../../kernels/subface/train';
import { disposeParts, setUpRuntime, TINY_CONFIG, tinyParts } from './helpers';

/** The step after which the child interrupts itself. */
export const SIGINT_AFTER_STEP = 3;

function print(event: object): void {
  process.stdout.write(JSON.stringify(event) + '\n');
}

async function main(runDir: string): Promise<void> {
  await setUpRuntime();
  const parts = tinyParts({ ...TINY_CONFIG, checkpointDir: runDir });
  const trainer = new Trainer(parts);
  const uninstall = installSigintHandler(trainer);
  const result = await trainer.fit({
    steps: 1000,
    callbacks: {
      onStep: ({ step, loss }) => {
        print({ event: 'step', step, loss });
        if (step === SIGINT_AFTER_STEP) process.kill(process.pid, 'SIGINT');
      },
      onCheckpoint: ({ path, reason, step }) =>
        print({ event: 'checkpoint', path, reason, step }),
    },
  });
  uninstall();

  // The model in memory still evaluates after the stop.
  const images = tf.randomNormal<tf.Rank.R4>(
    [2, 32, 32, 3],
    0,
    1,
    'float32',
    1,
  );
  const embeddings = trainer.embed(images);
  const finite = Array.from(embeddings.dataSync()).every(Number.isFinite);
  tf.dispose([images, embeddings]);
  print({ event: 'end', reason: result.reason, step: result.step, finite });
  trainer.dispose();
  disposeParts(parts);
}

const runDir = process.env.SUBFACE_SIGINT_CHILD;
if (runDir !== undefined && runDir !== '') {
  main(runDir).catch((error) => {
    process.stderr.write(String(error?.stack ?? error) + '\n');
    process.exitCode = 1;
  });
}
