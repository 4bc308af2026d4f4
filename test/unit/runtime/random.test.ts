import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';

import { SeededRandom } from '../../../kernels/subface/runtime/random';

describe('SeededRandom', () => {
  it('gives the same sequence for the same seed', () => {
    const a = new SeededRandom(7);
    const b = new SeededRandom(7);
    const drawsA = Array.from({ length: 20 }, () => a.nextUint32());
    const drawsB = Array.from({ length: 20 }, () => b.nextUint32());
    assert.deepEqual(drawsA, drawsB);
    assert.notDeepEqual(
      drawsA,
      Array.from({ length: 20 }, () => new SeededRandom(8).nextUint32()),
    );
  });

  it('continues exactly from a saved state', () => {
    const random = new SeededRandom(123);
    random.normal();
    random.permutation(10);
    const saved = JSON.parse(JSON.stringify(random.getState()));
    const expected = [random.normal(), random.next(), random.int(1000)];
    const restored = SeededRandom.fromState(saved);
    assert.deepEqual(
      [restored.normal(), restored.next(), restored.int(1000)],
      expected,
    );
  });

  it('draws uniform doubles in [0, 1) with mean near 1/2', () => {
    const random = new SeededRandom(1);
    let sum = 0;
    const count = 100000;
    for (let i = 0; i < count; i++) {
      const x = random.next();
      assert.ok(x >= 0 && x < 1);
      sum += x;
    }
    // Standard error of the mean is 1 / sqrt(12 * count) ~ 0.0009.
    assert.ok(Math.abs(sum / count - 0.5) < 0.005);
  });

  it('draws normal deviates with the requested mean and std', () => {
    const random = new SeededRandom(2);
    const count = 100000;
    const values = Array.from({ length: count }, () => random.normal(3, 2));
    const mean = values.reduce((a, b) => a + b, 0) / count;
    const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / count;
    assert.ok(Math.abs(mean - 3) < 0.03);
    assert.ok(Math.abs(Math.sqrt(variance) - 2) < 0.03);
  });

  it('makes permutations that hold every index once', () => {
    const order = new SeededRandom(3).permutation(1000);
    assert.deepEqual(
      Array.from(order).sort((a, b) => a - b),
      Array.from({ length: 1000 }, (_, i) => i),
    );
  });

  it('samples k distinct sorted values without replacement', () => {
    const random = new SeededRandom(4);
    const picked = random.sampleWithoutReplacement(100000, 500);
    assert.equal(picked.length, 500);
    assert.equal(new Set(picked).size, 500);
    for (let i = 1; i < picked.length; i++) {
      assert.ok(picked[i] > picked[i - 1]);
    }
    assert.ok(picked[0] >= 0 && picked[picked.length - 1] < 100000);
    assert.equal(random.sampleWithoutReplacement(5, 5).join(), '0,1,2,3,4');
  });

  it('samples every value equally often', () => {
    const random = new SeededRandom(5);
    const counts = new Array(10).fill(0);
    for (let i = 0; i < 20000; i++) {
      for (const v of random.sampleWithoutReplacement(10, 3)) counts[v]++;
    }
    // Each value is expected 6000 times; binomial std is about 65.
    for (const c of counts) assert.ok(Math.abs(c - 6000) < 400, `${c}`);
  });

  it('rejects bad arguments with a message naming them', () => {
    assert.throws(() => new SeededRandom(1.5), /seed must be an integer/);
    assert.throws(
      () => new SeededRandom(1).sampleWithoutReplacement(3, 4),
      /k must be <= n \(3\), but got 4/,
    );
    assert.throws(() => new SeededRandom(1).int(0), /maxExclusive/);
  });

  it('derives independent streams by label', () => {
    const base = new SeededRandom(9);
    const a = base.derive('sampler').nextUint32();
    base.next();
    assert.equal(base.derive('sampler').nextUint32(), a);
    assert.notEqual(base.derive('partialFc').nextUint32(), a);
  });
});
