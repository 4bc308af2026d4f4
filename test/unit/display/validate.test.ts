import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';

import * as tf from '@tensorflow/tfjs';

import {
  aggregationTable,
  pairAggregation,
  projectEmbeddings,
  sameIdentityPairs,
  verify,
} from '../../../kernels/subface/eval';
import {
  AGGREGATION_MIME,
  assertPayload,
  checkPayload,
  MIME_TYPES,
  PayloadError,
  PROJECTION_MIME,
  SCHEMA_VERSION,
  SCHEMAS,
  TRAINING_MIME,
  VERIFICATION_MIME,
} from '../../../kernels/subface/display';
import {
  buildAggregationPayload,
  buildPairViewPayload,
  buildProjectionPayload,
  buildTrainingCurves,
  buildVerificationPayload,
} from '../../../kernels/subface/report';
import {
  aggregationFixture,
  pairsFixture,
  projectionFixture,
  trainingFixture,
  verificationFixture,
} from './fixtures';
import { clusters } from './helpers';

const CONTRACT_SOURCE = path.join(
  __dirname,
  '../../../../kernels/subface/display/contract.ts',
);

describe('contract', () => {
  it('imports nothing (the renderers bundle it alone)', () => {
    const source = fs.readFileSync(CONTRACT_SOURCE, 'utf8');
    assert.ok(!/^\s*import\s/m.test(source));
    assert.ok(!/\brequire\(/.test(source));
    assert.ok(!/\bimport\(/.test(source));
  });

  it('has one draft-07 schema per MIME type', () => {
    const mimes = Object.values(MIME_TYPES).sort();
    assert.deepEqual(Object.keys(SCHEMAS).sort(), mimes);
    for (const mime of mimes) {
      const schema = SCHEMAS[mime] as { $schema: string; title: string };
      assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
      assert.equal(schema.title, mime);
      assert.match(mime, /^application\/vnd\.subface\.[a-z]+\+json$/);
    }
  });
});

describe('checkPayload', () => {
  before(async () => {
    await tf.setBackend('cpu');
    await tf.ready();
  });

  it('accepts every fixture', () => {
    const aggregation = { ...aggregationFixture(), pairs: pairsFixture() };
    assert.deepEqual(checkPayload(PROJECTION_MIME, projectionFixture()), []);
    assert.deepEqual(checkPayload(AGGREGATION_MIME, aggregation), []);
    assert.deepEqual(checkPayload(TRAINING_MIME, trainingFixture()), []);
    assert.deepEqual(
      checkPayload(VERIFICATION_MIME, verificationFixture()),
      [],
    );
  });

  it('accepts the projection builder output, 2-D and 3-D', async () => {
    const { embeddings, labels } = clusters(4, 10);
    const flat = await projectEmbeddings(embeddings, labels);
    const deep = await projectEmbeddings(embeddings, labels, { dims: 3 });
    const payload = buildProjectionPayload([flat, deep], ['a', 'b'], {
      run: 'r',
      embeddings,
    });
    assert.deepEqual(checkPayload(PROJECTION_MIME, payload), []);
    assert.equal(payload.views[1].z?.length, 40);
    assert.equal(payload.views[1].neighbors?.indices.length, 40);
    assert.deepEqual(payload.classNames, ['a', 'b', 'id 2', 'id 3']);
  });

  it('accepts the aggregation and pair view builder outputs', () => {
    const { embeddings, labels, dim } = clusters(6, 5);
    const table = aggregationTable(embeddings, labels, { numBlocks: 2 });
    const pairs = pairAggregation(
      embeddings,
      sameIdentityPairs(labels, 20, 0),
      {
        k: 4,
        numDraws: 5,
        embeddingDim: dim,
      },
    );
    const payload = buildAggregationPayload(table, null, 4, {
      run: 'subface',
      pairs: buildPairViewPayload(pairs, 10),
    });
    assert.deepEqual(checkPayload(AGGREGATION_MIME, payload), []);
    assert.equal(payload.gap.length, 4);
    assert.equal(payload.pairs?.cap.shown, 10);
  });

  it('accepts the training curves builder output, NaN as null', () => {
    const payload = buildTrainingCurves([
      { type: 'step', step: 10, loss: NaN, lr: 0.1, samplesPerSecond: 5 },
      { type: 'step', step: 20, loss: 2, lr: 0.1 },
      { type: 'eval', step: 20, accuracy: 0.9, accuracyStd: 0.01, set: 's' },
    ]);
    assert.deepEqual(checkPayload(TRAINING_MIME, payload), []);
    assert.deepEqual(payload.loss, [null, 2]);
    assert.equal(payload.schemaVersion, SCHEMA_VERSION);
  });

  it('accepts the verification builder output', () => {
    const { embeddings, dim } = clusters(10, 12);
    const issame = Array.from({ length: 60 }, (_, i) => i % 2 === 0);
    const rows = embeddings.subarray(0, 120 * dim);
    const result = verify(rows, issame, { sha256: 'abc', embeddingDim: dim });
    const evaluation = {
      name: 'set',
      sha256: 'abc',
      result,
      resultNoFlip: null,
      xNorm: 1,
    };
    const payload = buildVerificationPayload(evaluation, 20, 'subface');
    assert.deepEqual(checkPayload(VERIFICATION_MIME, payload), []);
  });

  it('names the path and the expected type of a wrong value', () => {
    const payload = projectionFixture() as unknown as {
      views: { x: unknown[] }[];
    };
    payload.views[0].x[1] = 'one';
    const problems = checkPayload(PROJECTION_MIME, payload);
    assert.equal(problems.length, 1);
    assert.equal(problems[0].path, '/views/0/x/1');
    assert.equal(problems[0].expected, 'of type number');
    assert.equal(
      problems[0].message,
      '/views/0/x/1: must be of type number, but got "one"',
    );
  });

  it('names a missing field and a value outside its enum', () => {
    const payload = aggregationFixture() as unknown as Record<string, unknown>;
    delete payload.columns;
    payload.blockMode = 'random';
    const messages = checkPayload(AGGREGATION_MIME, payload).map(
      (p) => p.message,
    );
    assert.ok(
      messages.includes(
        '/columns: must be present (required), but got nothing',
      ),
    );
    assert.ok(
      messages.some((m) =>
        m.startsWith('/blockMode: must be one of ["contiguous"'),
      ),
    );
  });

  it('rejects NaN: undefined numbers travel as null', () => {
    const payload = trainingFixture();
    payload.steps = [1, 2, 3];
    (payload.loss as number[])[0] = NaN;
    const problems = checkPayload(TRAINING_MIME, payload);
    assert.equal(problems[0].path, '/loss/0');
    assert.equal(problems[0].actual, 'NaN');
  });

  it('reports a too-new schemaVersion clearly, and only that', () => {
    const payload = { ...verificationFixture(), schemaVersion: 2, name: 3 };
    const problems = checkPayload(VERIFICATION_MIME, payload);
    assert.equal(problems.length, 1);
    assert.equal(problems[0].path, '/schemaVersion');
    assert.equal(problems[0].expected, `<= ${SCHEMA_VERSION}`);
    assert.match(problems[0].message, /newer subface/);
    assert.match(problems[0].message, /upgrade/);
  });

  it('rejects an unknown MIME type, listing the known ones', () => {
    const [problem] = checkPayload('application/vnd.subface.pie+json', {});
    assert.match(
      problem.message,
      /application\/vnd\.subface\.projection\+json/,
    );
  });

  it('finds parallel arrays of different lengths', () => {
    const payload = aggregationFixture();
    payload.values[1] = [0.1];
    payload.rowLabels = [0];
    const paths = checkPayload(AGGREGATION_MIME, payload).map((p) => p.path);
    assert.deepEqual(paths.sort(), ['/rowLabels', '/values/1']);
  });

  it('finds labels without a class name and a missing z', () => {
    const payload = projectionFixture();
    payload.views[0].labels[2] = 7;
    payload.views[0].dims = 3;
    const paths = checkPayload(PROJECTION_MIME, payload).map((p) => p.path);
    assert.deepEqual(paths.sort(), ['/views/0/labels', '/views/0/z']);
  });

  it('finds neighbour lists that do not fit their view', () => {
    const payload = projectionFixture();
    payload.views[0].neighbors = { k: 1, indices: [[1], [1], [0, 1]] };
    const messages = checkPayload(PROJECTION_MIME, payload).map(
      (p) => p.message,
    );
    assert.deepEqual(messages, [
      '/views/0/neighbors/indices/1: must be positions < 3, other than 1, ' +
        'but got 1',
      '/views/0/neighbors/indices/2: must be at most k (1) long, but got ' +
        '"length 2"',
    ]);
    payload.views[0].neighbors = { k: 1, indices: [[1], [3]] };
    const paths = checkPayload(PROJECTION_MIME, payload).map((p) => p.path);
    assert.deepEqual(paths, [
      '/views/0/neighbors/indices',
      '/views/0/neighbors/indices/1',
    ]);
  });

  it('assertPayload throws a PayloadError listing every problem', () => {
    const payload = { ...trainingFixture(), done: 'yes', run: 1 };
    assert.throws(
      () => assertPayload(TRAINING_MIME, payload),
      (error: unknown) =>
        error instanceof PayloadError &&
        error.problems.length === 2 &&
        /\/done: must be of type boolean/.test(error.message) &&
        /\/run: must be of type string/.test(error.message),
    );
  });
});
