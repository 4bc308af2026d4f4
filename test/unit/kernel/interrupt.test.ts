import { strict as assert } from 'node:assert';
import { afterEach, describe, it } from 'node:test';

import { InterruptHandler } from '../../../kernels/tslab/interrupt';
import {
  fitInterrupted,
  trackRunningFit,
} from '../../../kernels/subface/train/fit_registry';

/** A stand-in for a running Trainer. */
function fakeFit() {
  const fit = { stops: 0, requestStop: () => void (fit.stops += 1) };
  return fit;
}

describe('InterruptHandler', () => {
  const untracks: (() => void)[] = [];
  let handler: InterruptHandler | null = null;

  function track(fit: ReturnType<typeof fakeFit>) {
    untracks.push(trackRunningFit(fit));
  }

  afterEach(() => {
    for (const untrack of untracks.splice(0)) untrack();
    handler?.close();
  });

  it('asks running fits to stop and lets the cell finish', async () => {
    let tslabInterrupts = 0;
    handler = new InterruptHandler(() => (tslabInterrupts += 1));
    const fit = fakeFit();
    track(fit);
    await handler.runCell(async () => {
      assert.equal(fitInterrupted(), false);
      assert.equal(handler?.interrupt(), 'fits');
      assert.equal(fit.stops, 1);
      assert.equal(tslabInterrupts, 0);
      // Code that goes on in the interrupted cell may not start fits.
      await Promise.resolve();
      assert.equal(fitInterrupted(), true);
    });
  });

  it("falls back to tslab's interrupt on a second SIGINT", async () => {
    let tslabInterrupts = 0;
    handler = new InterruptHandler(() => (tslabInterrupts += 1));
    track(fakeFit());
    await handler.runCell(async () => {
      handler?.interrupt();
      assert.equal(handler?.interrupt(), 'cell');
      assert.equal(tslabInterrupts, 1);
    });
  });

  it("uses tslab's interrupt when no fit is running", async () => {
    let tslabInterrupts = 0;
    handler = new InterruptHandler(() => (tslabInterrupts += 1));
    await handler.runCell(async () => {
      assert.equal(handler?.interrupt(), 'cell');
    });
    assert.equal(tslabInterrupts, 1);
  });

  it('marks only the interrupted cell', async () => {
    handler = new InterruptHandler(() => undefined);
    await handler.runCell(async () => handler?.interrupt());
    await handler.runCell(async () => {
      assert.equal(fitInterrupted(), false);
    });
  });

  it('stops background fits when the kernel is idle', () => {
    let tslabInterrupts = 0;
    handler = new InterruptHandler(() => (tslabInterrupts += 1));
    const fit = fakeFit();
    track(fit);
    assert.equal(handler.interrupt(), 'idle');
    assert.equal(fit.stops, 1);
    assert.equal(tslabInterrupts, 0);
  });
});
