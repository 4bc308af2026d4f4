/**
 * A run's checkpoint folder: one checkpoint per saved step, the newest
 * `keep` of them kept, and `last-good.json` naming the newest complete
 * one. The pointer is rewritten atomically after a checkpoint is in
 * place, so it never names a missing or partial folder.
 *
 *   <runDir>/step-00000120/{manifest.json, weights.bin}
 *   <runDir>/last-good.json   {"checkpoint": "step-00000120", "step": 120}
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';

import {
  FileWriter,
  NODE_FILE_WRITER,
  TEMP_INFIX,
  writeFileAtomically,
} from './atomic_files';
import { MANIFEST_FILE } from './checkpoint';
import { CheckpointError } from './errors';

export const LAST_GOOD_FILE = 'last-good.json';

const STEP_FOLDER = /^step-(\d+)$/;

/** The pointer file's contents. */
export interface LastGood {
  /** Folder name inside the run folder. */
  checkpoint: string;
  step: number;
}

/** 'step-00000120': zero-padded so names sort by step. */
export function stepFolderName(step: number): string {
  return `step-${String(step).padStart(8, '0')}`;
}

/** The pointer of `runDir`, or null when there is none. */
export async function readLastGood(runDir: string): Promise<LastGood | null> {
  const file = path.join(runDir, LAST_GOOD_FILE);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch {
    return null;
  }
  const parsed = JSON.parse(text) as LastGood;
  if (typeof parsed?.checkpoint !== 'string') {
    throw new CheckpointError(
      `readLastGood: '${file}' must name a checkpoint, but got ${text}`,
    );
  }
  return parsed;
}

/** Points `last-good.json` of `runDir` at its folder `name`. */
export async function writeLastGood(
  runDir: string,
  pointer: LastGood,
  writer: FileWriter = NODE_FILE_WRITER,
): Promise<void> {
  const file = path.join(runDir, LAST_GOOD_FILE);
  await writeFileAtomically(file, JSON.stringify(pointer) + '\n', writer);
}

/**
 * Removes all but the newest `keep` step folders (never the one the
 * pointer names), and temporary folders a crashed writer left behind.
 */
export async function pruneRunFolder(
  runDir: string,
  keep: number,
): Promise<void> {
  const lastGood = await readLastGood(runDir);
  const names = await fs.readdir(runDir);
  const steps = names.filter((n) => STEP_FOLDER.test(n)).sort();
  const old = steps.slice(0, Math.max(0, steps.length - keep));
  const leftovers = names.filter((n) => n.includes(TEMP_INFIX));
  for (const name of [...old, ...leftovers]) {
    if (name === lastGood?.checkpoint) continue;
    await fs.rm(path.join(runDir, name), { recursive: true, force: true });
  }
}

/**
 * A checkpoint folder from either a checkpoint folder itself or a run
 * folder (followed through its last-good pointer).
 */
export async function resolveCheckpointPath(target: string): Promise<string> {
  const folder = path.resolve(target);
  try {
    await fs.access(path.join(folder, MANIFEST_FILE));
    return folder;
  } catch {
    // Not a checkpoint folder: try it as a run folder.
  }
  const lastGood = await readLastGood(folder);
  if (lastGood === null) {
    throw new CheckpointError(
      `resolveCheckpointPath: '${folder}' must hold ${MANIFEST_FILE} (a ` +
        `checkpoint) or ${LAST_GOOD_FILE} (a run folder), but got neither`,
    );
  }
  return path.join(folder, lastGood.checkpoint);
}
