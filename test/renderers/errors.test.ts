/**
 * Payloads the renderer cannot draw: each gives an error box that names
 * the problem (checked with the contract's schemas and rules), never a
 * blank output, and a later valid payload draws in the same element.
 */
import { strict as assert } from 'node:assert';
import { describe } from 'node:test';

import {
  AGGREGATION_MIME,
  PROJECTION_MIME,
  SCHEMA_VERSION,
  TRAINING_MIME,
} from '../../kernels/subface/display/contract';
import {
  browserIt,
  fixture,
  fixtureText,
  screenshot,
  useHarness,
} from './browser';
import { plotState, render, violations } from './harness_api';

/** A fixture with some change, as text. */
function changed(
  name: string,
  change: (payload: Record<string, unknown>) => void,
) {
  const payload = fixture<Record<string, unknown>>(name);
  change(payload);
  return JSON.stringify(payload);
}

describe('renderer error box', () => {
  const page = useHarness();

  browserIt('names a missing required field', async () => {
    const text = changed('projection', (p) => delete p.views);
    const shown = await render(page(), 'missing', PROJECTION_MIME, text);
    assert.equal(shown.plots.length, 0);
    assert.match(shown.error ?? '', /does not match its schema/);
    assert.match(
      shown.error ?? '',
      /\/views: must be present \(required\), but got nothing/,
    );
    assert.match(
      shown.error ?? '',
      /application\/vnd\.subface\.projection\+json/,
    );
    await screenshot(page(), 'error-missing-field', 'missing');
  });

  browserIt('names a value of the wrong type by its JSON pointer', async () => {
    const text = changed('aggregation', (p) => {
      (p.values as unknown[][])[2][1] = 'high';
    });
    const shown = await render(page(), 'type', AGGREGATION_MIME, text);
    assert.match(
      shown.error ?? '',
      /\/values\/2\/1: must be of type number,null, but got "high"/,
    );
  });

  browserIt('names arrays whose lengths do not fit together', async () => {
    const text = changed('training', (p) => {
      (p.loss as unknown[]).pop();
    });
    const shown = await render(page(), 'lengths', TRAINING_MIME, text);
    assert.match(shown.error ?? '', /arrays do not fit together/);
    assert.match(
      shown.error ?? '',
      /\/loss: must be an array of length 100, but got "length 99"/,
    );
  });

  browserIt('asks for an update when the schemaVersion is newer', async () => {
    const newer = SCHEMA_VERSION + 1;
    const text = changed('training', (p) => (p.schemaVersion = newer));
    const shown = await render(page(), 'newer', TRAINING_MIME, text);
    assert.match(
      shown.error ?? '',
      new RegExp(`newer subface \\(schemaVersion ${newer}\\)`),
    );
    assert.match(shown.error ?? '', /Update the SubFace extension/);
    await screenshot(page(), 'error-newer-schema', 'newer');
  });

  browserIt('says when the output is not JSON', async () => {
    const shown = await render(
      page(),
      'text',
      TRAINING_MIME,
      '{"schemaVersion": 1,',
    );
    assert.match(shown.error ?? '', /not valid JSON/);
    assert.ok(shown.children > 0);
  });

  browserIt('says which MIME types it draws when given another', async () => {
    const shown = await render(
      page(),
      'mime',
      'application/vnd.other+json',
      '{}',
    );
    assert.match(shown.error ?? '', /No SubFace view draws this MIME type/);
  });

  browserIt(
    'draws a valid payload in the element that showed an error',
    async () => {
      const shown = await render(
        page(),
        'newer',
        TRAINING_MIME,
        fixtureText('training'),
      );
      assert.equal(shown.error, null);
      assert.equal(shown.plots.length, 1);
    },
  );

  browserIt(
    'replaces a drawn plot by the error box and purges it',
    async () => {
      const id = 'broken-later';
      await render(page(), id, TRAINING_MIME, fixtureText('training'));
      const text = changed('training', (p) => (p.steps = 'many'));
      const shown = await render(page(), id, TRAINING_MIME, text);
      assert.match(shown.error ?? '', /\/steps: must be of type array/);
      assert.deepEqual(await plotState(page(), id), []);
    },
  );

  browserIt('raises no Content Security Policy violation', async () => {
    assert.deepEqual(await violations(page()), []);
  });
});
