/**
 * Benchmark `data`: images/s the input pipeline delivers (decode, flip,
 * normalise, batch) for each kind of source, against images/s one
 * training step of the small CPU backbone consumes on the same machine.
 * The goal is a ratio >= 5, so that data never starves training.
 *
 *   npm run bench -- data [--batches N] [--size S]
 *   npm run bench -- data --learnability [easy|medium|hard] [--size S]
 *   npm run bench -- data --contact-sheet out.png [easy|medium|hard]
 *
 * `--learnability` trains a small MLP on synthetic faces (wasm) and
 * prints closed-set accuracy on unseen photos of the training people and
 * verification accuracy on held-out people: it should be far above
 * chance and far from perfect. `--contact-sheet` writes a PNG of faces.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';

import { CpuResNet } from '../kernels/subface/backbones/cpu_resnet';
import { openImageFolder } from '../kernels/subface/data/folder';
import { createBatches } from '../kernels/subface/data/pipeline';
import {
  openInsightFaceRec,
  packFolder,
} from '../kernels/subface/data/recordio';
import {
  contactSheet,
  createSyntheticFaces,
  SyntheticDifficulty,
} from '../kernels/subface/data/synthetic';
import { LabelledSource } from '../kernels/subface/data/types';
import { initRuntime } from '../kernels/subface/runtime';
import { installFastGradients } from '../kernels/subface/runtime/fast_gradients';
import { SeededRandom } from '../kernels/subface/runtime/random';

const SHARED = path.resolve(__dirname, '..', '..', '..', 'shared', 'data');
const BATCH = 32;

function option(args: string[], name: string, fallback: number): number {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
}

function difficultyOf(args: string[]): SyntheticDifficulty {
  const named = args.find((a) => ['easy', 'medium', 'hard'].includes(a));
  return (named as SyntheticDifficulty | undefined) ?? 'medium';
}

/** Images/s of the pipeline over `numBatches` batches after a warm-up. */
async function pipelineRate(
  source: LabelledSource,
  size: number,
  numBatches: number,
): Promise<number> {
  const stream = createBatches(source, {
    batchSize: BATCH,
    imageSize: size,
    numEpochs: Infinity,
    prefetch: 2,
    concurrency: 4,
  });
  (await stream.next()).value?.dispose();
  const start = performance.now();
  let images = 0;
  for (let k = 0; k < numBatches; k++) {
    const { value } = await stream.next();
    if (value === undefined) break;
    images += value.indices.length;
    value.dispose();
  }
  stream.close();
  return images / ((performance.now() - start) / 1000);
}

/**
 * Images/s of a training step: CpuResNet forward and backward, a scaled
 * cosine softmax over 1000 classes, SGD with momentum.
 */
function trainingRate(size: number, steps: number): number {
  const net = new CpuResNet({ inputSize: size });
  const numClasses = 1000;
  const centres = tf.variable(
    tf.randomNormal([512, numClasses], 0, 0.01, 'float32', 1),
  );
  const optimizer = tf.train.momentum(0.1, 0.9);
  const images = tf.randomNormal([BATCH, size, size, 3], 0, 1, 'float32', 2);
  const labels = tf.oneHot(
    tf.tensor1d(
      Array.from({ length: BATCH }, (_, i) => i),
      'int32',
    ),
    numClasses,
  );
  const step = (): void => {
    const loss = optimizer.minimize(
      () => {
        const rawEmbeddings = net.apply(images as tf.Tensor4D, {
          training: true,
        });
        const embeddings = tf.div(
          rawEmbeddings,
          tf.norm(rawEmbeddings, 'euclidean', 1, true),
        );
        const normalised = tf.div(
          centres,
          tf.norm(centres, 'euclidean', 0, true),
        );
        const cosTheta = tf.matMul(embeddings, normalised); // [batch, C]
        const logits = tf.mul(cosTheta, 64);
        return tf.losses.softmaxCrossEntropy(labels, logits) as tf.Scalar;
      },
      true,
      [...net.trainableWeights, centres],
    );
    loss?.dataSync();
    loss?.dispose();
  };
  step();
  const start = performance.now();
  for (let s = 0; s < steps; s++) step();
  const rate = (steps * BATCH) / ((performance.now() - start) / 1000);
  tf.dispose([images, labels, centres]);
  optimizer.dispose();
  net.dispose();
  return rate;
}

