/**
 * What `eval`, `embed` and `analyze` load: a trained model from a
 * checkpoint folder or a run folder, and the run's config when there is
 * one (for its evaluation set and input settings).
 */
import * as path from 'node:path';

import * as tf from '@tensorflow/tfjs';

import { EmbedFunction } from '../eval/embed';
import { LoadedModel, loadModelFromCheckpoint } from '../train/load_model';
import { ResolvedRunConfig } from './run_config';
import { CONFIG_FILE, RunFiles } from './run_files';
import { SavedRunConfig } from './run_report';

export interface ModelTarget {
  model: LoadedModel;
  /** The run folder the checkpoint belongs to, or null. */
  run: RunFiles | null;
  /** That run's resolved config, or null. */
  config: ResolvedRunConfig | null;
  /** The backbone in inference mode. */
  embed: EmbedFunction;
  dispose(): void;
}

/** The run folder of `target` (itself or two folders up), or null. */
function runOf(target: string): RunFiles | null {
  const dir = path.resolve(target);
  for (const candidate of [dir, path.dirname(path.dirname(dir))]) {
    if (RunFiles.isRunFolder(candidate)) return new RunFiles(candidate);
  }
  return null;
}

export async function loadModelTarget(target: string): Promise<ModelTarget> {
  const run = runOf(target);
  const isRunFolder = run !== null && run.dir === path.resolve(target);
  const model = await loadModelFromCheckpoint(
    isRunFolder ? run.checkpointDir : target,
  );
  const config =
    run === null ? null : run.readJson<SavedRunConfig>(CONFIG_FILE).config;
  const { backbone, head } = model;
  return {
    model,
    run,
    config,
    embed: (images) =>
      tf.tidy(() => backbone.apply(images, { training: false })),
    dispose: () => {
      backbone.dispose();
      head.dispose();
    },
  };
}
