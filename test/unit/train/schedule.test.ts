import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';

import {
  learningRateAt,
  resolveSchedule,
  TrainError,
} from '../../../kernels/subface/train';

/** Float64 on both sides (reference_values.py). */
const TOL = 1e-12;

function assertRates(
  schedule: ReturnType<typeof resolveSchedule>,
  steps: number[],
  expected: number[],
): void {
  steps.forEach((step, i) => {
    const lr = learningRateAt(schedule, step);
    assert.ok(Math.abs(lr - expected[i]) < TOL, `step ${step}: ${lr}`);
  });
}

describe('learning-rate schedules', () => {
  it('decays linearly to 0 at totalSteps (InsightFace defaults)', () => {
    const schedule = resolveSchedule({}, 0.1, 100, 10);
    assertRates(
      schedule,
      [0, 1, 50, 99, 100, 150],
      [0.1, 0.099, 0.05, 0.001, 0, 0],
    );
  });

  it('warms up linearly, then decays with the given power', () => {
    const schedule = resolveSchedule(
      { warmupEpochs: 1, power: 2 },
      0.1,
      110,
      10,
    );
    assert.equal(schedule.warmupSteps, 10);
    assertRates(
      schedule,
      [0, 4, 9, 10, 60, 109],
      [0.01, 0.05, 0.1, 0.1, 0.025, 1e-5],
    );
  });

  it('multiplies by gamma at each milestone epoch and step', () => {
    // CASIA recipe of the 2021 config: x0.1 at epochs 20, 28, 32.
    const schedule = resolveSchedule(
      { kind: 'step', milestoneEpochs: [20, 28], milestones: [320] },
      0.1,
      340,
      10,
    );
    assert.deepEqual(schedule.milestones, [200, 280, 320]);
    assertRates(
      schedule,
      [0, 199, 200, 279, 280, 319, 320],
      [0.1, 0.1, 0.01, 0.01, 0.001, 0.001, 0.0001],
    );
  });

  it('keeps a constant rate after warmup', () => {
    const schedule = resolveSchedule(
      { kind: 'constant', warmupSteps: 4 },
      0.2,
      10,
      5,
    );
    assertRates(schedule, [0, 3, 4, 9, 50], [0.05, 0.2, 0.2, 0.2, 0.2]);
  });

  it('rejects unknown kinds and keys, and warmup past the end', () => {
    assert.throws(
      () => resolveSchedule({ kind: 'cosine' as 'step' }, 0.1, 10, 1),
      (e: Error) =>
        e instanceof TrainError &&
        e.message.endsWith(
          "kind must be one of 'polynomial', 'step', 'constant', but " +
            "got 'cosine'",
        ),
    );
    assert.throws(
      () => resolveSchedule({ warmup: 3 } as object, 0.1, 10, 1),
      /option must be one of/,
    );
    assert.throws(
      () => resolveSchedule({ warmupSteps: 10 }, 0.1, 10, 1),
      /warmup must be shorter than 10 steps, but got 10/,
    );
  });
});
