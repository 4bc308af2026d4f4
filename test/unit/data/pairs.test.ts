import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { DataError } from '../../../kernels/subface/data/types';
import {
  openPairsList,
  parsePairsList,
} from '../../../kernels/subface/data/verification';
import { SHARED_DATA } from '../../helpers/paths';

const SHARED = SHARED_DATA;
const LFW = path.join(SHARED, 'lfw-gray-subset');
const PROTOCOL = path.join(SHARED, 'lfw-protocol');
const PAIRS = path.join(PROTOCOL, 'pairs.txt');

function read(file: string): string {
  return fs.readFileSync(file, 'utf8');
}

function throwsData(text: string, pattern: RegExp): void {
  assert.throws(
    () => parsePairsList(text, 'test.txt'),
    (error: Error) => {
      assert.ok(error instanceof DataError, String(error));
      assert.match(error.message, pattern);
      return true;
    },
  );
}

describe('parsePairsList', () => {
  it('reads pairs.txt as 10 folds of 300 matched then 300 mismatched pairs', () => {
    const list = parsePairsList(read(PAIRS), PAIRS);
    assert.equal(list.numFolds, 10);
    assert.equal(list.samePerFold, 300);
    assert.equal(list.entries.length, 6000);
    assert.equal(list.entries.filter((entry) => entry.issame).length, 3000);
    for (let fold = 1; fold <= 10; fold++) {
      const entries = list.entries.filter((entry) => entry.fold === fold);
      assert.equal(entries.length, 600);
      assert.ok(entries.slice(0, 300).every((entry) => entry.issame));
      assert.ok(entries.slice(300).every((entry) => !entry.issame));
    }
    assert.deepEqual(list.entries[0], {
      line: 2,
      fold: 1,
      issame: true,
      nameA: 'Abel_Pacheco',
      numberA: 1,
      nameB: 'Abel_Pacheco',
      numberB: 4,
    });
    const lastOfFold1 = list.entries[599];
    assert.deepEqual(
      [lastOfFold1.line, lastOfFold1.fold, lastOfFold1.issame],
      [601, 1, false],
    );
    assert.equal(list.entries[5999].line, 6001);
  });

  it('reads the View 1 lists as one fold of 1100 and 500 pairs per class', () => {
    for (const [file, count] of [
      ['pairsDevTrain.txt', 1100],
      ['pairsDevTest.txt', 500],
    ] as const) {
      const list = parsePairsList(read(path.join(PROTOCOL, file)), file);
      assert.deepEqual([list.numFolds, list.samePerFold], [1, count]);
      assert.equal(list.entries.length, 2 * count);
      assert.ok(list.entries.every((entry) => entry.fold === 1));
      assert.equal(list.entries.filter((entry) => entry.issame).length, count);
      assert.ok(list.entries[count - 1].issame);
      assert.ok(!list.entries[count].issame);
    }
  });

  it('accepts spaces, CRLF line ends and a missing final newline', () => {
    const list = parsePairsList('1 1\r\nA 1 2\r\nA 1 B 3', 'test.txt');
    assert.equal(list.entries.length, 2);
    assert.deepEqual(
      [list.entries[1].nameB, list.entries[1].numberB],
      ['B', 3],
    );
  });

  it('rejects a bad header or a pair count that does not match it', () => {
    throwsData('ten\nA 1 2\n', /line 1 must be a header .* but got 'ten'/);
    throwsData('', /must start with a header line, but got an empty file/);
    throwsData(
      '2 1\nA 1 2\nA 1 B 2\n',
      /must hold 2 x 2 x 1 = 4 pair lines after the header, but got 2/,
    );
  });

  it('rejects malformed lines, naming the line', () => {
    throwsData(
      '1\nA 1\nA 1 B 2\n',
      /line 2 must be a matched pair .* got 2 fields/,
    );
    throwsData(
      '1\nA 1 2\nA 1 B\n',
      /line 3 must be a mismatched pair .* got 3 fields/,
    );
    throwsData(
      '1\nA 1 x\nA 1 B 2\n',
      /line 2 must be .* positive image numbers, but got 'A 1 x'/,
    );
    throwsData('1\nA 0 2\nA 1 B 2\n', /line 2 .* but got 'A 0 2'/);
    throwsData('1\nA -1 2\nA 1 B 2\n', /line 2 .* but got 'A -1 2'/);
    throwsData('1\n.. 1 2\nA 1 B 2\n', /line 2 .* but got '\.\. 1 2'/);
    throwsData('1\nA 1 2\nA 1 A 2\n', /line 3 .* the same person twice/);
  });

  it('rejects lines out of fold order (a mismatched pair among matched ones)', () => {
    throwsData(
      '1 2\nA 1 B 2\nA 1 2\nA 1 B 2\nC 1 D 2\n',
      /line 2 must be a matched pair .* \(fold 1\)/,
    );
  });
});

