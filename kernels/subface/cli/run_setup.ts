/**
 * Before a run trains: the config from file, saved run and flags; the
 * run folder (new, or the one being resumed); and what config.json
 * records.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { MANIFEST_FILE } from '../train/checkpoint';
import { ResolvedRunConfig, RunConfig } from './run_config';
import { mergeRunConfig, readRunConfigFile } from './run_config_load';
import { ConfigError, resolveRunConfig } from './run_config_resolve';
import { CONFIG_FILE, RunFiles } from './run_files';
import { RunFlags, runConfigFromFlags } from './run_flags';

export interface RunSetup {
  /** What the file and flags said (config.json keeps it for resumes). */
  input: RunConfig;
  config: ResolvedRunConfig;
  files: RunFiles;
  /** Checkpoint or checkpoint run folder to continue from, or null. */
  resumeFrom: string | null;
}

/** config.json's `input`, when `dir` is a run folder. */
function savedInput(dir: string): RunConfig {
  const saved = new RunFiles(dir).readJson<{ input?: RunConfig }>(CONFIG_FILE);
  return saved.input ?? {};
}

/**
 * The run folder of `--resume <target>`: the target itself, or the run
 * folder above a checkpoint folder (runs/x/checkpoints/step-...); null
 * for a checkpoint outside any run folder.
 */
function runFolderOf(target: string): string | null {
  const dir = path.resolve(target);
  if (RunFiles.isRunFolder(dir)) return dir;
  if (fs.existsSync(path.join(dir, MANIFEST_FILE))) {
    const above = path.dirname(path.dirname(dir));
    if (RunFiles.isRunFolder(above)) return above;
    return null;
  }
  throw new ConfigError(
    `--resume: ${target} must be a run folder (with ${CONFIG_FILE}) or a ` +
      `checkpoint folder (with ${MANIFEST_FILE}), but got neither`,
  );
}

/** Reads, merges and checks the config; picks the run folder. */
export async function setUpRun(flags: RunFlags): Promise<RunSetup> {
  const fromFile =
    flags.config === undefined ? {} : await readRunConfigFile(flags.config);
  const fromFlags = runConfigFromFlags(flags);

  let input = mergeRunConfig<RunConfig>(fromFile, fromFlags);
  let resumeFrom: string | null = null;
  let runDir: string | null = null;
  if (flags.resume !== undefined) {
    runDir = runFolderOf(flags.resume);
    const isRun = runDir !== null && path.resolve(flags.resume) === runDir;
    resumeFrom = isRun
      ? new RunFiles(runDir as string).checkpointDir
      : path.resolve(flags.resume);
    if (runDir !== null) {
      // The saved run's settings, then the file's and the flags'.
      input = mergeRunConfig<RunConfig>(savedInput(runDir), input);
      input.name = path.basename(runDir);
      input.runsDir = path.dirname(runDir);
    }
  }

  const config = resolveRunConfig(input);
  const files = new RunFiles(runDir ?? path.join(config.runsDir, config.name));
  if (runDir === null && RunFiles.isRunFolder(files.dir)) {
    throw new ConfigError(
      `run config: name must name a new run folder (or use --resume ` +
        `${files.dir}), but got '${config.name}', which exists`,
    );
  }
  return { input, config, files, resumeFrom };
}
