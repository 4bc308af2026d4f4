import { strict as assert } from 'node:assert';
import { before, describe, it } from 'node:test';

import * as tf from '@tensorflow/tfjs';

import {
  Batch,
  BatchState,
  createBatches,
  makeVerificationPairs,
  splitByIdentity,
} from '../../../kernels/subface/data/pipeline';
import { createSyntheticFaces } from '../../../kernels/subface/data/synthetic';
import {
  DataError,
  DecodedImage,
  LabelledSource,
  ResizeOptions,
} from '../../../kernels/subface/data/types';

/** The byte every fake image holds at (x, y, channel). */
function fakeByte(index: number, x: number, y: number, c: number): number {
  return (index * 31 + x * 7 + y * 13 + c * 101) % 256;
}

/**
 * A source whose pixels are a known function of (index, x, y, c), with
 * `numClasses` people of `perClass` images, and a log of reads.
 */
function fakeSource(
  numClasses: number,
  perClass: number,
  delayMs = 0,
): LabelledSource & { log: string[] } {
  const numImages = numClasses * perClass;
  const log: string[] = [];
  return {
    description: 'fake',
    numImages,
    numClasses,
    labels: Int32Array.from({ length: numImages }, (_, i) =>
      Math.floor(i / perClass),
    ),
    classNames: null,
    log,
    async read(index: number, resize: ResizeOptions): Promise<DecodedImage> {
      log.push(`start ${index}`);
      if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
      const { size } = resize;
      const pixels = new Uint8Array(size * size * 3);
      for (let y = 0; y < size; y++) {
        for (let x = 0; x < size; x++) {
          for (let c = 0; c < 3; c++) {
            pixels[(y * size + x) * 3 + c] = fakeByte(index, x, y, c);
          }
        }
      }
      return { pixels, width: size, height: size, channels: 3 };
    },
  };
}

interface Seen {
  indices: number[];
  flipped: number[];
  epochs: number[];
  checksum: number;
}

/** Drains `count` batches (or all), recording and disposing them. */
async function drain(
  stream: AsyncIterator<Batch>,
  count = Infinity,
): Promise<Seen> {
  const seen: Seen = { indices: [], flipped: [], epochs: [], checksum: 0 };
  for (let k = 0; k < count; k++) {
    const result = await stream.next();
    if (result.done) break;
    const batch = result.value;
    seen.indices.push(...batch.indices);
    seen.flipped.push(...batch.flipped);
    seen.epochs.push(batch.epoch);
    const values = await batch.images.data();
    for (let i = 0; i < values.length; i += 97) seen.checksum += values[i] * i;
    batch.dispose();
  }
  return seen;
}

