import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';

import {
  openInsightFaceRec,
  openVerificationPack,
} from '../../../kernels/subface/data';
import { REPO_ROOT, SHARED_DATA } from '../../helpers/paths';

const shared = SHARED_DATA;
const cli = path.join(REPO_ROOT, 'out/kernels/subface/cli/main.js');

function subface(...args: string[]) {
  const run = spawnSync(process.execPath, [cli, ...args], {
    encoding: 'utf8',
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('subface pack', () => {
  let tmp = '';
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'subface-cli-'));
    // Three ORL identities, linked rather than copied.
    fs.mkdirSync(path.join(tmp, 'faces'));
    for (const identity of ['s1', 's2', 's3']) {
      fs.symlinkSync(
        path.join(shared, 'orl-faces', identity),
        path.join(tmp, 'faces', identity),
      );
    }
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('packs an identity folder that the RecordIO reader opens', async () => {
    const prefix = path.join(tmp, 'out', 'orl');
    const run = subface(
      '--json',
      'pack',
      path.join(tmp, 'faces'),
      prefix,
      '--image-size',
      '64',
    );
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout.trim());
    assert.equal(result.numImages, 30);
    assert.deepEqual(result.classNames, ['s1', 's2', 's3']);

    const pack = await openInsightFaceRec(prefix);
    try {
      assert.equal(pack.numImages, 30);
      assert.equal(pack.numClasses, 3);
      assert.deepEqual(pack.classNames, ['s1', 's2', 's3']);
      const image = await pack.read(29, { size: 64 });
      assert.equal(image.width, 64);
      assert.equal(pack.labels[29], 2);
    } finally {
      await pack.close();
    }
  });

  it('names the missing folder and prints no stack', () => {
    const run = subface('pack', path.join(tmp, 'nowhere'), 'x');
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^subface: .*nowhere/);
    assert.doesNotMatch(run.stderr, /\n\s+at /);
  });

  it('rejects a bad option value with usage help', () => {
    const run = subface('pack', 'a', 'b', '--quality', '101');
    assert.notEqual(run.code, 0);
    assert.match(run.stderr, /--quality.*It must be an integer from 1 to 100/);
  });
});

describe('subface pack-pairs', () => {
  it('packs LFW fold 1 as a verification pack of 600 pairs', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'subface-cli-'));
    try {
      const out = path.join(tmp, 'lfw-fold1.bin');
      const run = subface(
        'pack-pairs',
        path.join(shared, 'lfw-protocol', 'pairs.txt'),
        path.join(shared, 'lfw-gray-subset'),
        out,
        '--folds',
        '1',
        '--center-crop',
        '0.5',
        '--size',
        '48',
      );
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /^packed 600 pairs \(1200 images\) into /);

      const pack = await openVerificationPack(out, { expectedSize: 48 });
      assert.equal(pack.numPairs, 600);
      assert.equal(pack.issame.filter(Boolean).length, 300);
      const image = await pack.readImage(0, { size: 48 });
      assert.equal(image.height, 48);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe('subface runtime', () => {
  it('reports the backend as JSON', () => {
    const run = subface('runtime', '--json', '--backend', 'cpu');
    assert.equal(run.code, 0, run.stderr);
    const info = JSON.parse(run.stdout);
    assert.equal(info.choice, 'cpu');
    assert.equal(info.forced, true);
  });
});

describe('the subface bin', () => {
  it('is executable after every build, as npx runs it', () => {
    // `npx subface` runs package.json's bin file itself (its shebang).
    const run = spawnSync(cli, ['--help'], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr ?? String(run.error));
    assert.match(run.stdout, /Usage: subface/);
  });
});
