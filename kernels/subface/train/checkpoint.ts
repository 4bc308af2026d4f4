/**
 * The checkpoint format: a plain folder holding `manifest.json` (JSON
 * state and the weight layout) and `weights.bin` (every tensor, float32
 * little-endian, back to back). Paths are OS paths, never `file://` URLs
 * (tfjs' `file://` handlers confuse slashes and break on Windows drive
 * paths). Folders are written atomically (atomic_files.ts).
 *
 * Porting note: InsightFace saves a PyTorch state_dict per rank plus a
 * separate `checkpoint_gpu_<rank>.pt` with the optimizer and scheduler;
 * one folder per step with everything is what a resume here needs.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';

import {
  FileWriter,
  NODE_FILE_WRITER,
  writeFolderAtomically,
} from './atomic_files';
import { CheckpointError } from './errors';

export const CHECKPOINT_FORMAT = 'subface-checkpoint';
export const CHECKPOINT_VERSION = 1;
export const MANIFEST_FILE = 'manifest.json';
export const WEIGHTS_FILE = 'weights.bin';

/** What each stored tensor is, so a reader can restore it. */
export type WeightGroup = 'backbone' | 'backboneState' | 'head' | 'slot';

/** One tensor in weights.bin. */
export interface WeightEntry {
  name: string;
  group: WeightGroup;
  shape: number[];
  dtype: 'float32';
  /** Byte offset in weights.bin. */
  offset: number;
  /** For group 'slot': the parameter and the slot name. */
  param?: string;
  slot?: string;
}

/** A tensor's values on the host, ready to write or restore. */
export interface NamedArray {
  name: string;
  group: WeightGroup;
  shape: number[];
  values: Float32Array;
  param?: string;
  slot?: string;
}

/**
 * manifest.json. `state` holds the JSON the trainer saves (config, step,
 * head and data state, label map...); this module only checks the
 * envelope and the weights.
 */
export interface CheckpointManifest<State = unknown> {
  format: typeof CHECKPOINT_FORMAT;
  formatVersion: number;
  createdAt: string;
  state: State;
  weights: {
    file: typeof WEIGHTS_FILE;
    byteLength: number;
    sha256: string;
    entries: WeightEntry[];
  };
}

export interface Checkpoint<State = unknown> {
  /** The folder, resolved to an absolute path. */
  path: string;
  manifest: CheckpointManifest<State>;
  /** Values by entry name. */
  arrays: Map<string, NamedArray>;
}

/** float32 values as little-endian bytes, whatever the host's order. */
function littleEndianBytes(values: Float32Array): Uint8Array {
  if (os.endianness() === 'LE') {
    return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  }
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return bytes;
}

function readFloats(bytes: Uint8Array, offset: number, count: number) {
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset);
  const values = new Float32Array(count);
  for (let i = 0; i < count; i++) values[i] = view.getFloat32(i * 4, true);
  return values;
}

function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * Writes a checkpoint folder at `dir` (replacing one that is there only
 * once the new one is complete).
 */
export async function saveCheckpoint<State>(
  dir: string,
  state: State,
  arrays: readonly NamedArray[],
  writer: FileWriter = NODE_FILE_WRITER,
): Promise<CheckpointManifest<State>> {
  const entries: WeightEntry[] = [];
  const names = new Set<string>();
  let offset = 0;
  for (const array of arrays) {
    if (names.has(array.name) || array.values.length !== sizeOf(array.shape)) {
      throw new CheckpointError(
        `saveCheckpoint: tensor '${array.name}' must be unique with ` +
          `${sizeOf(array.shape)} values, but got ${array.values.length}`,
      );
    }
    names.add(array.name);
    const { name, group, shape, param, slot } = array;
    entries.push({ name, group, shape, dtype: 'float32', offset, param, slot });
    offset += array.values.byteLength;
  }

  const weights = new Uint8Array(offset);
  arrays.forEach((array, i) =>
    weights.set(littleEndianBytes(array.values), entries[i].offset),
  );
  const manifest: CheckpointManifest<State> = {
    format: CHECKPOINT_FORMAT,
    formatVersion: CHECKPOINT_VERSION,
    createdAt: new Date().toISOString(),
    state,
    weights: {
      file: WEIGHTS_FILE,
      byteLength: weights.byteLength,
      sha256: createHash('sha256').update(weights).digest('hex'),
      entries,
    },
  };
  await writeFolderAtomically(
    dir,
    [
      { name: WEIGHTS_FILE, data: weights },
      { name: MANIFEST_FILE, data: JSON.stringify(manifest, null, 2) },
    ],
    writer,
  );
  return manifest;
}

async function readFileOrFail(file: string, what: string): Promise<Buffer> {
  try {
    return await fs.readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new CheckpointError(
      `loadCheckpoint: ${what} must exist and be readable at '${file}', ` +
        `but got ${code}`,
      { cause: error },
    );
  }
}

function badManifest(file: string, what: string, actual: unknown): never {
  throw new CheckpointError(
    `loadCheckpoint: ${what} in '${file}' must be valid, but got ` +
      JSON.stringify(actual),
  );
}

/**
 * Reads and verifies a checkpoint folder: the manifest's format and
 * version, the weights' length and sha256, and every entry's bounds.
 */
export async function loadCheckpoint<State = unknown>(
  dir: string,
): Promise<Checkpoint<State>> {
  const folder = path.resolve(dir);
  const manifestFile = path.join(folder, MANIFEST_FILE);
  const text = await readFileOrFail(manifestFile, MANIFEST_FILE);
  let manifest: CheckpointManifest<State>;
  try {
    manifest = JSON.parse(text.toString('utf8'));
  } catch (error) {
    throw new CheckpointError(
      `loadCheckpoint: '${manifestFile}' must be JSON, but got ` +
        `"${(error as Error).message}"`,
      { cause: error },
    );
  }
  if (manifest?.format !== CHECKPOINT_FORMAT) {
    badManifest(manifestFile, 'format', manifest?.format);
  }
  if (manifest.formatVersion !== CHECKPOINT_VERSION) {
    badManifest(manifestFile, 'formatVersion', manifest.formatVersion);
  }

  const weightsFile = path.join(folder, manifest.weights.file);
  const bytes = await readFileOrFail(weightsFile, WEIGHTS_FILE);
  const { byteLength, sha256, entries } = manifest.weights;
  if (bytes.byteLength !== byteLength) {
    throw new CheckpointError(
      `loadCheckpoint: '${weightsFile}' must hold ${byteLength} bytes ` +
        `(the manifest's), but got ${bytes.byteLength}`,
    );
  }
  const digest = createHash('sha256').update(bytes).digest('hex');
  if (digest !== sha256) {
    throw new CheckpointError(
      `loadCheckpoint: sha256 of '${weightsFile}' must be ${sha256} (the ` +
        `manifest's), but got ${digest}`,
    );
  }

  const arrays = new Map<string, NamedArray>();
  for (const entry of entries) {
    const count = sizeOf(entry.shape);
    if (entry.dtype !== 'float32' || entry.offset + count * 4 > byteLength) {
      badManifest(manifestFile, `weight entry '${entry.name}'`, entry);
    }
    const { name, group, shape, param, slot } = entry;
    const values = readFloats(bytes, entry.offset, count);
    arrays.set(name, { name, group, shape, values, param, slot });
  }
  return { path: folder, manifest, arrays };
}