describe('createBatches', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });

  it('yields float32 NHWC images in [-1, 1] and int32 labels', async () => {
    const source = fakeSource(4, 5);
    const stream = createBatches(source, { batchSize: 6, imageSize: 8 });
    const { value: batch } = await stream.next();
    assert.ok(batch);
    assert.deepEqual(batch.images.shape, [6, 8, 8, 3]);
    assert.equal(batch.images.dtype, 'float32');
    assert.deepEqual(batch.labels.shape, [6]);
    assert.equal(batch.labels.dtype, 'int32');
    const values = await batch.images.data();
    assert.ok(values.every((v) => v >= -1 && v <= 1));
    const labels = await batch.labels.data();
    batch.indices.forEach((index, k) =>
      assert.equal(labels[k], source.labels[index]),
    );
    batch.dispose();
    stream.close();
  });

  it('normalises exactly as (x / 255 - 0.5) / 0.5 and mirrors flipped images', async () => {
    const size = 5;
    const stream = createBatches(fakeSource(3, 4), {
      batchSize: 12,
      imageSize: size,
      seed: 11,
    });
    const { value: batch } = await stream.next();
    assert.ok(batch);
    const values = await batch.images.data();
    let mirrored = 0;
    batch.indices.forEach((index, k) => {
      const flip = batch.flipped[k] === 1;
      mirrored += flip ? 1 : 0;
      for (let y = 0; y < size; y++) {
        for (let x = 0; x < size; x++) {
          for (let c = 0; c < 3; c++) {
            const sourceX = flip ? size - 1 - x : x;
            const byte = fakeByte(index, sourceX, y, c);
            const expected = Math.fround((byte / 255 - 0.5) / 0.5);
            const at = ((k * size + y) * size + x) * 3 + c;
            assert.equal(values[at], expected);
          }
        }
      }
    });
    // Seed 11 flips some images and not others.
    assert.ok(mirrored > 0 && mirrored < 12, `mirrored ${mirrored}`);
    batch.dispose();
    stream.close();
  });

  it('visits every index once per epoch, in a new seeded order each epoch', async () => {
    const options = {
      batchSize: 7,
      imageSize: 2,
      seed: 5,
      dropRemainder: false,
      numEpochs: 3,
    };
    const first = await drain(createBatches(fakeSource(6, 5), options));
    const again = await drain(createBatches(fakeSource(6, 5), options));
    assert.deepEqual(first, again);

    const epochs = [0, 1, 2].map((e) =>
      first.indices.slice(e * 30, (e + 1) * 30),
    );
    for (const order of epochs) {
      assert.deepEqual(
        [...order].sort((p, q) => p - q),
        Array.from({ length: 30 }, (_, i) => i),
      );
    }
    assert.notDeepEqual(epochs[0], epochs[1]);
    assert.notDeepEqual(epochs[1], epochs[2]);
    const other = await drain(
      createBatches(fakeSource(6, 5), { ...options, seed: 6 }),
    );
    assert.notDeepEqual(other.indices, first.indices);
  });

  it('drops the last short batch of each epoch when asked to', async () => {
    const seen = await drain(
      createBatches(fakeSource(2, 5), {
        batchSize: 4,
        imageSize: 2,
        numEpochs: 2,
      }),
    );
    assert.equal(seen.indices.length, 16);
    assert.deepEqual(seen.epochs, [0, 0, 1, 1]);
  });

  it('resumes from a saved state with exactly the batches of an uninterrupted run', async () => {
    const options = { batchSize: 4, imageSize: 6, seed: 9, numEpochs: 3 };
    const faces = createSyntheticFaces({
      numIdentities: 5,
      imagesPerIdentity: 3,
    });
    const whole = await drain(createBatches(faces, options));

    const interrupted = createBatches(faces, options);
    const head = await drain(interrupted, 5);
    const state: BatchState = JSON.parse(
      JSON.stringify(interrupted.getState()),
    );
    interrupted.close();
    assert.deepEqual(
      [state.epoch, state.position],
      [1, 8],
      'three batches per epoch',
    );
    const tail = await drain(createBatches(faces, { ...options, state }));
    assert.deepEqual([...head.indices, ...tail.indices], whole.indices);
    assert.deepEqual([...head.flipped, ...tail.flipped], whole.flipped);
    assert.equal(head.checksum + tail.checksum, whole.checksum);
  });

  it('rejects a state saved from other options', () => {
    const source = fakeSource(2, 4);
    const state = createBatches(source, { batchSize: 2 }).getState();
    assert.throws(
      () => createBatches(source, { batchSize: 4, state }),
      /state.batchSize must be 4 \(these options and source\), but got 2/,
    );
  });

  it('starts reading the next batch before the consumer is done with this one', async () => {
    const source = fakeSource(4, 4, 5);
    const stream = createBatches(source, {
      batchSize: 2,
      imageSize: 2,
      shuffle: false,
      prefetch: 1,
      concurrency: 2,
    });
    const first = await stream.next();
    assert.ok(!first.done);
    // The consumer's "training step": the pipeline keeps decoding.
    await new Promise((r) => setTimeout(r, 40));
    source.log.push('step 0 done');
    first.value.dispose();
    const second = await stream.next();
    assert.ok(!second.done);
    second.value.dispose();
    stream.close();

    const stepDone = source.log.indexOf('step 0 done');
    assert.ok(source.log.indexOf('start 2') < stepDone, source.log.join());
    assert.ok(source.log.indexOf('start 3') < stepDone, source.log.join());
    // Without prefetch nothing is read ahead.
    const lazy = fakeSource(4, 4, 1);
    const onDemand = createBatches(lazy, {
      batchSize: 2,
      imageSize: 2,
      shuffle: false,
      prefetch: 0,
    });
    (await drain(onDemand, 1)).indices.forEach(() => undefined);
    assert.deepEqual(lazy.log, ['start 0', 'start 1']);
    onDemand.close();
  });

  it('surfaces a failed read as an error of next()', async () => {
    const source = fakeSource(2, 4);
    source.read = async () => {
      throw new DataError('fake: image must be readable, but got garbage');
    };
    const stream = createBatches(source, { batchSize: 2, imageSize: 2 });
    await assert.rejects(stream.next(), /image must be readable/);
    stream.close();
  });

  it('rejects a batch larger than the source when dropping remainders', () => {
    assert.throws(
      () => createBatches(fakeSource(1, 3), { batchSize: 4 }),
      /batchSize must be <= the source's 3 images when dropRemainder is true, but got 4/,
    );
  });

  it('does not leak tensors over three epochs', async () => {
    const faces = createSyntheticFaces({
      numIdentities: 4,
      imagesPerIdentity: 4,
    });
    const stream = createBatches(faces, {
      batchSize: 4,
      imageSize: 16,
      numEpochs: 3,
    });
    const before = tf.memory().numTensors;
    const counts: number[] = [];
    for await (const batch of stream) {
      const mean = batch.images.mean();
      mean.dispose();
      batch.dispose();
      if (batch.position === 12) counts.push(tf.memory().numTensors);
    }
    assert.deepEqual(counts, [before, before, before]);
  });
});

