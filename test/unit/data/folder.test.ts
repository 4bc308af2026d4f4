import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';

import sharp from 'sharp';

import {
  compareBytes,
  LabelMap,
  openImageFolder,
  parseLabelMap,
  readManifestTsv,
} from '../../../kernels/subface/data/folder';
import { DataError, DecodedImage } from '../../../kernels/subface/data/types';
import { SeededRandom } from '../../../kernels/subface/runtime/random';
import { SHARED_DATA } from '../../helpers/paths';

const SHARED = SHARED_DATA;
const ORL = path.join(SHARED, 'orl-faces');
const LFW = path.join(SHARED, 'lfw-gray-subset');

function isGray(image: DecodedImage): boolean {
  const p = image.pixels;
  for (let i = 0; i < p.length; i += 3) {
    if (p[i] !== p[i + 1] || p[i] !== p[i + 2]) return false;
  }
  return true;
}

function meanColor(image: DecodedImage): [number, number, number] {
  const sums = [0, 0, 0];
  for (let i = 0; i < image.pixels.length; i++) sums[i % 3] += image.pixels[i];
  const count = image.width * image.height;
  return [sums[0] / count, sums[1] / count, sums[2] / count];
}

function makeTempRoot(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'subface-folder-'));
}

function solid(color: [number, number, number]) {
  return sharp({
    create: { width: 40, height: 30, channels: 3, background: color },
  });
}

describe('openImageFolder on ORL faces', () => {
  it('gives 40 classes of 10 images, labelled in byte order', async () => {
    const source = await openImageFolder(ORL);
    assert.equal(source.numClasses, 40);
    assert.equal(source.numImages, 400);
    // Byte order, not natural order: s1, s10, ..., s19, s2, s20, ...
    assert.deepEqual(source.classNames.slice(0, 3), ['s1', 's10', 's11']);
    assert.equal(source.classNames[11], 's2');
    assert.equal(source.classNames[39], 's9');
    assert.deepEqual(source.paths.slice(0, 3), [
      's1/1.pgm',
      's1/10.pgm',
      's1/2.pgm',
    ]);
    for (let label = 0; label < 40; label++) {
      const count = source.labels.filter((l) => l === label).length;
      assert.equal(count, 10);
    }
    assert.deepEqual(source.report.ignored, [
      'README.md',
      'README.orig',
      'SHA256SUMS',
    ]);
    assert.deepEqual(source.report.emptyIdentities, []);
  });

  it('decodes grayscale PGM to 3 equal channels at 112', async () => {
    const source = await openImageFolder(ORL);
    const image = await source.read(11 * 10 + 3);
    assert.equal(image.width, 112);
    assert.equal(image.height, 112);
    assert.equal(image.channels, 3);
    assert.equal(image.pixels.length, 112 * 112 * 3);
    assert.ok(isGray(image));
    const small = await source.read(0, { size: 64, fit: 'fill' });
    assert.equal(small.pixels.length, 64 * 64 * 3);
  });
});

describe('openImageFolder on the LFW gray subset', () => {
  it('finds 489 identities and 3770 images', async () => {
    const source = await openImageFolder(LFW);
    assert.equal(source.numClasses, 489);
    assert.equal(source.numImages, 3770);
    assert.deepEqual(source.report.ignored, [
      'README.md',
      'SHA256SUMS',
      'subsets.tsv',
    ]);
  });

  it('keeps 62 identities and 3023 images with at least 20', async () => {
    const source = await openImageFolder(LFW, { minImagesPerIdentity: 20 });
    assert.equal(source.numClasses, 62);
    assert.equal(source.numImages, 3023);
    assert.equal(source.report.droppedIdentities.length, 489 - 62);
    const bush = source.classNames.indexOf('George_W_Bush');
    assert.equal(source.labels.filter((l) => l === bush).length, 530);
  });

  it('selects the same images through the subsets.tsv manifest', async () => {
    const manifest = await readManifestTsv(path.join(LFW, 'subsets.tsv'), {
      where: { min20_identity: '1' },
    });
    const byManifest = await openImageFolder(LFW, { manifest });
    const byCount = await openImageFolder(LFW, { minImagesPerIdentity: 20 });
    assert.equal(byManifest.numImages, 3023);
    assert.deepEqual(byManifest.classNames, byCount.classNames);
    assert.deepEqual(byManifest.paths, byCount.paths);
    assert.equal(byManifest.report.excludedIdentities.length, 489 - 62);

    // Combined with an allow-list, the manifest only narrows further.
    const bush = await openImageFolder(LFW, {
      manifest,
      identities: ['George_W_Bush', 'Zico'],
    });
    assert.deepEqual(bush.classNames, ['George_W_Bush']);
    assert.equal(bush.numImages, 530);
  });

  it('expands grayscale JPEGs to 3 equal channels', async () => {
    const source = await openImageFolder(LFW, { identities: ['Zico'] });
    assert.equal(source.numClasses, 1);
    assert.equal(source.report.excludedIdentities.length, 488);
    const image = await source.read(0, { size: 112, centerCrop: 0.5 });
    assert.equal(image.pixels.length, 112 * 112 * 3);
    assert.ok(isGray(image));
  });
});

