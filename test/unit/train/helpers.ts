/**
 * Shared set-up of the trainer tests: the wasm runtime, a tiny model
 * (CpuResNet at 32 px, 16-d embedding, SubFace head) on a tiny synthetic
 * set (8 identities x 6 images), and temporary folders.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { createBackbone } from '../../../kernels/subface/backbones';
import {
  createSyntheticFaces,
  SyntheticFaces,
} from '../../../kernels/subface/data/synthetic';
import { SubFaceHead } from '../../../kernels/subface/losses';
import { initRuntime } from '../../../kernels/subface/runtime';
import { TrainConfig, TrainerParts } from '../../../kernels/subface/train';

export const NUM_IDENTITIES = 8;
export const IMAGES_PER_IDENTITY = 6;
export const INPUT_SIZE = 32;
export const EMBEDDING_DIM = 16;

/** Starts the wasm backend once per test file. */
export async function setUpRuntime(): Promise<void> {
  await initRuntime({ backend: 'wasm' });
}

let source: SyntheticFaces | null = null;

/** The tiny set (shared: it is stateless). */
export function tinySource(): SyntheticFaces {
  source ??= createSyntheticFaces({
    numIdentities: NUM_IDENTITIES,
    imagesPerIdentity: IMAGES_PER_IDENTITY,
    size: INPUT_SIZE,
    seed: 5,
    difficulty: 'easy',
  });
  return source;
}

/** A small but real training config: batch 8, 6 steps per epoch. */
export const TINY_CONFIG: TrainConfig = {
  batchSize: 8,
  numEpochs: 4,
  lr: 0.05,
  logEvery: 1,
  evaluateEvery: 0,
  prefetch: 1,
};

/**
 * Backbone, SubFace head and source built from seeds alone, as a new
 * process would build them before loading a checkpoint.
 */
export function tinyParts(config: TrainConfig = TINY_CONFIG): TrainerParts {
  const backbone = createBackbone('cpu_resnet', {
    inputSize: INPUT_SIZE,
    stemChannels: 8,
    stageChannels: [8, 16],
    embeddingDim: EMBEDDING_DIM,
    seed: 11,
  });
  const head = new SubFaceHead({
    numClasses: NUM_IDENTITIES,
    embeddingDim: EMBEDDING_DIM,
    margin: { kind: 'cosface', scale: 16, margin: 0.2 },
    subface: { ratio: 0.5 },
    seed: 13,
  });
  return { backbone, head, source: tinySource(), config };
}

/** Disposes the model of `parts`. */
export function disposeParts(parts: TrainerParts): void {
  parts.backbone.dispose();
  parts.head.dispose();
}

/** A new empty folder under the OS temp dir (with a space in its name). */
export function tempFolder(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `subface ${prefix}-`));
}

export function removeFolder(folder: string): void {
  fs.rmSync(folder, { recursive: true, force: true });
}
