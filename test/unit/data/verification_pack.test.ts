import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';

import sharp from 'sharp';

import {
  DataError,
  VerificationSet,
} from '../../../kernels/subface/data/types';
import {
  openPairsList,
  openVerificationPack,
  PackPair,
  parsePairsList,
  readPackContent,
  unpickle,
  writeVerificationPack,
} from '../../../kernels/subface/data/verification';
import { SeededRandom } from '../../../kernels/subface/runtime/random';
import { REPO_ROOT, SHARED_DATA } from '../../helpers/paths';

const ROOT = REPO_ROOT;
const SHARED = SHARED_DATA;
const LFW = path.join(SHARED, 'lfw-gray-subset');
const PAIRS = path.join(SHARED, 'lfw-protocol', 'pairs.txt');
const SCRIPT = path.join(ROOT, 'test', 'fixtures', 'make_bin_packs.py');

// Debian's python3 has numpy once test/setup/jupyter.sh installed it; the
// pyenv one has only the standard library.
// SUBFACE_TEST_PYTHON picks another (e.g. to see the numpy cases skip).
const PYTHON =
  process.env.SUBFACE_TEST_PYTHON ??
  (fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
const HAS_NUMPY = (() => {
  try {
    execFileSync(PYTHON, ['-c', 'import numpy'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const NO_NUMPY = HAS_NUMPY ? false : `numpy is missing for ${PYTHON}`;

/** A real Python 2.7, when this machine has one (pyenv often does). */
function findPython2(): string | null {
  const candidates = [process.env.SUBFACE_TEST_PYTHON2, 'python2'];
  const pyenv = process.env.PYENV_ROOT ?? path.join(os.homedir(), '.pyenv');
  const versions = path.join(pyenv, 'versions');
  if (fs.existsSync(versions)) {
    for (const version of fs.readdirSync(versions)) {
      if (version.startsWith('2.')) {
        candidates.push(path.join(versions, version, 'bin', 'python'));
      }
    }
  }
  const isPython2 = 'import sys; sys.exit(sys.version_info[0] != 2)';
  for (const candidate of candidates) {
    if (!candidate) continue;
    try {
      execFileSync(candidate, ['-c', isPython2], { stdio: 'ignore' });
      return candidate;
    } catch {
      // Not there, or not Python 2: try the next one.
    }
  }
  return null;
}

const PYTHON2 = findPython2();

/** Pairs in the small packs; the Python 2 pack holds all 600 of fold 1. */
const NUM_SMALL = 6;

interface Manifest {
  files: Record<string, { opcodes: string[] }>;
  skipped: Record<string, string>;
}

interface Loaded {
  num_bins: number;
  num_issame: number;
  bin_types: string[];
  issame_types: string[];
  issame: boolean[];
  sha256: string[];
  loads_without_encoding: boolean;
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Fold 1 of pairs.txt, matched and mismatched pairs alternating. */
function fold1Pairs(): PackPair[] {
  const list = parsePairsList(fs.readFileSync(PAIRS, 'utf8'), PAIRS);
  const file = (name: string, n: number): string =>
    path.join(LFW, name, `${name}_${String(n).padStart(4, '0')}.jpg`);
  const pairs = list.entries
    .filter((entry) => entry.fold === 1)
    .map((entry) => ({
      a: file(entry.nameA, entry.numberA),
      b: file(entry.nameB, entry.numberB),
      issame: entry.issame,
    }));
  const same = pairs.filter((pair) => pair.issame);
  const different = pairs.filter((pair) => !pair.issame);
  return same.flatMap((pair, i) => [pair, different[i]]);
}

function pythonLoad(packPath: string): Loaded {
  const out = execFileSync(PYTHON, [SCRIPT, 'load', packPath], {
    encoding: 'utf8',
  });
  return JSON.parse(out) as Loaded;
}

async function rejects(file: string, pattern: RegExp): Promise<void> {
  await assert.rejects(openVerificationPack(file), (error: Error) => {
    assert.ok(error instanceof DataError, String(error));
    assert.match(error.message, pattern);
    return true;
  });
}

describe('openVerificationPack on packs made by CPython pickle', () => {
  const pairs = fold1Pairs();
  const small = pairs.slice(0, NUM_SMALL);
  let dir = '';
  let marker = '';
  let spec = '';
  let manifest: Manifest;
  const pack = (name: string): string => path.join(dir, name);

  /** Checks counts, flags and that every image is the file's bytes. */
  async function checkPack(name: string, expected: PackPair[]) {
    const set = await openVerificationPack(pack(name));
    assert.equal(set.name, name.replace(/\.bin$/, ''));
    assert.equal(set.numPairs, expected.length);
    assert.equal(set.numImages, 2 * expected.length);
    assert.equal(set.folds, null);
    assert.deepEqual(
      set.issame,
      expected.map((pair) => pair.issame),
    );
    for (let i = 0; i < set.numImages; i++) {
      const pair = expected[i >> 1];
      const file = (i % 2 === 0 ? pair.a : pair.b) as string;
      const bytes = await set.readEncoded(i);
      assert.equal(sha256(bytes), sha256(fs.readFileSync(file)), `image ${i}`);
    }
    const image = await set.readImage(1, { size: 112 });
    assert.deepEqual([image.width, image.height], [112, 112]);
    assert.equal(image.pixels.length, 112 * 112 * 3);
    return set;
  }

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'subface-packs-'));
    marker = path.join(dir, 'marker');
    spec = path.join(dir, 'spec.json');
    const entries = pairs.map((pair) => [pair.a, pair.b, pair.issame]);
    fs.writeFileSync(
      spec,
      JSON.stringify({ pairs: entries, small: NUM_SMALL, marker }),
    );
    const out = execFileSync(PYTHON, [SCRIPT, 'make', dir, spec], {
      encoding: 'utf8',
    });
    manifest = JSON.parse(out) as Manifest;
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads a Python 2 protocol-2 pack: str images, long memo ids, batched lists', async () => {
    const opcodes = manifest.files['py2_proto2.bin'].opcodes;
    for (const name of ['BINSTRING', 'LONG_BINPUT', 'LONG_BINGET', 'BINGET']) {
      assert.ok(opcodes.includes(name), `fixture lacks ${name}`);
    }
    const set = await checkPack('py2_proto2.bin', pairs);
    assert.equal(set.numImages, 1200); // > 1000: two APPENDS batches
    assert.equal(set.issame.filter((same) => same).length, 300);
    assert.equal(set.protocol, 2);
    assert.equal(set.imageForm, 'bytes');
  });

  it(
    'reads a pack written by Python 2 cPickle itself, as lfw2pack.py did',
    { skip: PYTHON2 ? false : 'no Python 2.7 interpreter found' },
    async () => {
      execFileSync(PYTHON2 as string, [SCRIPT, 'make-py2', dir, spec]);
      const set = await checkPack('real_py2_cpickle.bin', pairs);
      assert.equal(set.protocol, 2);
    },
  );

  it('reads a one-pair Python 2 pack (APPEND for a 1-item list)', async () => {
    await checkPack('one_pair.bin', pairs.slice(0, 1));
  });

  it('reads Python 3 protocol 2, where bytes are _codecs.encode calls', async () => {
    assert.ok(manifest.files['py3_proto2.bin'].opcodes.includes('REDUCE'));
    await checkPack('py3_proto2.bin', small);
  });

  it('reads protocols 3, 4 and 5 (BINBYTES, FRAME, MEMOIZE)', async () => {
    assert.ok(manifest.files['proto4.bin'].opcodes.includes('FRAME'));
    for (const protocol of [3, 4, 5]) {
      const set = await checkPack(`proto${protocol}.bin`, small);
      assert.equal(set.protocol, protocol);
    }
  });

  it(
    'reads uint8 numpy arrays (cv2.imencode packs) in protocols 2, 4, 5',
    { skip: NO_NUMPY },
    async () => {
      for (const name of [
        'py2_numpy_proto2.bin',
        'numpy_proto2.bin',
        'numpy_proto4.bin',
        'numpy_proto5.bin',
      ]) {
        const set = await checkPack(name, small);
        assert.equal(set.imageForm, 'ndarray', name);
      }
    },
  );

  it('notes images that are not 112x112 and uneven folds, without failing', async () => {
    const set = await openVerificationPack(pack('proto4.bin'));
    assert.equal(set.notes.length, 2);
    assert.match(
      set.notes[0],
      /12 of 12 images are not 112x112 \(12 are 250x250\)/,
    );
    assert.match(
      set.notes[1],
      /the pair count 6 does not split into 10 equal folds/,
    );
  });

  it('hashes the file bytes', async () => {
    const set = await openVerificationPack(pack('proto5.bin'));
    assert.equal(
      await set.sha256(),
      sha256(fs.readFileSync(pack('proto5.bin'))),
    );
  });

  it('rejects an os.system payload without running it', async () => {
    await rejects(
      pack('os_system.bin'),
      /pickle global at byte \d+ \(0x63 'c' GLOBAL\) must be one of .*but got 'posix\.system'/,
    );
    assert.equal(fs.existsSync(`${marker}.os_system`), false);
  });

  it('rejects a builtins.eval payload named by STACK_GLOBAL', async () => {
    await rejects(
      pack('builtins_eval.bin'),
      /STACK_GLOBAL.*but got 'builtins\.eval'/,
    );
    assert.equal(fs.existsSync(`${marker}.eval`), false);
  });

  it('uses live payloads: CPython pickle.load does run them', () => {
    pythonLoad(pack('os_system.bin'));
    assert.equal(fs.existsSync(`${marker}.os_system`), true);
  });

  it('rejects opcodes outside the supported set, naming the opcode', async () => {
    await rejects(
      pack('protocol0.bin'),
      /at byte \d+ \(0x[0-9a-f]{2} '.' [A-Z]+\) must be one of PROTO/,
    );
  });

  it('rejects truncated pickles', async () => {
    await rejects(
      pack('truncated.bin'),
      /must be \d+ bytes, but got \d+ \(truncated\)/,
    );
    await rejects(
      pack('truncated_py2.bin'),
      /BINSTRING\) must be \d+ bytes, but got \d+ \(truncated\)/,
    );
  });

  it('rejects inconsistent counts, non-bool flags and non-images', async () => {
    await rejects(
      pack('odd_count.bin'),
      /bins must hold 2 \* len\(issame_list\) = 12 images .* but got 11/,
    );
    await rejects(
      pack('non_bool.bin'),
      /issame_list\[0\] must be True or False, but got int 1/,
    );
    await rejects(
      pack('not_image.bin'),
      /bins\[0\] must start with the JPEG \(ffd8\) or PNG .* but got '68656c6c'/,
    );
  });

  it(
    'rejects numpy arrays that are not uint8',
    { skip: NO_NUMPY },
    async () => {
      await rejects(
        pack('numpy_float.bin'),
        /bins\[0\]: numpy dtype must be uint8 \('u1'\), but got 'f4'/,
      );
    },
  );

  it('rejects missing files and image indices out of range', async () => {
    await rejects(
      pack('nothing.bin'),
      /verification pack must be a readable file, but got ENOENT/,
    );
    const set = await openVerificationPack(pack('proto4.bin'));
    await assert.rejects(
      set.readImage(12, { size: 112 }),
      /image index must be an integer in \[0, 12\), but got 12/,
    );
  });
});

describe('unpickle', () => {
  const where = 'test.pkl';
  const load =
    (...codes: number[]) =>
    () =>
      unpickle(Uint8Array.from(codes), where);

  it('rejects a memo id that was never stored', () => {
    assert.throws(
      load(0x80, 2, 0x68, 5, 0x2e),
      /BINGET\) must have been stored, but got 5/,
    );
  });

  it('rejects popping past the stack or the last MARK', () => {
    assert.throws(
      load(0x80, 2, 0x61, 0x2e),
      /APPEND\) must hold a value above the last MARK/,
    );
    assert.throws(
      load(0x80, 2, 0x5d, 0x28, 0x85, 0x2e),
      /TUPLE1\) must hold a value above the last MARK/,
    );
  });

  it('rejects data that ends before STOP', () => {
    assert.throws(
      load(0x80, 2, 0x5d),
      /pickle must end with STOP, but got the end of the data at byte 3/,
    );
  });

  it('throws only DataError for prefixes and corruptions of real packs', () => {
    const packs = fs.mkdtempSync(path.join(os.tmpdir(), 'subface-fuzz-'));
    try {
      const spec = path.join(packs, 'spec.json');
      const pairs = fold1Pairs().slice(0, 2);
      const entries = pairs.map((pair) => [pair.a, pair.b, pair.issame]);
      fs.writeFileSync(
        spec,
        JSON.stringify({
          pairs: entries,
          small: 2,
          marker: path.join(packs, 'm'),
        }),
      );
      execFileSync(PYTHON, [SCRIPT, 'make', packs, spec]);
      const random = new SeededRandom(11);
      for (const name of [
        'py3_proto2.bin',
        'proto5.bin',
        HAS_NUMPY ? 'numpy_proto2.bin' : 'one_pair.bin',
      ]) {
        const bytes = fs.readFileSync(path.join(packs, name));
        const tries = (data: Uint8Array) => {
          try {
            readPackContent(unpickle(data, name).value, name);
          } catch (error) {
            assert.ok(error instanceof DataError, `${name}: ${String(error)}`);
          }
        };
        for (let i = 0; i < 100; i++) {
          tries(bytes.subarray(0, random.int(bytes.length)));
          const corrupt = Uint8Array.from(bytes);
          corrupt[random.int(Math.min(corrupt.length, 2000))] = random.int(256);
          tries(corrupt);
        }
      }
    } finally {
      fs.rmSync(packs, { recursive: true, force: true });
    }
  });
});

