/**
 * How a training run shows its progress: one bar that updates in place
 * on a terminal (step/total, loss, lr, images/s, eta), or plain
 * `consoleSink` lines when the output is a file, a pipe or --json.
 */
import { MultiBar, SingleBar } from 'cli-progress';

import { consoleSink, formatDuration, TrainCallbacks } from '../train/logs';

export interface ProgressSink {
  callbacks: TrainCallbacks;
  /** Prints a line without breaking the bar. */
  log(line: string): void;
  /** Removes the bar (call once the run is over). */
  stop(): void;
}

const BAR_FORMAT =
  'step {value}/{total} [{bar}] loss {loss}  lr {lr}  img/s {speed}  ' +
  'eta {eta}';

/** Bar on a terminal, lines elsewhere. */
export function createProgressSink(
  write: (line: string) => void,
  options: { bar: boolean; startStep: number; totalSteps: number },
): ProgressSink {
  if (!options.bar) {
    return { callbacks: consoleSink(write), log: write, stop: () => {} };
  }
  const bars = new MultiBar({
    format: BAR_FORMAT,
    hideCursor: true,
    clearOnComplete: false,
    stream: process.stderr,
  });
  const payload = { loss: '-', lr: '-', speed: '-', eta: '-' };
  const bar: SingleBar = bars.create(
    options.totalSteps,
    options.startStep,
    payload,
  );
  const log = (line: string) => bars.log(line + '\n');
  return {
    callbacks: {
      onStep: (step) =>
        bar.update(step.step, {
          loss: step.loss.toFixed(4),
          lr: step.lr.toExponential(2),
          speed: step.samplesPerSecond.toFixed(1),
          eta: formatDuration(step.eta),
        }),
      onCheckpoint: (c) => log(`checkpoint ${c.path} (${c.reason})`),
    },
    log,
    stop: () => bars.stop(),
  };
}
