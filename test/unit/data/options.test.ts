import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';

import {
  createBatches,
  createSyntheticFaces,
  DataError,
  openImageFolder,
  openPairsList,
} from '../../../kernels/subface/data';
import { LFW_DIR, LFW_PAIRS, ORL_DIR } from '../../helpers/paths';

/** Options are typed, but JavaScript and JSON callers can misspell them. */
type Loose = Record<string, unknown>;

function misspelled(key: string): RegExp {
  return new RegExp(`option '${key}' must be one of .*, but got '${key}'`);
}

describe('data options', () => {
  it('rejects a misspelled synthetic-faces option', () => {
    assert.throws(
      () => createSyntheticFaces({ imgSize: 32 } as Loose),
      (error: Error) =>
        error instanceof DataError && misspelled('imgSize').test(error.message),
    );
  });

  it('rejects a misspelled batch option', () => {
    const faces = createSyntheticFaces({ numIdentities: 2 });
    assert.throws(
      () => createBatches(faces, { shufle: false } as Loose),
      misspelled('shufle'),
    );
  });

  it('rejects a misspelled image-folder option', async () => {
    await assert.rejects(
      openImageFolder(ORL_DIR, { minImages: 3 } as Loose),
      misspelled('minImages'),
    );
  });

  it('rejects a misspelled pairs-list option', async () => {
    await assert.rejects(
      openPairsList(LFW_PAIRS, LFW_DIR, { folds: [1] } as Loose),
      misspelled('folds'),
    );
  });
});
