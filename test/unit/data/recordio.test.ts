import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it, TestContext } from 'node:test';

import sharp from 'sharp';

import { decodeImage } from '../../../kernels/subface/data/decode';
import {
  frameRecord,
  openInsightFaceRec,
  packFolder,
  packHeader,
  readLayout,
  RecordIOReader,
  RecordIOWriter,
  splitPayload,
  unpackHeader,
  writeInsightFaceRec,
} from '../../../kernels/subface/data/recordio';
import { DataError } from '../../../kernels/subface/data/types';
import { REPO_ROOT, SHARED_DATA } from '../../helpers/paths';

const ROOT = REPO_ROOT;
const SHARED = SHARED_DATA;
const PY_READER = path.join(ROOT, 'test', 'fixtures', 'read_recordio.py');
const MAGIC = Buffer.from([0x0a, 0x23, 0xd7, 0xce]);
/** Mean absolute pixel difference allowed after a quality-95 re-encode. */
const REENCODE_TOLERANCE = 2;

let tmp = '';
before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'subface-recordio-'));
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function openFdCount(): number {
  return fs.readdirSync('/proc/self/fd').length;
}

/** Runs the Python reader, or skips the test when python3 is missing. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function pythonRead(t: TestContext, args: string[]): any | null {
  const run = spawnSync('python3', [PY_READER, ...args], {
    encoding: 'utf8',
    maxBuffer: 64 * 2 ** 20,
  });
  if ((run.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
    t.skip('python3 not found');
    return null;
  }
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout);
}

/** cflags of the on-disk parts of the record at `offset`, parsed here. */
function partFlags(rec: Buffer, offset: number): number[] {
  const flags: number[] = [];
  for (let pos = offset; ;) {
    assert.ok(rec.subarray(pos, pos + 4).equals(MAGIC));
    const lrec = rec.readUInt32LE(pos + 4);
    const length = lrec & (2 ** 29 - 1);
    flags.push(lrec >>> 29);
    pos += 8 + ((length + 3) & ~3);
    if (lrec >>> 29 === 0 || lrec >>> 29 === 3) return flags;
  }
}

/** What the TypeScript side says about every record, as Python says it. */
async function describeRecords(rec: string, idx: string) {
  const reader = await RecordIOReader.open(rec, idx);
  const bytes = fs.readFileSync(rec);
  const records = [];
  for (const key of reader.keys) {
    const record = await reader.readRecord(key);
    records.push({
      key,
      offset: reader.offsetOf(key),
      parts: partFlags(bytes, reader.offsetOf(key)),
      flag: record.flag,
      label:
        typeof record.label === 'number'
          ? record.label
          : Array.from(record.label),
      id: record.id,
      id2: record.id2,
      dataLength: record.data.length,
      dataSha256: sha256(record.data),
    });
  }
  await reader.close();
  return records;
}

async function tinyJpeg(shade: number, size = 16): Promise<Buffer> {
  const background = { r: shade, g: 255 - shade, b: (shade * 7) % 256 };
  return sharp({
    create: { width: size, height: size, channels: 3, background },
  })
    .jpeg()
    .toBuffer();
}

interface RawRecord {
  key: number;
  label: number | number[];
  data?: Uint8Array;
}

/** Writes records exactly as given, for layouts the pack writer refuses. */
async function writeRaw(prefix: string, records: RawRecord[]) {
  const writer = await RecordIOWriter.create(`${prefix}.rec`, `${prefix}.idx`);
  for (const { key, label, data } of records) {
    await writer.write(key, packHeader({ label, id: key }, data));
  }
  await writer.close();
}

async function assertDataError(promise: Promise<unknown>, pattern: RegExp) {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof DataError, String(error));
    assert.match(error.message, pattern);
    return true;
  });
}

