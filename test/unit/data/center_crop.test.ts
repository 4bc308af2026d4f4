import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';

import { openImageFolder } from '../../../kernels/subface/data/folder';
import { withCenterCrop } from '../../../kernels/subface/data/pipeline';
import { DataError } from '../../../kernels/subface/data/types';
import { LFW_DIR } from '../../helpers/paths';

describe('withCenterCrop', () => {
  it('crops every read unless the read names its own crop', async () => {
    const source = await openImageFolder(LFW_DIR, { minImagesPerIdentity: 20 });
    const cropped = withCenterCrop(source, 0.5);
    assert.equal(cropped.numImages, source.numImages);
    assert.equal(cropped.labels, source.labels);
    assert.match(cropped.description, /centre crop 0\.5$/);

    const byDefault = await cropped.read(0, { size: 32 });
    const direct = await source.read(0, { size: 32, centerCrop: 0.5 });
    assert.deepEqual(byDefault.pixels, direct.pixels);

    const whole = await cropped.read(0, { size: 32, centerCrop: 1 });
    const plain = await source.read(0, { size: 32 });
    assert.deepEqual(whole.pixels, plain.pixels);
    assert.notDeepEqual(whole.pixels, byDefault.pixels);
    await cropped.close?.();
  });

  it('returns the source at 1, rejects fractions outside (0, 1]', async () => {
    const source = await openImageFolder(LFW_DIR, { minImagesPerIdentity: 20 });
    assert.equal(withCenterCrop(source, 1), source);
    for (const bad of [0, -0.5, 1.5, Number.NaN]) {
      assert.throws(
        () => withCenterCrop(source, bad),
        (error: Error) =>
          error instanceof DataError &&
          error.message.includes('(0, 1]') &&
          error.message.includes(String(bad)),
      );
    }
    await source.close?.();
  });
});
