/**
 * The files of a run folder besides checkpoints:
 *
 *   runs/<name>/config.json    resolved config, runtime, versions
 *   runs/<name>/metrics.jsonl  one JSON object per step log / evaluation
 *   runs/<name>/eval.json      the last verification result
 *   runs/<name>/analysis.json  aggregation, pair view, projection
 *   runs/<name>/checkpoints/   the trainer's checkpoints (last-good.json)
 *   runs/<name>/report.html
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { writeFileAtomically } from '../train/atomic_files';

export const CONFIG_FILE = 'config.json';
export const METRICS_FILE = 'metrics.jsonl';
export const EVAL_FILE = 'eval.json';
export const ANALYSIS_FILE = 'analysis.json';
export const CHECKPOINT_FOLDER = 'checkpoints';

/** JSON with typed arrays as plain arrays (NaN becomes null). */
export function toJson(value: unknown, indent?: number): string {
  return JSON.stringify(
    value,
    (_key, field: unknown) =>
      ArrayBuffer.isView(field) && !(field instanceof DataView)
        ? Array.from(field as unknown as ArrayLike<number>)
        : field,
    indent,
  );
}

export class RunFiles {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = path.resolve(dir);
  }

  get checkpointDir(): string {
    return path.join(this.dir, CHECKPOINT_FOLDER);
  }

  file(name: string): string {
    return path.join(this.dir, name);
  }

  /** Whether `dir` looks like a run folder (has config.json). */
  static isRunFolder(dir: string): boolean {
    return fs.existsSync(path.join(dir, CONFIG_FILE));
  }

  async writeJson(name: string, value: unknown): Promise<string> {
    fs.mkdirSync(this.dir, { recursive: true });
    const file = this.file(name);
    await writeFileAtomically(file, toJson(value, 2) + '\n');
    return file;
  }

  readJson<T>(name: string): T {
    return JSON.parse(fs.readFileSync(this.file(name), 'utf8')) as T;
  }

  /** Appends one record to metrics.jsonl (synchronously: in order). */
  appendMetric(record: object): void {
    fs.mkdirSync(this.dir, { recursive: true });
    fs.appendFileSync(this.file(METRICS_FILE), toJson(record) + '\n');
  }

  /** Every record of metrics.jsonl; [] when there is none yet. */
  readMetrics<T = Record<string, unknown>>(): T[] {
    const file = this.file(METRICS_FILE);
    if (!fs.existsSync(file)) return [];
    return fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as T);
  }
}
