import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';

import {
  checkPayload,
  PROJECTION_MIME,
  SCHEMA_VERSION,
} from '../../../kernels/subface/display';
import {
  newerSchemaVersion,
  newerVersionProblem,
  schemaProblem,
  valueAt,
} from '../../../kernels/subface/display/schema_problems';
import { projectionFixture } from './fixtures';

describe('schemaProblem', () => {
  it('words a keyword without its own case in ajv words', () => {
    const error = {
      keyword: 'minItems',
      instancePath: '/views',
      params: { limit: 1 },
      message: 'must NOT have fewer than 1 items',
    };
    const found = schemaProblem(error, { views: [] });
    assert.equal(
      found.message,
      '/views: must NOT have fewer than 1 items, but got []',
    );
  });

  it('gives what validate.ts gives for the same ajv error', () => {
    const payload = { ...projectionFixture(), views: [] };
    const [fromAjv] = checkPayload(PROJECTION_MIME, payload);
    const generated = schemaProblem(
      {
        keyword: 'minItems',
        instancePath: '/views',
        params: { limit: 1 },
        message: 'must NOT have fewer than 1 items',
      },
      payload,
    );
    assert.deepEqual(generated, fromAjv);
  });

  it('names the missing property of a required error', () => {
    const error = {
      keyword: 'required',
      instancePath: '/cap',
      params: { missingProperty: 'note' },
    };
    assert.equal(
      schemaProblem(error, {}).message,
      '/cap/note: must be present (required), but got nothing',
    );
  });
});

describe('valueAt', () => {
  it('follows escaped JSON pointer segments', () => {
    const root = { 'a/b': { '~c': [5, 6] } };
    assert.equal(valueAt(root, '/a~1b/~0c/1'), 6);
    assert.equal(valueAt(root, '/missing/x'), undefined);
  });
});

describe('newerSchemaVersion', () => {
  it('returns only a version newer than this library', () => {
    assert.equal(newerSchemaVersion({ schemaVersion: SCHEMA_VERSION }), null);
    assert.equal(newerSchemaVersion({ schemaVersion: '9' }), null);
    assert.equal(newerSchemaVersion(null), null);
    const newer = SCHEMA_VERSION + 1;
    assert.equal(newerSchemaVersion({ schemaVersion: newer }), newer);
    assert.match(newerVersionProblem(newer).message, /newer subface/);
  });
});
