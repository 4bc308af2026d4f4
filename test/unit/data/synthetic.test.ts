import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';

import {
  createSyntheticFaces,
  createSyntheticVerificationSet,
  resolveSyntheticFacesConfig,
  SYNTHETIC_PRESETS,
} from '../../../kernels/subface/data/synthetic';
import { DataError, DecodedImage } from '../../../kernels/subface/data/types';

const SMALL = { numIdentities: 8, imagesPerIdentity: 6, seed: 3 };

function meanAbsDifference(p: Uint8Array, q: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < p.length; i++) sum += Math.abs(p[i] - q[i]);
  return sum / p.length;
}

describe('createSyntheticFaces', () => {
  it('draws identical bytes for the same seed and different for another', async () => {
    const a = createSyntheticFaces(SMALL);
    const b = createSyntheticFaces(SMALL);
    const c = createSyntheticFaces({ ...SMALL, seed: 4 });
    for (const index of [0, 13, 47]) {
      const first = await a.read(index, { size: 48 });
      const second = await b.read(index, { size: 48 });
      assert.deepEqual(first.pixels, second.pixels);
      const other = await c.read(index, { size: 48 });
      assert.ok(meanAbsDifference(first.pixels, other.pixels) > 1);
    }
  });

  it('gives image i the same bytes whatever order images are read in', async () => {
    const forward = createSyntheticFaces(SMALL);
    const backward = createSyntheticFaces(SMALL);
    const order = [0, 5, 6, 20, 47];
    const first: DecodedImage[] = [];
    for (const i of order) first.push(await forward.read(i, { size: 32 }));
    const second = new Map<number, Uint8Array>();
    for (const i of [...order].reverse()) {
      // Reads of other sizes in between must not disturb anything.
      await backward.read(i, { size: 24 });
      second.set(i, (await backward.read(i, { size: 32 })).pixels);
    }
    order.forEach((i, k) => assert.deepEqual(first[k].pixels, second.get(i)));
  });

  it('labels images person by person', () => {
    const faces = createSyntheticFaces(SMALL);
    assert.equal(faces.numImages, 48);
    assert.equal(faces.numClasses, 8);
    assert.deepEqual(
      Array.from(faces.labels.slice(0, 7)),
      [0, 0, 0, 0, 0, 0, 1],
    );
    assert.equal(faces.labels[47], 7);
  });

  it('makes images of different people differ more than images of one', async () => {
    const faces = createSyntheticFaces({ ...SMALL, imagesPerIdentity: 5 });
    const images = await Promise.all(
      Array.from({ length: faces.numImages }, (_, i) =>
        faces.read(i, { size: 32 }),
      ),
    );
    let within = 0;
    let withinCount = 0;
    let between = 0;
    let betweenCount = 0;
    for (let i = 0; i < images.length; i++) {
      for (let j = i + 1; j < images.length; j++) {
        const distance = meanAbsDifference(images[i].pixels, images[j].pixels);
        if (faces.labels[i] === faces.labels[j]) {
          within += distance;
          withinCount++;
        } else {
          between += distance;
          betweenCount++;
        }
      }
    }
    assert.ok(
      within / withinCount < between / betweenCount,
      `within ${within / withinCount}, between ${between / betweenCount}`,
    );
  });

  it('honours resize.size and accepts a centre crop', async () => {
    const faces = createSyntheticFaces({ ...SMALL, size: 64 });
    for (const size of [16, 37, 112]) {
      const image = await faces.read(3, { size });
      assert.equal(image.width, size);
      assert.equal(image.height, size);
      assert.equal(image.channels, 3);
      assert.equal(image.pixels.length, size * size * 3);
    }
    const whole = await faces.read(3, { size: 32 });
    const cropped = await faces.read(3, { size: 32, centerCrop: 0.6 });
    assert.notDeepEqual(whole.pixels, cropped.pixels);
    assert.equal(faces.render(3).width, 64);
  });

  it('rejects an index out of range and a bad resize', async () => {
    const faces = createSyntheticFaces(SMALL);
    await assert.rejects(
      faces.read(48, { size: 8 }),
      /index must be an integer in \[0, 48\), but got 48/,
    );
    await assert.rejects(
      faces.read(0, { size: 0 }),
      /resize.size must be a positive integer/,
    );
    await assert.rejects(
      faces.read(0, { size: 8, fit: 'stretch' as 'fill' }),
      /resize.fit must be one of cover, fill, contain, but got 'stretch'/,
    );
  });
});

describe('resolveSyntheticFacesConfig', () => {
  it('fills a preset and lets explicit knobs override it', () => {
    const hard = resolveSyntheticFacesConfig({ difficulty: 'hard', noise: 1 });
    assert.equal(hard.pose, SYNTHETIC_PRESETS.hard.pose);
    assert.equal(hard.noise, 1);
    const medium = resolveSyntheticFacesConfig();
    assert.equal(medium.numIdentities, 100);
    assert.equal(medium.blur, SYNTHETIC_PRESETS.medium.blur);
  });

  it('rejects knobs out of range with the valid range', () => {
    assert.throws(
      () => resolveSyntheticFacesConfig({ pose: -1 }),
      (error: Error) =>
        error instanceof DataError &&
        error.message ===
          'createSyntheticFaces: pose must be a number in [0, 60], but got -1',
    );
    assert.throws(
      () => resolveSyntheticFacesConfig({ occlusion: 1.5 }),
      /occlusion must be a number in \[0, 1\], but got 1.5/,
    );
    assert.throws(
      () => resolveSyntheticFacesConfig({ difficulty: 'extreme' as 'hard' }),
      /difficulty must be one of easy, medium, hard, but got 'extreme'/,
    );
    assert.throws(
      () => resolveSyntheticFacesConfig({ numIdentities: 0 }),
      /numIdentities must be an integer >= 1, but got 0/,
    );
    assert.throws(
      () => resolveSyntheticFacesConfig({ size: 4.5 }),
      /size must be an integer >= 8, but got 4.5/,
    );
  });
});

describe('createSyntheticVerificationSet', () => {
  it('pairs held-out people, half of the pairs the same person', async () => {
    const pairs = createSyntheticVerificationSet(SMALL, {
      numIdentities: 6,
      imagesPerIdentity: 4,
      numPairs: 40,
    });
    assert.equal(pairs.numPairs, 40);
    assert.equal(pairs.issame.filter((same) => same).length, 20);
    assert.equal(pairs.folds, null);
    const image = await pairs.readImage(79, { size: 24 });
    assert.equal(image.pixels.length, 24 * 24 * 3);

    // The held-out people are the training set's next ones: person 8
    // onwards, so their traits differ from every training person's.
    const train = createSyntheticFaces(SMALL);
    const held = createSyntheticFaces({ ...SMALL, firstIdentity: 8 });
    assert.equal(held.identityOf(0), 8);
    assert.notDeepEqual(held.traits(0), train.traits(0));
  });
});