/** The sources measured; RecordIO is ORL packed as 112 px JPEGs. */
async function openSources(size: number): Promise<[string, LabelledSource][]> {
  const sources: [string, LabelledSource][] = [
    [
      'synthetic',
      createSyntheticFaces({ numIdentities: 100, imagesPerIdentity: 20 }),
    ],
  ];
  const orl = path.join(SHARED, 'orl-faces');
  const lfw = path.join(SHARED, 'lfw-gray-subset');
  if (fs.existsSync(orl)) {
    sources.push(['folder orl-faces (pgm)', await openImageFolder(orl)]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'subface-bench-'));
    const prefix = path.join(dir, 'orl');
    await packFolder(orl, prefix, { imageSize: size });
    sources.push(['recordio orl (jpeg)', await openInsightFaceRec(prefix)]);
  }
  if (fs.existsSync(lfw)) {
    sources.push(['folder lfw-gray-subset (jpeg)', await openImageFolder(lfw)]);
  }
  return sources;
}

async function benchmark(args: string[]): Promise<void> {
  const size = option(args, '--size', 112);
  const numBatches = option(args, '--batches', 20);
  const runtime = await initRuntime({ backend: 'wasm' });
  installFastGradients();
  console.log(`data: backend ${runtime.backend}, ${os.cpus().length} cores`);

  const pipeline: Record<string, number> = {};
  for (const [name, source] of await openSources(size)) {
    pipeline[name] = await pipelineRate(source, size, numBatches);
    console.log(`pipeline ${name}: ${pipeline[name].toFixed(0)} img/s`);
    await source.close?.();
  }
  // Drawing alone, without the pipeline's normalising and batching.
  const faces = createSyntheticFaces({ numIdentities: 100 });
  const renderStart = performance.now();
  for (let i = 0; i < 500; i++) faces.render(i, { size });
  const render = 500 / ((performance.now() - renderStart) / 1000);
  console.log(`synthetic drawing alone: ${render.toFixed(0)} img/s`);

  const training = trainingRate(size, 3);
  console.log(
    `training step (CpuResNet ${size}px, batch ${BATCH}): ` +
      `${training.toFixed(1)} img/s`,
  );
  const ratios = Object.fromEntries(
    Object.entries(pipeline).map(([k, v]) => [k, v / training]),
  );
  const ratio = Math.min(...Object.values(ratios));
  console.log(`ratio (min over sources): ${ratio.toFixed(1)} (goal >= 5)`);
  console.log(
    JSON.stringify({
      name: 'data',
      ratio,
      size,
      batchSize: BATCH,
      backend: runtime.backend,
      pipelineImagesPerSecond: pipeline,
      syntheticDrawImagesPerSecond: render,
      trainingImagesPerSecond: training,
      ratios,
    }),
  );
}

/**
 * Trains an MLP (pixels -> 256 -> 128-d embedding -> softmax) on 100
 * synthetic people x 15 photos, tests on their 5 other photos and on
 * pairs of 50 held-out people.
 */
