/**
 * Live training progress in notebooks: every `Trainer.fit` run from a
 * cell gets the display's `liveTraining()` callbacks (one output with
 * the loss curve, updated in place and throttled), unless the caller
 * passes `progress: false`.
 */
import type * as Live from '../subface/display/live';
import { setDefaultFitCallbacks } from '../subface/train/fit_defaults';

/**
 * Makes liveTraining() the default fit callbacks. The display code (and
 * its chart renderer) loads at the first fit, not at kernel start.
 */
export function installLiveProgress(): void {
  let live: typeof Live | null = null;
  setDefaultFitCallbacks(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    live ??= require('../subface/display/live') as typeof Live;
    return live.liveTraining();
  });
}