describe('openImageFolder on a made-up folder', () => {
  let root = '';

  before(async () => {
    root = makeTempRoot();
    const mk = (p: string) => fs.mkdirSync(path.join(root, p));
    mk('alice');
    mk('bob');
    mk('carol');
    mk('empty');
    mk('alice/nested');
    const at = (p: string) => path.join(root, p);
    await solid([255, 0, 0]).png().toFile(at('alice/a.PNG'));
    await solid([0, 255, 0]).gif().toFile(at('alice/b.gif'));
    await solid([0, 0, 255])
      .webp({ lossless: true })
      .toFile(at('alice/c.webp'));
    await solid([200, 200, 0]).tiff().toFile(at('bob/a.tif'));
    await solid([0, 200, 200]).jpeg().toFile(at('bob/b.jpeg'));
    fs.writeFileSync(at('bob/c.jpg'), 'this is not a JPEG');
    fs.writeFileSync(at('carol/only.jpg'), Buffer.from([0xff, 0xd8, 0xff]));
    fs.writeFileSync(at('alice/.DS_Store'), 'x');
    fs.writeFileSync(at('alice/notes.txt'), 'x');
    fs.writeFileSync(at('.hidden'), 'x');
  });

  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('decodes PNG, GIF, WebP, TIFF and JPEG to RGB', async () => {
    const source = await openImageFolder(root);
    assert.deepEqual(source.classNames, ['alice', 'bob', 'carol']);
    assert.deepEqual(source.paths, [
      'alice/a.PNG',
      'alice/b.gif',
      'alice/c.webp',
      'bob/a.tif',
      'bob/b.jpeg',
      'bob/c.jpg',
      'carol/only.jpg',
    ]);
    assert.deepEqual(Array.from(source.labels), [0, 0, 0, 1, 1, 1, 2]);
    const expected = [
      [255, 0, 0],
      [0, 255, 0],
      [0, 0, 255],
      [200, 200, 0],
      [0, 200, 200],
    ];
    for (const [index, color] of expected.entries()) {
      const mean = meanColor(await source.read(index, { size: 16 }));
      mean.forEach((value, c) => assert.ok(Math.abs(value - color[c]) < 4));
    }
  });

  it('reports the empty identity folder and ignored entries', async () => {
    const { report, description } = await openImageFolder(root);
    assert.deepEqual(report.emptyIdentities, ['empty']);
    assert.deepEqual(report.ignored, [
      '.hidden',
      'alice/.DS_Store',
      'alice/nested/',
      'alice/notes.txt',
    ]);
    assert.equal(report.numIdentities, 3);
    assert.match(description, /3 identities, 7 images, 1 empty/);
  });

  it('throws for an unreadable file by default, naming it', async () => {
    const source = await openImageFolder(root);
    await assert.rejects(source.read(5), (error: Error) => {
      assert.ok(error instanceof DataError);
      assert.ok(error.message.includes(path.join(root, 'bob', 'c.jpg')));
      assert.match(error.message, /decoding failed: /);
      return true;
    });
    await assert.rejects(
      source.validate(),
      /every image must decode, but got 2/,
    );
  });

  it('skips and counts unreadable files when asked', async () => {
    const source = await openImageFolder(root, { onUnreadable: 'skip' });
    const substitute = await source.read(5, { size: 16 });
    // bob/c.jpg is bad: the next readable bob image (wrapping) is a.tif.
    const mean = meanColor(substitute);
    assert.ok(Math.abs(mean[0] - 200) < 4 && mean[2] < 4);
    assert.deepEqual(
      source.report.skipped.map((s) => s.path),
      ['bob/c.jpg'],
    );
    await assert.rejects(
      source.read(6),
      /identity 'carol' must have at least one readable image/,
    );

    const fresh = await openImageFolder(root, { onUnreadable: 'skip' });
    const unreadable = await fresh.validate({ concurrency: 2 });
    assert.deepEqual(
      unreadable.map((s) => s.path),
      ['bob/c.jpg', 'carol/only.jpg'],
    );
    assert.equal(fresh.report.skipped.length, 2);
  });

  it('filters by identities, manifest and minimum count', async () => {
    const some = await openImageFolder(root, {
      identities: ['bob', 'alice'],
      manifest: (file) => !file.endsWith('.gif'),
      minImagesPerIdentity: 3,
    });
    assert.deepEqual(some.classNames, ['bob']);
    assert.deepEqual(some.report.droppedIdentities, [
      { identity: 'alice', numImages: 2 },
    ]);
    assert.deepEqual(some.report.excludedIdentities, ['carol']);
  });

  it('rejects unknown identities and manifest paths', async () => {
    await assert.rejects(
      openImageFolder(root, { identities: ['alice', 'dave'] }),
      /identities must name folders .* 1 that do not exist \('dave'\)/,
    );
    await assert.rejects(
      openImageFolder(root, { manifest: ['alice/a.PNG', 'bob/zzz.jpg'] }),
      /every manifest path must be an image .* \('bob\/zzz.jpg'\)/,
    );
  });

  it('rejects bad options', async () => {
    await assert.rejects(
      openImageFolder(root, { minImagesPerIdentity: 0 }),
      /minImagesPerIdentity must be a positive integer, but got 0/,
    );
    await assert.rejects(
      openImageFolder(root, {
        onUnreadable: 'ignore' as unknown as 'skip',
      }),
      /onUnreadable must be one of 'error', 'skip', but got 'ignore'/,
    );
    const source = await openImageFolder(root);
    await assert.rejects(
      source.read(7),
      /index must be an integer in \[0, 7\)/,
    );
  });
});

