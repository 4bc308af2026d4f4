import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';

import {
  ratioAtStep,
  resolveSubFaceConfig,
  SAMPLER_MODES,
  SubspaceBlock,
  SubspaceSampler,
} from '../../../kernels/subface/losses';

const DIM = 64;

function isSortedDistinct(dims: Int32Array, size: number): boolean {
  return dims.every(
    (dim, i) => dim >= 0 && dim < size && (i === 0 || dim > dims[i - 1]),
  );
}

function drawMany(
  sampler: SubspaceSampler,
  steps: number,
  ratio: number,
  batch = 8,
): SubspaceBlock[][] {
  return Array.from({ length: steps }, () => sampler.draw(batch, ratio));
}

function flatten(draws: SubspaceBlock[][]): number[][] {
  return draws.map((blocks) => blocks.flatMap((b) => Array.from(b.dims)));
}

describe('SubspaceSampler', () => {
  it("keeps exactly round(r * d) dims with 'exact'", () => {
    const sampler = new SubspaceSampler('exact', DIM, 1);
    for (const ratio of [0.1, 0.5, 0.8, 0.83, 1]) {
      const [block] = sampler.draw(8, ratio);
      assert.equal(block.dims.length, Math.round(ratio * DIM));
      assert.ok(isSortedDistinct(block.dims, DIM));
      assert.deepEqual([block.rowStart, block.rowEnd], [0, 8]);
    }
  });

  it("keeps r * d dims on average with 'bernoulli', never none", () => {
    const sampler = new SubspaceSampler('bernoulli', DIM, 2);
    const steps = 2000;
    const sizes = drawMany(sampler, steps, 0.3).map((b) => b[0].dims.length);
    const mean = sizes.reduce((a, b) => a + b, 0) / steps;
    // sd of the mean: sqrt(64 * 0.3 * 0.7 / 2000) = 0.082
    assert.ok(Math.abs(mean - 0.3 * DIM) < 0.4, `mean ${mean}`);
    const tiny = new SubspaceSampler('bernoulli', 2, 3);
    for (let i = 0; i < 200; i++) {
      assert.ok(tiny.draw(4, 0.05)[0].dims.length >= 1);
    }
  });

  it("gives 'partition' disjoint blocks that cover all dims and rows", () => {
    const sampler = new SubspaceSampler('partition', DIM, 4);
    for (const ratio of [0.5, 0.3, 0.8]) {
      const blocks = sampler.draw(10, ratio);
      assert.equal(blocks.length, Math.ceil(1 / ratio));
      const all = blocks
        .flatMap((b) => Array.from(b.dims))
        .sort((a, b) => a - b);
      assert.deepEqual(
        all,
        Array.from({ length: DIM }, (_, i) => i),
      );
      blocks.forEach((block, i) => {
        assert.ok(isSortedDistinct(block.dims, DIM));
        assert.equal(block.rowStart, i === 0 ? 0 : blocks[i - 1].rowEnd);
      });
      assert.equal(blocks[blocks.length - 1].rowEnd, 10);
    }
  });

  it("uses every dim once per cycle with 'cyclic'", () => {
    const sampler = new SubspaceSampler('cyclic', DIM, 5);
    const ratio = 0.3; // k = 19, cycles straddle steps
    const k = Math.round(ratio * DIM);
    const counts = new Array(DIM).fill(0);
    for (let step = 1; step <= 50; step++) {
      const [block] = sampler.draw(8, ratio);
      assert.equal(block.dims.length, k);
      assert.ok(isSortedDistinct(block.dims, DIM));
      block.dims.forEach((dim) => counts[dim]++);
      // After t steps every dim has been used floor or ceil of t*k/d times.
      assert.ok(Math.max(...counts) - Math.min(...counts) <= 1, `step ${step}`);
    }
    const first = new SubspaceSampler('cyclic', DIM, 6);
    const seen = new Set<number>();
    for (let i = 0; i < Math.floor(DIM / k); i++) {
      first.draw(8, ratio)[0].dims.forEach((dim) => {
        assert.ok(!seen.has(dim), 'a dim repeated inside one cycle');
        seen.add(dim);
      });
    }
  });

  it('gives the same draws for the same seed', () => {
    for (const mode of SAMPLER_MODES) {
      const a = flatten(drawMany(new SubspaceSampler(mode, DIM, 9), 5, 0.4));
      const b = flatten(drawMany(new SubspaceSampler(mode, DIM, 9), 5, 0.4));
      const c = flatten(drawMany(new SubspaceSampler(mode, DIM, 10), 5, 0.4));
      assert.deepEqual(a, b, mode);
      assert.notDeepEqual(a, c, mode);
    }
  });

  it('continues identically after a JSON state save and restore', () => {
    for (const mode of SAMPLER_MODES) {
      const sampler = new SubspaceSampler(mode, DIM, 11);
      drawMany(sampler, 3, 0.3);
      const saved = JSON.parse(JSON.stringify(sampler.getState()));
      const expected = flatten(drawMany(sampler, 6, 0.3));
      const restored = new SubspaceSampler(mode, DIM, 999);
      restored.setState(saved);
      assert.deepEqual(flatten(drawMany(restored, 6, 0.3)), expected, mode);
    }
  });

  it('rejects a state from another mode', () => {
    const state = new SubspaceSampler('exact', DIM, 1).getState();
    assert.throws(() => new SubspaceSampler('cyclic', DIM, 1).setState(state), {
      message: /state.mode must be 'cyclic', but got 'exact'/,
    });
  });
});

describe('SubFace config', () => {
  it('defaults to r = 0.8, exact sampler, gather, no mix', () => {
    const config = resolveSubFaceConfig();
    assert.equal(config.ratio, 0.8);
    assert.equal(config.sampler, 'exact');
    assert.equal(config.select, 'gather');
    assert.equal(config.lambda, 0);
  });

  it('rejects bad options with the valid choices', () => {
    assert.throws(() => resolveSubFaceConfig({ ratio: 0 }), {
      message: /ratio must be a finite number in \[5e-324, 1\], but got 0/,
    });
    assert.throws(
      () => resolveSubFaceConfig({ sampler: 'random' as 'exact' }),
      {
        message:
          /sampler must be one of 'exact', 'bernoulli', 'partition', 'cyclic'/,
      },
    );
    assert.throws(() => resolveSubFaceConfig({ select: 'slice' as 'mask' }));
    assert.throws(() => resolveSubFaceConfig({ lambda: 1.5 }));
    assert.throws(() => resolveSubFaceConfig({ schedule: 'linear' }), {
      message: /totalSteps must be an integer/,
    });
    assert.throws(() => resolveSubFaceConfig({ totalSteps: 10 }), {
      message: /totalSteps with schedule 'constant' must be left unset/,
    });
  });

  it('ramps r linearly to 1 with the linear schedule (extension)', () => {
    const config = resolveSubFaceConfig({
      ratio: 0.5,
      schedule: 'linear',
      totalSteps: 100,
      rampStart: 0.5,
    });
    assert.equal(ratioAtStep(config, 0), 0.5);
    assert.equal(ratioAtStep(config, 50), 0.5);
    assert.equal(ratioAtStep(config, 75), 0.75);
    assert.equal(ratioAtStep(config, 100), 1);
    assert.equal(ratioAtStep(config, 150), 1);
  });
});