describe('RecordIO framing', () => {
  // Magic words at aligned offsets 0, 8, 12 (back to back) and at the very
  // end; the one at offset 17 is unaligned and must stay inside a part.
  const payload = Buffer.alloc(40, 0x55);
  for (const at of [0, 8, 12, 17, 36]) MAGIC.copy(payload, at);

  it('cuts a payload at every aligned magic word, dropping the word', () => {
    const parts = splitPayload(payload);
    assert.deepEqual(
      parts.map((part) => [part.cflag, part.bytes.length]),
      [
        [1, 0],
        [2, 4],
        [2, 0],
        [2, 20],
        [3, 0],
      ],
    );
    const framed = frameRecord(payload, 'test');
    assert.deepEqual(partFlags(Buffer.from(framed), 0), [1, 2, 2, 2, 3]);
    assert.equal(framed.length, 5 * 8 + 4 + 20);
  });

  it('reads split and whole records back byte for byte', async () => {
    const prefix = path.join(tmp, 'split');
    const datas = [payload, Buffer.from('abc'), Buffer.alloc(0), MAGIC];
    await writeRaw(
      prefix,
      datas.map((data, key) => ({ key, label: key, data })),
    );
    const reader = await RecordIOReader.open(`${prefix}.rec`, `${prefix}.idx`);
    for (const [key, data] of datas.entries()) {
      const record = await reader.readRecord(key);
      assert.deepEqual(Buffer.from(record.data), data);
      assert.equal(record.label, key);
      assert.equal((await reader.readHeader(key)).id, key);
    }
    await reader.close();
    const rec = fs.readFileSync(`${prefix}.rec`);
    assert.deepEqual(partFlags(rec, 0), [1, 2, 2, 2, 3]);
  });

  it('agrees with the Python reader on split records', async (t) => {
    const prefix = path.join(tmp, 'split');
    const python = pythonRead(t, [`${prefix}.rec`, `${prefix}.idx`]);
    if (python === null) return;
    const ours = await describeRecords(`${prefix}.rec`, `${prefix}.idx`);
    assert.deepEqual(python.records, ours);
    assert.equal(python.endOfRecords, python.fileSize);
  });

  it('packs and unpacks label arrays as mx.recordio does', () => {
    const packed = packHeader({ label: [3, 7.5], id: 9, id2: 1 }, MAGIC);
    assert.equal(packed.length, 24 + 8 + 4);
    const record = unpackHeader(packed, 'test');
    assert.equal(record.flag, 2);
    assert.deepEqual(Array.from(record.label as Float32Array), [3, 7.5]);
    assert.deepEqual([record.id, record.id2], [9, 1]);
    assert.deepEqual(Buffer.from(record.data), MAGIC);
  });
});

