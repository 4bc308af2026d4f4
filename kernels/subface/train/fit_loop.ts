/**
 * One call of `Trainer.fit`: the loop over steps and what happens
 * between them (logs, epoch ends, checkpoints, evaluation, stop checks).
 * Stop requests are honoured only between steps, so a stopped run's
 * checkpoint holds a whole number of steps and the model stays usable.
 */
import { performance } from 'node:perf_hooks';

import type { BatchStream } from '../data/pipeline/batches';
import { fail, TrainingDivergedError } from './errors';
import { CheckpointLog, FitEndReason, FitResult, TrainCallbacks } from './logs';
import { trainStep } from './train_step';
import type { FitOptions, Trainer } from './trainer';

/**
 * Lets pending events (a SIGINT handler, an abort) run before the next
 * step: setImmediate fires after the event loop's I/O phase, where Node
 * delivers signals.
 */
function yieldToEvents(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Running sums of loss and time since a mark. */
class Meter {
  steps = 0;
  lossSum = 0;
  start = performance.now();

  add(loss: number): void {
    this.steps += 1;
    this.lossSum += loss;
  }

  mean(): number {
    return this.steps === 0 ? NaN : this.lossSum / this.steps;
  }

  seconds(): number {
    return (performance.now() - this.start) / 1000;
  }

  reset(): void {
    this.steps = 0;
    this.lossSum = 0;
    this.start = performance.now();
  }
}

export class FitLoop {
  private readonly callbacks: TrainCallbacks;
  private readonly startStep: number;
  private readonly startEpoch: number;
  private readonly losses: number[] = [];
  private checkpointStep = -1;
  private evaluatedStep = -1;
  /** Of the last step taken, for the next log. */
  private lastGradNorm = NaN;
  private lastLr = NaN;

  constructor(
    private readonly trainer: Trainer,
    private readonly stream: BatchStream,
    private readonly options: FitOptions,
  ) {
    this.callbacks = options.callbacks ?? {};
    this.startStep = trainer.step;
    this.startEpoch = trainer.epoch;
  }

  async run(): Promise<FitResult> {
    const { trainer, callbacks } = this;
    const total = new Meter();
    const interval = new Meter();
    const epoch = new Meter();
    let reason: FitEndReason = 'completed';

    for (;;) {
      await yieldToEvents();
      if (trainer.stopPending || this.options.signal?.aborted) {
        reason = 'stopped';
        break;
      }
      if (this.finished()) break;

      const { loss, epochEnded, batchEpoch } = await this.step();
      for (const meter of [total, interval, epoch]) meter.add(loss);
      if (trainer.step % trainer.config.logEvery === 0) {
        await this.log(interval, loss, batchEpoch);
      }
      if (epochEnded) {
        await callbacks.onEpochEnd?.({
          epoch: batchEpoch,
          step: trainer.step,
          loss: epoch.mean(),
          seconds: epoch.seconds(),
        });
        epoch.reset();
      }
      await this.maybeCheckpoint(epochEnded);
      const every = trainer.config.evaluateEvery;
      if (every > 0 && trainer.step % every === 0) await this.evaluate();
    }

    if (trainer.config.checkpointDir !== null) {
      await this.checkpoint(reason === 'stopped' ? 'stop' : 'end');
    }
    if (this.losses.length > 0) await this.evaluate();
    const result: FitResult = {
      reason,
      step: trainer.step,
      epoch: trainer.epoch,
      stepsTaken: this.losses.length,
      losses: this.losses,
      checkpoint: trainer.lastCheckpoint,
      seconds: total.seconds(),
    };
    await callbacks.onEnd?.(result);
    return result;
  }

  private finished(): boolean {
    const { trainer } = this;
    const { steps, epochs } = this.options;
    if (steps !== undefined) return trainer.step >= this.startStep + steps;
    if (epochs !== undefined) return trainer.epoch >= this.startEpoch + epochs;
    return trainer.step >= trainer.totalSteps;
  }

  /** Trains on the next batch; throws when the guard refuses it. */
  private async step(): Promise<{
    loss: number;
    batchEpoch: number;
    epochEnded: boolean;
  }> {
    const { trainer } = this;
    const next = await this.stream.next();
    if (next.done) {
      fail('Trainer.fit', 'the batch stream', 'open', 'closed (disposed?)');
    }
    const batch = next.value;
    const lr = trainer.learningRate();
    let outcome;
    try {
      outcome = trainStep(trainer.stepContext, batch.images, batch.labels, lr);
    } finally {
      batch.dispose();
    }
    if (!outcome.applied) {
      throw new TrainingDivergedError({
        step: trainer.step,
        epoch: batch.epoch,
        loss: outcome.loss,
        gradNorm: outcome.gradNorm,
        lastGoodCheckpoint: trainer.lastCheckpoint,
      });
    }
    trainer.recordStep(outcome.loss);
    this.losses.push(outcome.loss);
    this.lastGradNorm = outcome.gradNorm;
    this.lastLr = lr;
    return {
      loss: outcome.loss,
      batchEpoch: batch.epoch,
      epochEnded: this.stream.getState().epoch > batch.epoch,
    };
  }

  private async log(interval: Meter, loss: number, epoch: number) {
    const { trainer } = this;
    const seconds = interval.seconds();
    const perStep = seconds / Math.max(interval.steps, 1);
    await this.callbacks.onStep?.({
      step: trainer.step,
      epoch,
      loss: interval.mean(),
      lastLoss: loss,
      lr: this.lastLr,
      samplesPerSecond:
        (interval.steps * trainer.config.batchSize) / Math.max(seconds, 1e-9),
      eta: Math.max(0, trainer.totalSteps - trainer.step) * perStep,
      gradNorm: this.lastGradNorm,
      totalSteps: trainer.totalSteps,
    });
    interval.reset();
  }

  private async maybeCheckpoint(epochEnded: boolean): Promise<void> {
    const { config, step } = this.trainer;
    if (config.checkpointDir === null) return;
    if (epochEnded && config.checkpointEachEpoch) {
      await this.checkpoint('epoch');
    } else if (
      config.checkpointEvery > 0 &&
      step % config.checkpointEvery === 0
    ) {
      await this.checkpoint('interval');
    }
  }

  private async checkpoint(reason: CheckpointLog['reason']): Promise<void> {
    const { trainer } = this;
    if (this.checkpointStep === trainer.step) return;
    const folder = await trainer.saveCheckpoint();
    this.checkpointStep = trainer.step;
    await this.callbacks.onCheckpoint?.({
      path: folder,
      step: trainer.step,
      epoch: trainer.epoch,
      reason,
    });
  }

  private async evaluate(): Promise<void> {
    const { trainer } = this;
    const onEvaluate = this.callbacks.onEvaluate;
    if (onEvaluate === undefined || this.evaluatedStep === trainer.step) {
      return;
    }
    this.evaluatedStep = trainer.step;
    await onEvaluate({
      step: trainer.step,
      epoch: trainer.epoch,
      embed: trainer.embed,
    });
  }
}
