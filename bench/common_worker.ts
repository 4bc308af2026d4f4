/**
 * One data-parallel replica for the train_step benchmark (see
 * common_parallel.ts): its own wasm backend, the same initial weights as
 * every other replica, and its own slice of the batch.
 */
import { parentPort, workerData } from 'worker_threads';

import { initRuntime } from '../kernels/subface/runtime';
import { installFastGradients } from '../kernels/subface/runtime/fast_gradients';
import { StepConfig, TfjsStep } from './common_step';

export interface WorkerSetup {
  config: StepConfig;
  /** Which of `gradients` this replica writes. */
  index: number;
  /**
   * Every replica's gradients. Each replica writes its own on a
   * 'gradients' message and, on 'apply', averages them all (they are
   * complete by then) and applies the result.
   */
  gradients: SharedArrayBuffer[];
}

export type WorkerRequest = 'gradients' | 'apply' | 'stop';

function averageInto(average: Float32Array, all: Float32Array[]): void {
  average.set(all[0]);
  for (const gradients of all.slice(1)) {
    for (let i = 0; i < average.length; i++) average[i] += gradients[i];
  }
  const scale = 1 / all.length;
  for (let i = 0; i < average.length; i++) average[i] *= scale;
}

async function serve(): Promise<void> {
  const setup = workerData as WorkerSetup;
  const port = parentPort!;
  await initRuntime({ backend: 'wasm' });
  installFastGradients();
  const step = new TfjsStep(setup.config);
  const all = setup.gradients.map((buffer) => new Float32Array(buffer));
  const own = all[setup.index];
  const average = new Float32Array(own.length);
  port.on('message', (request: WorkerRequest) => {
    const start = performance.now();
    if (request === 'gradients') {
      const loss = step.gradients(own);
      port.postMessage({ loss, seconds: (performance.now() - start) / 1000 });
    } else if (request === 'apply') {
      averageInto(average, all);
      step.apply(average);
      port.postMessage({ seconds: (performance.now() - start) / 1000 });
    } else {
      step.dispose();
      port.close();
    }
  });
  port.postMessage({ ready: true, size: step.size });
}

serve().catch((error: unknown) => {
  parentPort!.postMessage({ error: String(error) });
});