describe('splitByIdentity', () => {
  it('puts every person on one side only, with dense labels', async () => {
    const source = fakeSource(10, 3);
    const split = splitByIdentity(source, { evalFraction: 0.3, seed: 2 });
    assert.equal(split.eval.numClasses, 3);
    assert.equal(split.train.numClasses, 7);
    assert.equal(split.train.numImages + split.eval.numImages, 30);
    const evalPeople = new Set(split.evalLabels);
    for (const label of split.trainLabels) assert.ok(!evalPeople.has(label));
    for (const part of [split.train, split.eval]) {
      const labels = new Set(part.labels);
      assert.deepEqual(
        [...labels].sort((p, q) => p - q),
        Array.from({ length: part.numClasses }, (_, i) => i),
      );
    }
    // Image 0 of the eval side is the first image of its first person.
    const person = split.evalLabels[0];
    const image = await split.eval.read(0, { size: 2 });
    const original = await source.read(person * 3, { size: 2 });
    assert.deepEqual(image.pixels, original.pixels);
    assert.equal(split.eval.labels[0], 0);
  });

  it('holds out exactly the labels it is given', () => {
    const split = splitByIdentity(fakeSource(5, 2), { evalIdentities: [1, 3] });
    assert.deepEqual(Array.from(split.evalLabels), [1, 3]);
    assert.deepEqual(Array.from(split.trainLabels), [0, 2, 4]);
    assert.throws(
      () => splitByIdentity(fakeSource(5, 2), { evalIdentities: 5 }),
      /evalIdentities must be an integer in \[1, 4\], but got 5/,
    );
  });
});

describe('makeVerificationPairs', () => {
  it('draws balanced, distinct pairs that never pair an image with itself', async () => {
    const source = fakeSource(6, 4);
    const pairs = makeVerificationPairs(source, { numPairs: 50, seed: 1 });
    assert.equal(pairs.numPairs, 50);
    assert.equal(pairs.issame.filter((same) => same).length, 25);
    assert.equal(pairs.folds, null);
    const keys = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const first = pairs.sourceIndices[2 * i];
      const second = pairs.sourceIndices[2 * i + 1];
      assert.notEqual(first, second);
      assert.equal(
        source.labels[first] === source.labels[second],
        pairs.issame[i],
      );
      keys.add([first, second].sort((p, q) => p - q).join());
    }
    assert.equal(keys.size, 50);

    const hash = await pairs.sha256();
    assert.match(hash, /^[0-9a-f]{64}$/);
    const same = makeVerificationPairs(source, { numPairs: 50, seed: 1 });
    assert.equal(await same.sha256(), hash);
    const other = makeVerificationPairs(source, { numPairs: 50, seed: 2 });
    assert.notEqual(await other.sha256(), hash);
  });

  it('rejects more pairs than the source can give', () => {
    assert.throws(
      () => makeVerificationPairs(fakeSource(3, 2), { numPairs: 20 }),
      /numPairs must fit the distinct same pairs the source allows/,
    );
  });
});
