import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';

import { openImageFolder } from '../../../kernels/subface/data/folder';
import { openPairsList } from '../../../kernels/subface/data/verification/pairs_set';
import { LFW_DIR, LFW_PAIRS } from '../../helpers/paths';

/** Names of fold 1, read from the text: '10 300' then 300+300 lines. */
function foldOneNames(): Set<string> {
  const lines = fs.readFileSync(LFW_PAIRS, 'utf8').split(/\r?\n/);
  const perFold = Number(lines[0].trim().split(/\s+/)[1]);
  const names = new Set<string>();
  for (const line of lines.slice(1, 1 + 2 * perFold)) {
    const fields = line.trim().split(/\s+/);
    names.add(fields[0]);
    // A mismatched pair: name, number, name, number.
    if (fields.length === 4) names.add(fields[2]);
  }
  return names;
}

/** Image count of each identity folder, read with fs. */
function folderCounts(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const entry of fs.readdirSync(LFW_DIR, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    const files = fs
      .readdirSync(path.join(LFW_DIR, entry.name))
      .filter((file) => /\.jpg$/i.test(file));
    counts.set(entry.name, files.length);
  }
  return counts;
}

async function pairsNames(): Promise<string[]> {
  const set = await openPairsList(LFW_PAIRS, LFW_DIR, { onlyFolds: [1] });
  const names = set.entries.flatMap((e) => [e.nameA, e.nameB]);
  await set.close?.();
  return [...new Set(names)];
}

describe('openImageFolder with excludeIdentities', () => {
  it('leaves out every person of LFW fold 1', async () => {
    const names = await pairsNames();
    const expectedNames = foldOneNames();
    assert.deepEqual([...names].sort(), [...expectedNames].sort());
    assert.equal(names.length, 435);

    const counts = folderCounts();
    const kept = [...counts].filter(([name]) => !expectedNames.has(name));
    const numImages = kept.reduce((sum, [, count]) => sum + count, 0);

    const source = await openImageFolder(LFW_DIR, {
      excludeIdentities: names,
    });
    assert.ok(source.classNames.every((n) => !expectedNames.has(n)));
    assert.equal(source.numClasses, kept.length);
    assert.equal(source.numImages, numImages);
    assert.equal(source.numClasses, 54);
    assert.equal(source.numImages, 2744);
    const inFolder = names.filter((n) => counts.has(n));
    assert.deepEqual(
      [...source.report.excludedIdentities].sort(),
      [...inFolder].sort(),
    );
    assert.equal(source.report.excludedIdentities.length, 489 - 54);
  });

  it('then keeps the same people with at least 20 images', async () => {
    const names = await pairsNames();
    const expectedNames = foldOneNames();
    const kept = [...folderCounts()].filter(
      ([name, count]) => !expectedNames.has(name) && count >= 20,
    );
    const numImages = kept.reduce((sum, [, count]) => sum + count, 0);

    const source = await openImageFolder(LFW_DIR, {
      excludeIdentities: names,
      minImagesPerIdentity: 20,
    });
    assert.ok(source.classNames.every((n) => !expectedNames.has(n)));
    assert.equal(source.numClasses, kept.length);
    assert.equal(source.numImages, numImages);
    assert.equal(source.numClasses, 54);
    assert.equal(source.numImages, 2744);
    // 8 of the 62 people with 20 or more images are in fold 1.
    assert.deepEqual(source.report.droppedIdentities, []);
    const all20 = await openImageFolder(LFW_DIR, { minImagesPerIdentity: 20 });
    assert.equal(all20.numClasses - source.numClasses, 8);
  });

  it('ignores names without a folder', async () => {
    const source = await openImageFolder(LFW_DIR, {
      identities: ['Zico', 'George_W_Bush'],
      excludeIdentities: ['Zico', 'Nobody_Here'],
    });
    assert.deepEqual(source.classNames, ['George_W_Bush']);
    assert.equal(source.report.excludedIdentities.length, 489 - 1);
  });

  it('rejects an exclusion that leaves no identity', async () => {
    await assert.rejects(
      openImageFolder(LFW_DIR, {
        identities: ['Zico'],
        excludeIdentities: ['Zico'],
      }),
      /at least one identity must remain after excludeIdentities/,
    );
    await assert.rejects(
      openImageFolder(LFW_DIR, {
        excludeIdentities: 'Zico' as unknown as string[],
      }),
      /excludeIdentities must be an array of identity names/,
    );
  });
});
