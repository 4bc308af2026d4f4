/**
 * Data-parallel training steps on several wasm backends at once, one per
 * worker thread: wasm runs one thread per backend in Node, so this is how
 * tfjs uses the second core here.
 *
 * Each replica computes the gradients of its slice of the batch into
 * shared memory; once all are done, every replica averages them (in
 * parallel) and applies the same update, so the weights stay identical.
 *
 * Porting note: batch norm uses each replica's own slice statistics
 * (PyTorch DDP without SyncBN does the same), so the step is not
 * bit-for-bit the single-process one.
 */
import * as path from 'path';
import { Worker } from 'worker_threads';

import { StepConfig } from './common_step';
import { WorkerRequest, WorkerSetup } from './common_worker';

interface Reply {
  ready?: boolean;
  size?: number;
  loss?: number;
  /** Time the replica spent on the request. */
  seconds?: number;
  error?: string;
}

function nextReply(worker: Worker): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    worker.once('error', onError);
    worker.once('message', (reply: Reply) => {
      worker.off('error', onError);
      if (reply.error !== undefined) reject(new Error(reply.error));
      else resolve(reply);
    });
  });
}

/** Where the time of the last step went, in seconds. */
export interface StepBreakdown {
  /** Slowest replica's forward and backward. */
  gradients: number;
  /** Slowest replica's averaging and update. */
  apply: number;
  total: number;
}

export class DataParallelStep {
  lastStep: StepBreakdown | null = null;

  private constructor(private readonly workers: Worker[]) {}

  /**
   * Starts `workers` replicas, each with `batch / workers` images.
   * `numParams` must be the number of trainable scalars of the model.
   */
  static async start(
    config: StepConfig,
    workers: number,
    numParams: number,
  ): Promise<DataParallelStep> {
    if (!Number.isInteger(config.batch / workers)) {
      throw new Error(
        `DataParallelStep: batch must be a multiple of workers (${workers})` +
          `, but got ${config.batch}`,
      );
    }
    const bytes = numParams * Float32Array.BYTES_PER_ELEMENT;
    const gradients = Array.from(
      { length: workers },
      () => new SharedArrayBuffer(bytes),
    );
    const replicas = gradients.map((_, index) => {
      const setup: WorkerSetup = {
        config: {
          ...config,
          batch: config.batch / workers,
          dataSeed: config.dataSeed + 100 * index,
        },
        index,
        gradients,
      };
      return new Worker(path.join(__dirname, 'common_worker.js'), {
        workerData: setup,
      });
    });
    const ready = await Promise.all(replicas.map((w) => nextReply(w)));
    for (const reply of ready) {
      if (reply.size !== numParams) {
        throw new Error(
          `DataParallelStep: replicas must hold ${numParams} parameters, ` +
            `but one holds ${reply.size}`,
        );
      }
    }
    return new DataParallelStep(replicas);
  }

  private async all(request: WorkerRequest): Promise<Reply[]> {
    const replies = this.workers.map((w) => nextReply(w));
    for (const worker of this.workers) worker.postMessage(request);
    return Promise.all(replies);
  }

  /** One step: gradients on every replica, then the averaged update. */
  async run(): Promise<number> {
    const start = performance.now();
    const replies = await this.all('gradients');
    const applied = await this.all('apply');
    const slowest = (rs: Reply[]) => Math.max(...rs.map((r) => r.seconds ?? 0));
    this.lastStep = {
      gradients: slowest(replies),
      apply: slowest(applied),
      total: (performance.now() - start) / 1000,
    };
    const losses = replies.map((r) => r.loss ?? 0);
    return losses.reduce((a, b) => a + b, 0) / losses.length;
  }

  /** Seconds per step of `steps` steps after `warmup` untimed ones. */
  async time(warmup: number, steps: number): Promise<number[]> {
    for (let i = 0; i < warmup; i++) await this.run();
    const times: number[] = [];
    for (let i = 0; i < steps; i++) {
      const start = performance.now();
      await this.run();
      times.push((performance.now() - start) / 1000);
    }
    return times;
  }

  async stop(): Promise<void> {
    for (const worker of this.workers) worker.postMessage('stop');
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
