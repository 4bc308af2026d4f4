import { strict as assert } from 'node:assert';
import { before, describe, it } from 'node:test';

import * as tf from '@tensorflow/tfjs';

import {
  LossError,
  marginBranch,
  resolveMarginConfig,
  targetLogit,
} from '../../../kernels/subface/losses';
import { assertClose, assertFinite, TABLE_TOL, useCpu } from './helpers';

/** docs/method.md, "Margin": the m = 0.5 table. */
const TABLE_COS = [-0.999, -0.95, 0, 0.5, 1];
const TABLE_THRESHOLD = [-1.2387, -1.1897, -0.4794, 0.0236, 0.8776];
const TABLE_EASY = [-0.999, -0.95, 0, 0.0236, 0.8776];

function phi(config: object, cosines: number[]): number[] {
  const margin = resolveMarginConfig(config);
  return tf.tidy(() =>
    Array.from(targetLogit(tf.tensor1d(cosines), margin).dataSync()),
  );
}

describe('margin configs', () => {
  it('defaults to ArcFace with m = 0.5 and s = 64', () => {
    const margin = resolveMarginConfig();
    assert.equal(margin.kind, 'arcface');
    assert.equal(margin.scale, 64);
    assert.deepEqual([margin.m1, margin.m2, margin.m3], [1, 0.5, 0]);
  });

  it('defaults CosFace to m = 0.35', () => {
    assert.equal(resolveMarginConfig({ kind: 'cosface' }).m3, 0.35);
  });

  it('rejects an unknown kind and lists the valid ones', () => {
    assert.throws(
      () => resolveMarginConfig({ kind: 'sphereface' as 'arcface' }),
      (error: Error) =>
        error instanceof LossError &&
        new RegExp(
          "kind must be one of 'softmax', 'normface', 'cosface', " +
            "'arcface', 'combined', but got 'sphereface'",
        ).test(error.message),
    );
  });

  it('rejects parameters the kind would ignore', () => {
    assert.throws(() => resolveMarginConfig({ kind: 'softmax', scale: 30 }), {
      message: /scale with kind 'softmax' must be left unset, but got 30/,
    });
    assert.throws(() => resolveMarginConfig({ kind: 'normface', margin: 1 }));
    assert.throws(() => resolveMarginConfig({ kind: 'arcface', m3: 0.1 }));
    assert.throws(() => resolveMarginConfig({ kind: 'combined', margin: 1 }));
    assert.throws(() => resolveMarginConfig({ kind: 'cosface', m2: 0.1 }));
  });

  it('rejects easyMargin unless the margin is pure ArcFace', () => {
    assert.throws(
      () =>
        resolveMarginConfig({
          kind: 'combined',
          m2: 0.3,
          m3: 0.2,
          easyMargin: true,
        }),
      { message: /easyMargin must be false unless/ },
    );
    assert.throws(() =>
      resolveMarginConfig({ kind: 'cosface', easyMargin: true }),
    );
  });

  it('rejects out-of-range margins and typos', () => {
    assert.throws(
      () => resolveMarginConfig({ kind: 'arcface', margin: -0.1 }),
      {
        message: /margin must be a finite number in \[0, /,
      },
    );
    assert.throws(() => resolveMarginConfig({ kind: 'combined', m1: 0.5 }), {
      message: /m1 must be a finite number in \[1, 16\]/,
    });
    assert.throws(() => resolveMarginConfig({ kind: 'arcface', margin: 2 }));
    assert.throws(
      () => resolveMarginConfig({ kind: 'arcface', scal: 3 } as object),
      { message: /option 'scal' must be one of/ },
    );
  });

  it('keeps m2 and m3 together as the true combined formula', () => {
    const margin = resolveMarginConfig({ kind: 'combined', m2: 0.3, m3: 0.2 });
    assert.equal(marginBranch(margin), 'threshold');
    const [value] = phi({ kind: 'combined', m2: 0.3, m3: 0.2 }, [0.6]);
    const expected = Math.cos(Math.acos(0.6) + 0.3) - 0.2;
    assertClose([value], [expected], 0, 1e-6, 'cos(theta + m2) - m3');
  });
});

describe('targetLogit', () => {
  before(useCpu);

  it('matches the docs/method.md table with the threshold fallback', () => {
    const values = phi({ kind: 'arcface', margin: 0.5 }, TABLE_COS);
    assertClose(values, TABLE_THRESHOLD, 0, TABLE_TOL, 'threshold');
  });

  it('uses the fallback only for the two most negative cosines', () => {
    // th = cos(pi - 0.5) = -0.87758: -0.999 and -0.95 fall below it.
    const values = phi({ kind: 'arcface' }, TABLE_COS);
    const withMargin = TABLE_COS.map((c) => Math.cos(Math.acos(c) + 0.5));
    assert.ok(Math.abs(values[0] - withMargin[0]) > 0.3);
    assert.ok(Math.abs(values[1] - withMargin[1]) > 0.2);
    assertClose(values.slice(2), withMargin.slice(2), 0, 1e-6, 'plain');
  });

  it('matches the docs/method.md table with easyMargin', () => {
    const values = phi({ kind: 'arcface', easyMargin: true }, TABLE_COS);
    assertClose(values, TABLE_EASY, 0, TABLE_TOL, 'easy margin');
  });

  it('subtracts m3 exactly for CosFace', () => {
    const values = phi({ kind: 'cosface', margin: 0.35 }, TABLE_COS);
    assertClose(
      values,
      TABLE_COS.map((c) => c - 0.35),
      0,
      1e-7,
      'cosface',
    );
  });

  it('is monotone in theta over [0, pi] (all but easyMargin)', () => {
    const cosines = Array.from({ length: 2001 }, (_, i) =>
      Math.cos((Math.PI * i) / 2000),
    );
    const configs = [
      // easyMargin jumps back up at theta = pi/2 by its definition.
      { kind: 'arcface' },
      { kind: 'cosface' },
      { kind: 'combined', m2: 0.3, m3: 0.2 },
      { kind: 'combined', m1: 1.35 },
      { kind: 'combined', m1: 4 },
      { kind: 'combined', m1: 2, m2: 0.2, m3: 0.1 },
    ];
    for (const config of configs) {
      const values = phi(config, cosines);
      for (let i = 1; i < values.length; i++) {
        assert.ok(
          values[i] <= values[i - 1] + 1e-6,
          `${JSON.stringify(config)} rises at theta = ${(Math.PI * i) / 2000}`,
        );
      }
    }
  });

  it('is continuous for m1 != 1 (SphereFace-style psi)', () => {
    const cosines = Array.from({ length: 4001 }, (_, i) =>
      Math.cos((Math.PI * i) / 4000),
    );
    const values = phi({ kind: 'combined', m1: 3, m2: 0.1 }, cosines);
    for (let i = 1; i < values.length; i++) {
      assert.ok(Math.abs(values[i] - values[i - 1]) < 0.02, `jump at ${i}`);
    }
    assertFinite(values, 'psi');
  });
});