describe('openImageFolder on unusable roots', () => {
  let root = '';
  before(() => {
    root = makeTempRoot();
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('rejects a missing root and a file', async () => {
    await assert.rejects(
      openImageFolder(path.join(root, 'nope')),
      /image folder root must be an existing folder, but got nothing/,
    );
    fs.writeFileSync(path.join(root, 'file'), 'x');
    await assert.rejects(
      openImageFolder(path.join(root, 'file')),
      /must be an existing folder, but got a file/,
    );
  });

  it('rejects a root with no usable identity folder', async () => {
    const flat = fs.mkdtempSync(path.join(root, 'flat-'));
    await assert.rejects(
      openImageFolder(flat),
      /one sub-folder per identity, but got none/,
    );
    fs.mkdirSync(path.join(flat, 'a'));
    fs.mkdirSync(path.join(flat, 'b'));
    await assert.rejects(
      openImageFolder(flat),
      /but all 2 are empty \('a', 'b'\)/,
    );
    await solid([1, 2, 3]).png().toFile(path.join(flat, 'loose.png'));
    await assert.rejects(
      openImageFolder(flat),
      /images must be inside identity folders, but got 1 in the root/,
    );
  });
});

describe('label maps', () => {
  const names = ['b', 'a', 'B', '10', '9', 'é', 'z_1', 'Z'];
  const roots: string[] = [];

  before(async () => {
    // Two folders made in different (seeded) orders.
    for (const seed of [1, 2]) {
      const root = makeTempRoot();
      roots.push(root);
      const order = new SeededRandom(seed).shuffle([...names]);
      for (const name of order) {
        fs.mkdirSync(path.join(root, name));
        await solid([9, 9, 9])
          .png()
          .toFile(path.join(root, name, '1.png'));
      }
    }
  });

  after(() => {
    for (const root of roots) fs.rmSync(root, { recursive: true, force: true });
  });

  it('is the same for any creation order, in byte order', async () => {
    const first = (await openImageFolder(roots[0])).labelMap();
    const second = (await openImageFolder(roots[1])).labelMap();
    assert.deepEqual(first, second);
    assert.deepEqual(first.identities, [
      '10',
      '9',
      'B',
      'Z',
      'a',
      'b',
      'z_1',
      'é',
    ]);
    assert.deepEqual([...names].sort(compareBytes), first.identities);
    assert.deepEqual(parseLabelMap(JSON.parse(JSON.stringify(first))), first);
  });

  it('follows a given map, even out of byte order', async () => {
    const reversed: LabelMap = {
      version: 1,
      identities: [...names].sort(compareBytes).reverse(),
    };
    const source = await openImageFolder(roots[1], { labelMap: reversed });
    assert.deepEqual(source.classNames, reversed.identities);
    assert.equal(source.paths[0], 'é/1.png');
    assert.deepEqual(source.labelMap(), reversed);
  });

  it('rejects a map that does not match the folder', async () => {
    const map: LabelMap = {
      version: 1,
      identities: ['a', 'b', 'carol'],
    };
    await assert.rejects(
      openImageFolder(roots[0], { labelMap: map }),
      (error: Error) => {
        assert.ok(error instanceof DataError);
        assert.match(error.message, /identities must match the given label/);
        assert.match(
          error.message,
          /1 in the map but not in the folder \('carol'\)/,
        );
        assert.match(error.message, /6 in the folder but not in the map/);
        return true;
      },
    );
  });

  it('rejects a malformed map', () => {
    assert.throws(
      () => parseLabelMap({ version: 2, identities: [] }),
      /version 1, but got 2/,
    );
    assert.throws(
      () => parseLabelMap({ version: 1, identities: ['a', 'a'] }),
      /identities must be distinct, but got repeats of 'a'/,
    );
  });
});