describe('openInsightFaceRec', () => {
  const orlClasses = ['s1', 's2', 's3', 's4', 's5'];
  const orlPrefix = () => path.join(tmp, 'orl', 'train');
  const lfwPrefix = () => path.join(tmp, 'lfw', 'train');

  /** The first three LFW people with two or more images, two each. */
  function lfwItems() {
    const root = path.join(SHARED, 'lfw-gray-subset');
    const people = fs
      .readdirSync(root)
      .sort()
      .filter((name) => fs.statSync(path.join(root, name)).isDirectory())
      .map((name) => ({
        name,
        files: fs.readdirSync(path.join(root, name)).sort(),
      }))
      .filter(({ files }) => files.length >= 2)
      .slice(0, 3);
    return people.flatMap(({ name, files }, label) =>
      files.slice(0, 2).map((file) => ({
        label: 2 - label,
        path: path.join(root, name, file),
      })),
    );
  }

  it('packs ORL s1..s5 from a folder and reads their labels', async () => {
    const folder = path.join(tmp, 'orl-folder');
    fs.mkdirSync(folder);
    for (const name of orlClasses) {
      fs.symlinkSync(
        path.join(SHARED, 'orl-faces', name),
        path.join(folder, name),
      );
    }
    fs.mkdirSync(path.dirname(orlPrefix()));
    const written = await packFolder(folder, orlPrefix());
    assert.deepEqual(
      [written.numImages, written.numClasses, written.numReencoded],
      [50, 5, 50],
    );
    assert.equal(fs.readFileSync(written.propertyPath, 'utf8'), '5,112,92\n');

    const source = await openInsightFaceRec(orlPrefix());
    assert.equal(source.hasHeader, true);
    assert.equal(source.numImages, 50);
    assert.equal(source.numClasses, 5);
    assert.deepEqual(source.classNames, orlClasses);
    assert.deepEqual(
      Array.from(source.labels),
      orlClasses.flatMap((_, label) => Array(10).fill(label)),
    );
    assert.deepEqual(source.property, {
      numClasses: 5,
      height: 112,
      width: 92,
    });
    await source.close();
  });

  it('decodes ORL images close to the source PGMs', async () => {
    const source = await openInsightFaceRec(orlPrefix());
    const files = ['1', '10', '2', '3', '4', '5', '6', '7', '8', '9'];
    for (let i = 0; i < source.numImages; i += 7) {
      const name = orlClasses[Math.floor(i / 10)];
      const file = path.join(SHARED, 'orl-faces', name, `${files[i % 10]}.pgm`);
      const resize = { size: 48 };
      const ours = await source.read(i, resize);
      const expected = await decodeImage(fs.readFileSync(file), resize, file);
      let difference = 0;
      ours.pixels.forEach(
        (v, j) => (difference += Math.abs(v - expected.pixels[j])),
      );
      assert.ok(difference / ours.pixels.length < REENCODE_TOLERANCE, file);
    }
    await source.close();
  });

  it('stores LFW JPEGs as given, decoding as the source', async () => {
    const items = lfwItems();
    const written = await writeInsightFaceRec(items, lfwPrefix());
    assert.equal(written.numReencoded, 0);
    const source = await openInsightFaceRec(lfwPrefix());
    assert.equal(source.classNames, null);
    assert.deepEqual(Array.from(source.labels), [0, 0, 1, 1, 2, 2]);

    // Labels were given in reverse, so the writer grouped them in order.
    const sorted = [...items].sort((a, b) => a.label - b.label);
    const resize = { size: 64, centerCrop: 0.5 };
    for (const [i, item] of sorted.entries()) {
      const bytes = fs.readFileSync(item.path);
      const ours = await source.read(i, resize);
      assert.deepEqual(ours, await decodeImage(bytes, resize, item.path));
    }
    await source.close();
  });

  it('re-encodes to imageSize, which mixed sizes need', async () => {
    const orl = path.join(SHARED, 'orl-faces', 's1');
    const items = [
      { label: 0, path: path.join(orl, '1.pgm') },
      ...lfwItems().slice(0, 2),
    ];
    const prefix = path.join(tmp, 'mixed', 'train');
    await assertDataError(
      writeInsightFaceRec(items, prefix),
      /_0001\.jpg: every image must be 92x112 like the first \(or pass /,
    );
    const written = await writeInsightFaceRec(items, prefix, {
      imageSize: 32,
      jpegQuality: 90,
    });
    assert.equal(written.numReencoded, 3);
    assert.equal(fs.readFileSync(written.propertyPath, 'utf8'), '3,32,32\n');
    const source = await openInsightFaceRec(prefix);
    const image = await source.read(1, { size: 32, fit: 'fill' });
    assert.deepEqual([image.width, image.height], [32, 32]);
    await source.close();
  });

  it('writes packs the independent Python reader reads the same', async (t) => {
    for (const prefix of [orlPrefix(), lfwPrefix()]) {
      const property = path.join(path.dirname(prefix), 'property');
      const files = [`${prefix}.rec`, `${prefix}.idx`];
      const python = pythonRead(t, [...files, property]);
      if (python === null) return;
      const ours = await describeRecords(files[0], files[1]);
      assert.deepEqual(python.records, ours);
      assert.equal(python.endOfRecords, python.fileSize);

      // InsightFace layout: header, images 1..N, identity j = [start, end).
      const source = await openInsightFaceRec(prefix);
      const n = source.numImages;
      const classes = source.numClasses;
      assert.deepEqual(python.header, { first: n + 1, end: n + 1 + classes });
      assert.deepEqual(python.keys, [...Array(n + 1 + classes).keys()]);
      for (let j = 0; j < classes; j++) {
        const start = 1 + source.labels.indexOf(j);
        const count = source.labels.filter((label) => label === j).length;
        const identity = python.records[n + 1 + j];
        assert.deepEqual(identity.label, [start, start + count]);
        assert.deepEqual([identity.flag, identity.dataLength], [2, 0]);
      }
      python.records
        .slice(1, n + 1)
        .forEach((record: { label: number; flag: number }, i: number) => {
          assert.deepEqual([record.flag, record.label], [0, source.labels[i]]);
        });
      assert.equal(python.property.numClasses, classes);
      await source.close();
    }
  });

  it('takes every key as an image without a header', async () => {
    const jpeg = await tinyJpeg(10);
    const noZero = path.join(tmp, 'no-header');
    await writeRaw(noZero, [
      { key: 1, label: 0, data: jpeg },
      { key: 2, label: 1, data: jpeg },
      { key: 5, label: 1, data: jpeg },
    ]);
    const source = await openInsightFaceRec(noZero);
    assert.equal(source.hasHeader, false);
    assert.deepEqual(Array.from(source.imageKeys), [1, 2, 5]);
    assert.deepEqual([source.numImages, source.numClasses], [3, 2]);
    assert.equal((await source.read(2, { size: 8 })).width, 8);
    await source.close();

    const flagZero = path.join(tmp, 'flag-zero');
    await writeRaw(flagZero, [
      { key: 0, label: 2, data: jpeg },
      { key: 1, label: 0, data: jpeg },
    ]);
    const second = await openInsightFaceRec(flagZero);
    assert.deepEqual(Array.from(second.labels), [2, 0]);
    await second.close();
  });

  it('reads labels of records split inside their header', async () => {
    // id 0xCED7230A puts the magic word at payload offset 8, so the
    // record is cut inside its IRHeader and the header scan falls back.
    const jpeg = await tinyJpeg(20);
    const prefix = path.join(tmp, 'split-header');
    const writer = await RecordIOWriter.create(
      `${prefix}.rec`,
      `${prefix}.idx`,
    );
    for (const [key, label] of [
      [1, 0],
      [2, 1],
      [3, 2],
    ]) {
      const id = key === 2 ? 0xced7230a : key;
      await writer.write(key, packHeader({ label, id }, jpeg));
    }
    await writer.close();
    const rec = fs.readFileSync(`${prefix}.rec`);
    const reader = await RecordIOReader.open(`${prefix}.rec`, `${prefix}.idx`);
    assert.deepEqual(partFlags(rec, reader.offsetOf(2)), [1, 3]);
    assert.equal((await reader.readHeader(2)).id, 0xced7230a);
    await reader.close();

    const source = await openInsightFaceRec(prefix);
    assert.deepEqual(Array.from(source.labels), [0, 1, 2]);
    await source.close();
  });

  it('takes the first element of a label array on image records', async () => {
    const folder = path.join(tmp, 'arrays');
    fs.mkdirSync(folder);
    const prefix = path.join(folder, 'train');
    const jpeg = await tinyJpeg(99);
    await writeRaw(prefix, [
      { key: 0, label: [3, 7], data: jpeg },
      { key: 1, label: [1, 0.5], data: jpeg },
    ]);
    fs.writeFileSync(path.join(folder, 'property'), '4,16,16\n');
    await assertDataError(
      openInsightFaceRec(prefix),
      /record 0 .*image with a label array/,
    );

    await writeRaw(prefix, [
      { key: 1, label: [3, 7], data: jpeg },
      { key: 2, label: [1, 0.5], data: jpeg },
    ]);
    const source = await openInsightFaceRec(prefix);
    assert.deepEqual(Array.from(source.labels), [3, 1]);
    assert.equal(source.numClasses, 4);
    await source.close();
  });
});

describe('readLayout', () => {
  it('resolves float32 header indices past 2^24 with the .idx', async () => {
    // A Glint360K-sized pack, simulated: 2^24 images, so the first
    // identity record 2^24 + 1 is stored rounded to 2^24 in float32.
    const numImages = 2 ** 24;
    const first = numImages + 1;
    const end = first + 10;
    const header = Float32Array.of(first, end);
    assert.notEqual(header[0], first);
    const stub = {
      index: { size: end, has: (key: number) => key >= 0 && key < end },
      idxPath: 'stub.idx',
      describe: (key: number) => `stub.rec record ${key}`,
      readRecord: async (key: number) => ({
        flag: key === 0 || key >= first ? 2 : 0,
        label: key === 0 ? header : key,
        id: key,
        id2: 0,
        data: new Uint8Array(key === 0 || key >= first ? 0 : 1),
      }),
    } as unknown as RecordIOReader;
    const layout = await readLayout(stub);
    assert.deepEqual(
      [layout.firstIdentity, layout.endIdentity, layout.imageKeys.length],
      [first, end, numImages],
    );
  });
});

describe('malformed packs', () => {
  const dir = () => path.join(tmp, 'bad');
  const good = () => path.join(dir(), 'good');
  let fdsBefore = 0;

  /** A copy of the good pack with the .rec and .idx edited. */
  function variant(
    name: string,
    edit: (rec: Buffer, idx: string) => [Buffer, string],
  ) {
    const prefix = path.join(dir(), name);
    const [rec, idx] = edit(
      fs.readFileSync(`${good()}.rec`),
      fs.readFileSync(`${good()}.idx`, 'utf8'),
    );
    fs.writeFileSync(`${prefix}.rec`, rec);
    fs.writeFileSync(`${prefix}.idx`, idx);
    return prefix;
  }

  /** A prefix in a folder of its own, so no `property` applies. */
  function freshPrefix(name: string): string {
    fs.mkdirSync(path.join(dir(), name));
    return path.join(dir(), name, 'train');
  }

  function offsetOf(idx: string, key: number): number {
    const line = idx.split('\n').find((l) => l.startsWith(`${key}\t`));
    return Number(line!.split('\t')[1]);
  }

  before(async () => {
    fs.mkdirSync(dir());
    const items = async (size: number) =>
      Promise.all(
        [0, 0, 1, 1, 2, 2].map(async (label, i) => ({
          label,
          bytes: await tinyJpeg(40 * i, size),
        })),
      );
    await writeInsightFaceRec(await items(16), good());
    await writeInsightFaceRec(await items(40), path.join(dir(), 'other'));
    fdsBefore = openFdCount();
  });

  it('opens the unedited pack', async () => {
    const source = await openInsightFaceRec(good());
    assert.deepEqual([source.numImages, source.numClasses], [6, 3]);
    await source.close();
  });

  it('rejects a bad magic word and names the record', async () => {
    const prefix = variant('magic', (rec, idx) => {
      rec.write('XXXX', offsetOf(idx, 3), 'latin1');
      return [rec, idx];
    });
    await assertDataError(
      openInsightFaceRec(prefix),
      new RegExp(
        String.raw`record 3 \(offset \d+\): part 0 .* magic word ` +
          '0xCED7230A, but got 0x58585858',
      ),
    );
  });

  it('rejects a truncated record', async () => {
    const prefix = variant('truncated', (rec, idx) => [
      rec.subarray(0, rec.length - 4),
      idx,
    ]);
    await assertDataError(
      openInsightFaceRec(prefix),
      /record 9 .*truncated \.rec/,
    );
  });

  it('rejects an .idx offset past the end of the .rec', async () => {
    const prefix = variant('past-end', (rec, idx) => [
      rec,
      idx.replace(/^2\t\d+$/m, '2\t1000000000'),
    ]);
    await assertDataError(
      openInsightFaceRec(prefix),
      /past-end\.idx line 3: the offset of record 2 must be at most \d+/,
    );
  });

  it('rejects an .idx from another build of the pack', async () => {
    const prefix = variant('mismatch', (rec) => [
      rec,
      fs.readFileSync(path.join(dir(), 'other.idx'), 'utf8'),
    ]);
    await assertDataError(
      openInsightFaceRec(prefix),
      /record \d+ .*different builds/,
    );
  });

  it('rejects labels >= num_classes', async () => {
    const jpeg = await tinyJpeg(1);
    const prefix = freshPrefix('label-range');
    await writeRaw(prefix, [
      { key: 0, label: [4, 6] },
      { key: 1, label: 0, data: jpeg },
      { key: 2, label: 1, data: jpeg },
      { key: 3, label: 2, data: jpeg },
      { key: 4, label: [1, 2] },
      { key: 5, label: [2, 3] },
    ]);
    await assertDataError(
      openInsightFaceRec(prefix),
      new RegExp(
        'record 3 .*label must be < num_classes 2 ' +
          String.raw`\(from the identity records\), but got 2`,
      ),
    );

    const sub = path.join(dir(), 'with-property');
    fs.mkdirSync(sub);
    await writeRaw(path.join(sub, 'train'), [{ key: 7, label: 5, data: jpeg }]);
    fs.writeFileSync(path.join(sub, 'property'), '2,16,16\n');
    await assertDataError(
      openInsightFaceRec(path.join(sub, 'train')),
      /record 7 .*label must be < num_classes 2 \(from .*property\), but got 5/,
    );
  });

  it('rejects non-integer labels', async () => {
    const jpeg = await tinyJpeg(2);
    const prefix = freshPrefix('float-label');
    await writeRaw(prefix, [
      { key: 1, label: 0, data: jpeg },
      { key: 2, label: 1.5, data: jpeg },
    ]);
    await assertDataError(
      openInsightFaceRec(prefix),
      /record 2 .*label must be a non-negative integer class id, but got 1\.5/,
    );
  });

  it('rejects identity ranges that disagree with labels', async () => {
    const jpeg = await tinyJpeg(3);
    const prefix = freshPrefix('ranges');
    await writeRaw(prefix, [
      { key: 0, label: [4, 6] },
      { key: 1, label: 0, data: jpeg },
      { key: 2, label: 0, data: jpeg },
      { key: 3, label: 1, data: jpeg },
      { key: 4, label: [1, 2] },
      { key: 5, label: [2, 4] },
    ]);
    await assertDataError(
      openInsightFaceRec(prefix),
      /record 4 .*class 0 must be .* records \[1, 3\), but got \[1, 2\)/,
    );
  });

  it('rejects float32 indices past 2^24 against the .idx', async () => {
    const jpeg = await tinyJpeg(4);
    const prefix = freshPrefix('past-2-24');
    const first = 2 ** 24 + 8;
    await writeRaw(prefix, [
      { key: 0, label: [first, first + 2] },
      { key: 1, label: 0, data: jpeg },
      { key: 2, label: [1, 2] },
      { key: 3, label: [2, 2] },
    ]);
    await assertDataError(
      openInsightFaceRec(prefix),
      new RegExp(
        String.raw`record 0 .*label\[1\] .* lists 4 keys; header ` +
          String.raw`indices are float32, exact only up to 2\^24`,
      ),
    );
  });

  it('leaves no partial pack behind when writing fails', async () => {
    const out = path.join(dir(), 'atomic');
    fs.mkdirSync(out);
    const jpeg = await tinyJpeg(5);
    await assertDataError(
      writeInsightFaceRec(
        [
          { label: 0, bytes: jpeg },
          { label: 1, path: path.join(out, 'missing.jpg') },
        ],
        path.join(out, 'train'),
      ),
      /missing\.jpg: image file must be readable, but got ENOENT/,
    );
    assert.deepEqual(fs.readdirSync(out), []);
  });

  it('leaves no file handle open after any failure', () => {
    assert.equal(openFdCount(), fdsBefore);
  });
});