describe('openPairsList', () => {
  it('resolves fold 1 of pairs.txt against lfw-gray-subset with no missing file', async () => {
    const set = await openPairsList(PAIRS, LFW, { onlyFolds: [1] });
    assert.equal(set.name, 'pairs');
    assert.equal(set.numPairs, 600);
    assert.equal(set.numImages, 1200);
    assert.equal(set.issame.filter((same) => same).length, 300);
    assert.ok(set.folds.every((fold) => fold === 1));
    assert.equal(set.numSkippedPairs, 0);
    assert.deepEqual(set.missingFiles, []);
    assert.equal(
      set.imagePath(0),
      path.join(LFW, 'Abel_Pacheco', 'Abel_Pacheco_0001.jpg'),
    );
    assert.equal(
      set.imagePath(1),
      path.join(LFW, 'Abel_Pacheco', 'Abel_Pacheco_0004.jpg'),
    );

    const image = await set.readImage(1199, { size: 112 });
    assert.deepEqual([image.width, image.height], [112, 112]);
    assert.deepEqual(
      await set.readEncoded(0),
      fs.readFileSync(set.imagePath(0)),
    );
    assert.match(await set.sha256(), /^[0-9a-f]{64}$/);
    await assert.rejects(
      set.readImage(1200, { size: 112 }),
      /image index must be an integer in \[0, 1200\), but got 1200/,
    );
  });

  it('lists the first missing files when the images are not all there', async () => {
    await assert.rejects(openPairsList(PAIRS, LFW), (error: Error) => {
      assert.ok(error instanceof DataError);
      assert.match(
        error.message,
        /image files must exist under .*, but \d+ of \d+ are missing, e\.g\. \S+\.jpg \(line \d+\)/,
      );
      assert.match(error.message, /onlyFolds, or --folds \/ --eval-folds/);
      assert.match(error.message, /missing: 'skip'/);
      return true;
    });
  });

  it('skips and counts pairs with a missing image when asked', async () => {
    const set = await openPairsList(PAIRS, LFW, { missing: 'skip' });
    assert.ok(set.numPairs >= 600);
    assert.equal(set.numPairs + set.numSkippedPairs, 6000);
    assert.ok(set.missingFiles.length > 0);
    assert.deepEqual([...set.folds.slice(0, 600)], new Array(600).fill(1));
    assert.ok(set.folds.some((fold) => fold > 1));
  });

  it('rejects fold numbers outside the list, a bad option and a missing root', async () => {
    await assert.rejects(
      openPairsList(PAIRS, LFW, { onlyFolds: [0] }),
      /onlyFolds must be a non-empty list of fold numbers in \[1, 10\], but got \[0\]/,
    );
    await assert.rejects(
      openPairsList(PAIRS, LFW, { onlyFolds: [11] }),
      /but got \[11\]/,
    );
    await assert.rejects(
      openPairsList(PAIRS, LFW, { missing: 'ignore' as 'skip' }),
      /missing must be one of error, skip, but got 'ignore'/,
    );
    await assert.rejects(
      openPairsList(PAIRS, path.join(LFW, 'nope')),
      /image root must be a folder/,
    );
    await assert.rejects(
      openPairsList(path.join(PROTOCOL, 'nope.txt'), LFW),
      /pairs list must be a readable file, but got ENOENT/,
    );
  });

  describe('on a small copied folder', () => {
    let dir = '';
    const copy = (name: string, n: number): void => {
      const file = `${name}_${String(n).padStart(4, '0')}.jpg`;
      fs.mkdirSync(path.join(dir, name), { recursive: true });
      fs.copyFileSync(path.join(LFW, name, file), path.join(dir, name, file));
    };
    before(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'subface-pairs-'));
      copy('Abel_Pacheco', 1);
      copy('Abel_Pacheco', 4);
      copy('Abdel_Madi_Shabneh', 1);
      copy('Dean_Barker', 1);
      fs.writeFileSync(
        path.join(dir, 'mini.txt'),
        '1\nAbel_Pacheco\t1\t4\nAbdel_Madi_Shabneh\t1\tDean_Barker\t1\n',
      );
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('changes sha256 when one image byte changes', async () => {
      const open = () =>
        openPairsList(path.join(dir, 'mini.txt'), dir, { name: 'mini' });
      const set = await open();
      assert.equal(set.name, 'mini');
      assert.deepEqual(set.issame, [true, false]);
      const original = await set.sha256();
      assert.equal(await (await open()).sha256(), original);

      const file = set.imagePath(3);
      const bytes = fs.readFileSync(file);
      bytes[bytes.length - 3] ^= 0xff;
      fs.writeFileSync(file, bytes);
      assert.notEqual(await (await open()).sha256(), original);
    });
  });
});