async function learnability(args: string[]): Promise<void> {
  const difficulty = difficultyOf(args);
  const size = option(args, '--size', 32);
  const epochs = option(args, '--epochs', 20);
  await initRuntime({ backend: 'wasm' });
  const start = performance.now();
  const numClasses = 100;
  const perClass = 20;
  const numTrain = 15;
  const faces = createSyntheticFaces({
    numIdentities: numClasses,
    imagesPerIdentity: perClass,
    difficulty,
  });
  const held = createSyntheticFaces({
    numIdentities: 50,
    imagesPerIdentity: 10,
    difficulty,
    firstIdentity: numClasses,
  });
  const dim = size * size * 3;
  const load = (source: typeof faces, indices: number[]): tf.Tensor2D => {
    const x = new Float32Array(indices.length * dim);
    indices.forEach((index, k) => {
      const pixels = source.render(index, { size }).pixels;
      for (let j = 0; j < dim; j++) x[k * dim + j] = pixels[j] / 127.5 - 1;
    });
    return tf.tensor2d(x, [indices.length, dim]);
  };
  const all = Array.from({ length: numClasses * perClass }, (_, i) => i);
  const trainIndices = all.filter((i) => i % perClass < numTrain);
  const testIndices = all.filter((i) => i % perClass >= numTrain);
  const xTrain = load(faces, trainIndices);
  const yTrain = tf.tensor1d(
    trainIndices.map((i) => faces.labels[i]),
    'int32',
  );
  const xTest = load(faces, testIndices);
  const xHeld = load(
    held,
    Array.from({ length: held.numImages }, (_, i) => i),
  );

  const hidden = 256;
  const embeddingDim = 128;
  const init = (shape: number[], fanIn: number, seed: number): tf.Variable =>
    tf.variable(
      tf.randomNormal(shape, 0, Math.sqrt(2 / fanIn), 'float32', seed),
    );
  const w1 = init([dim, hidden], dim, 1);
  const w2 = init([hidden, embeddingDim], hidden, 2);
  const w3 = init([embeddingDim, numClasses], embeddingDim, 3);
  const embed = (x: tf.Tensor2D): tf.Tensor2D =>
    tf.matMul(tf.relu(tf.matMul(x, w1)), w2); // [batch, embeddingDim]
  const classify = (x: tf.Tensor2D): tf.Tensor2D =>
    tf.matMul(tf.relu(embed(x)), w3); // [batch, numClasses]
  const optimizer = tf.train.adam(1e-3);
  const random = new SeededRandom(0);
  for (let epoch = 0; epoch < epochs; epoch++) {
    const order = random.permutation(trainIndices.length);
    for (let s = 0; s + 64 <= order.length; s += 64) {
      const rows = tf.tensor1d(order.slice(s, s + 64), 'int32');
      optimizer.minimize(() => {
        const logits = classify(tf.gather(xTrain, rows));
        const target = tf.oneHot(tf.gather(yTrain, rows), numClasses);
        return tf.losses.softmaxCrossEntropy(target, logits) as tf.Scalar;
      });
      rows.dispose();
    }
  }

  const accuracy = (x: tf.Tensor2D, labels: number[]): number => {
    const predicted = tf.tidy(() => classify(x).argMax(1).dataSync());
    return labels.filter((l, i) => predicted[i] === l).length / labels.length;
  };
  const trainAccuracy = accuracy(xTrain, Array.from(yTrain.dataSync()));
  const testAccuracy = accuracy(
    xTest,
    testIndices.map((i) => faces.labels[i]),
  );
  const verification = verificationAccuracy(
    tf.tidy(() => {
      const e = embed(xHeld);
      return e.div(tf.norm(e, 'euclidean', 1, true)).arraySync() as number[][];
    }),
    held.labels,
  );
  const seconds = (performance.now() - start) / 1000;
  console.log(
    `learnability ${difficulty} ${size}px: ` +
      `train ${trainAccuracy.toFixed(3)}, ` +
      `unseen photos ${testAccuracy.toFixed(3)} (chance ` +
      `${(1 / numClasses).toFixed(3)}), held-out verification ` +
      `${verification.toFixed(3)} (chance 0.5), ${seconds.toFixed(0)} s`,
  );
  console.log(
    JSON.stringify({
      name: 'data-learnability',
      difficulty,
      size,
      epochs,
      trainAccuracy,
      testAccuracy,
      verificationAccuracy: verification,
      seconds,
    }),
  );
}

/**
 * Best-threshold accuracy over 3000 same and 3000 different pairs drawn
 * from all pairs of the held-out images.
 */
function verificationAccuracy(
  embeddings: number[][],
  labels: Int32Array,
): number {
  const random = new SeededRandom(1);
  const scored: [number, boolean][] = [];
  const cosine = (i: number, j: number): number =>
    embeddings[i].reduce((sum, v, k) => sum + v * embeddings[j][k], 0);
  for (const same of [true, false]) {
    let found = 0;
    while (found < 3000) {
      const i = random.int(labels.length);
      const j = random.int(labels.length);
      if (i === j || (labels[i] === labels[j]) !== same) continue;
      scored.push([cosine(i, j), same]);
      found++;
    }
  }
  scored.sort((p, q) => q[0] - p[0]);
  let best = 0;
  let truePositives = 0;
  let falsePositives = 0;
  for (const [, same] of scored) {
    if (same) truePositives++;
    else falsePositives++;
    const correct = truePositives + (3000 - falsePositives);
    best = Math.max(best, correct / 6000);
  }
  return best;
}

async function writeContactSheet(args: string[]): Promise<void> {
  const at = args.indexOf('--contact-sheet');
  const out = args[at + 1];
  const faces = createSyntheticFaces({
    numIdentities: 6,
    imagesPerIdentity: 8,
    difficulty: difficultyOf(args),
  });
  const sheet = await contactSheet(faces, {
    tileSize: option(args, '--size', 96),
  });
  await sharp(sheet.pixels, {
    raw: { width: sheet.width, height: sheet.height, channels: 3 },
  })
    // A palette keeps the noisy sheet small enough to commit.
    .png({ compressionLevel: 9, palette: true, colours: 128 })
    .toFile(out);
  console.log(`wrote ${out} (${sheet.width}x${sheet.height})`);
}

export async function main(args: string[]): Promise<void> {
  if (args.includes('--learnability')) return learnability(args);
  if (args.includes('--contact-sheet')) return writeContactSheet(args);
  return benchmark(args);
}