describe('writeVerificationPack', () => {
  const pairs = fold1Pairs().slice(0, 10);
  let dir = '';
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'subface-write-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes 112x112 JPEGs that Python loads as (list of bytes, list of bool)', async () => {
    const out = path.join(dir, 'lfw_small.bin');
    const result = await writeVerificationPack(pairs, out);
    assert.deepEqual(
      [result.numPairs, result.numImages, result.numReencoded],
      [10, 20, 20],
    );
    assert.equal(result.sha256, sha256(fs.readFileSync(out)));

    const loaded = pythonLoad(out);
    assert.equal(loaded.num_bins, 20);
    assert.deepEqual(loaded.bin_types, ['bytes']);
    assert.deepEqual(loaded.issame_types, ['bool']);
    assert.deepEqual(
      loaded.issame,
      pairs.map((pair) => pair.issame),
    );
    assert.equal(loaded.loads_without_encoding, true);

    const set = await openVerificationPack(out);
    assert.deepEqual(set.notes, []);
    assert.equal(set.protocol, 4);
    for (let i = 0; i < 20; i++) {
      assert.equal(sha256(await set.readEncoded(i)), loaded.sha256[i]);
    }
  });

  it('copies JPEG bytes unchanged when no resize is asked', async () => {
    const out = path.join(dir, 'copied.bin');
    const result = await writeVerificationPack(pairs, out, { size: null });
    assert.equal(result.numCopied, 20);
    const loaded = pythonLoad(out);
    const files = pairs.flatMap((pair) => [pair.a, pair.b]) as string[];
    assert.deepEqual(
      loaded.sha256,
      files.map((file) => sha256(fs.readFileSync(file))),
    );
  });

  it('repacks a VerificationSet, re-encoding when it has no encoded bytes', async () => {
    const source = await openVerificationPack(path.join(dir, 'copied.bin'));
    const copy = await writeVerificationPack(
      source,
      path.join(dir, 'copy.bin'),
      { size: null },
    );
    assert.equal(copy.sha256, await source.sha256());

    const decodedOnly: VerificationSet = {
      name: 'decoded',
      numPairs: source.numPairs,
      issame: source.issame,
      folds: null,
      readImage: (index, resize) => source.readImage(index, resize),
      sha256: () => source.sha256(),
    };
    const out = path.join(dir, 'decoded.bin');
    const result = await writeVerificationPack(decodedOnly, out, { size: 64 });
    assert.equal(result.numReencoded, 20);
    const image = await (
      await openVerificationPack(out)
    ).readImage(3, { size: 64 });
    assert.deepEqual([image.width, image.height], [64, 64]);
  });

  it('packs a pairs list the way pack-pairs does, keeping its order', async () => {
    const lines = fs.readFileSync(PAIRS, 'utf8').split('\n');
    const list = path.join(dir, 'two.txt');
    fs.writeFileSync(list, `1\n${lines[1]}\n${lines[301]}\n`);
    const set = await openPairsList(list, LFW);
    const out = path.join(dir, 'two.bin');
    const result = await writeVerificationPack(set, out, { centerCrop: 0.5 });
    assert.equal(result.numReencoded, 4);
    const loaded = pythonLoad(out);
    assert.deepEqual(loaded.issame, [true, false]);
    const packed = await openVerificationPack(out);
    const image = await packed.readImage(2, { size: 112 });
    assert.deepEqual([image.width, image.height], [112, 112]);
  });

  it('re-encodes PNG and PGM images, and needs a size for non-square ones', async () => {
    const pgm = fs.readFileSync(path.join(SHARED, 'orl-faces', 's1', '1.pgm'));
    const png = await sharp(pgm.subarray(pgm.length - 92 * 92), {
      raw: { width: 92, height: 92, channels: 1 },
    })
      .png()
      .toBuffer();
    const pair = [{ a: png, b: pgm, issame: true }];
    const out = path.join(dir, 'mixed.bin');
    await assert.rejects(
      writeVerificationPack(pair, out, { size: null }),
      /pairs\[0\]\.b: image must be square to be packed without resizing \(size null\), but got 92x112/,
    );
    const result = await writeVerificationPack(pair, out, { size: 96 });
    assert.equal(result.numReencoded, 2);
    const packed = await openVerificationPack(out, { expectedSize: 96 });
    assert.deepEqual(packed.notes.slice(0, 1), [
      'the pair count 1 does not split into 10 equal folds; the last ' +
        'folds will be smaller',
    ]);
    const kept = await writeVerificationPack(
      [{ a: png, b: png, issame: false }],
      out,
      { size: null },
    );
    assert.equal(kept.numReencoded, 2);
    const image = await (
      await openVerificationPack(out)
    ).readImage(0, { size: 92, fit: 'fill' });
    assert.deepEqual([image.width, image.height], [92, 92]);
  });

  it('leaves no file behind when an image is missing', async () => {
    const out = path.join(dir, 'broken.bin');
    const broken = [
      ...pairs,
      { a: pairs[0].a, b: path.join(dir, 'no.jpg'), issame: false },
    ];
    await assert.rejects(
      writeVerificationPack(broken, out),
      /no\.jpg: image must be a readable file, but got ENOENT/,
    );
    assert.deepEqual(
      fs.readdirSync(dir).filter((file) => file.includes('broken')),
      [],
    );
  });

  it('rejects bad options and empty input', async () => {
    const out = path.join(dir, 'bad.bin');
    await assert.rejects(
      writeVerificationPack(pairs, out, { quality: 0 }),
      /quality must be an integer in \[1, 100\], but got 0/,
    );
    await assert.rejects(
      writeVerificationPack([], out),
      /pairs must hold at least one pair, but got 0/,
    );
  });
});
