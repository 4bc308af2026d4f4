/**
 * Where a run's config comes from: a JSON file, a saved run folder's
 * config.json, and flags, merged in that order (later wins).
 */
import * as fs from 'node:fs/promises';

import { RunConfig } from './run_config';
import { ConfigError } from './run_config_resolve';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * `over` on top of `base`: objects merge key by key, anything else
 * (arrays, null, numbers) replaces. An object whose `kind` differs from
 * the base's replaces it whole (switching data from synthetic to a
 * folder drops numIdentities).
 */
export function mergeRunConfig<T>(base: T, over: unknown): T {
  if (!isObject(base) || !isObject(over)) {
    return (over === undefined ? base : over) as T;
  }
  if ('kind' in over && 'kind' in base && over.kind !== base.kind) {
    return structuredClone(over) as T;
  }
  const merged: Json = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (value !== undefined) merged[key] = mergeRunConfig(base[key], value);
  }
  return merged as T;
}

/** Reads a RunConfig from a JSON file, with errors that name the file. */
export async function readRunConfigFile(file: string): Promise<RunConfig> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    throw new ConfigError(
      `--config: ${file} must be a readable JSON file, but got ` +
        (error as Error).message,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(
      `--config: ${file} must be valid JSON, but got ` +
        (error as Error).message,
    );
  }
  if (!isObject(parsed)) {
    throw new ConfigError(
      `--config: ${file} must hold a JSON object, but got ${text.trim()}`,
    );
  }
  return parsed as RunConfig;
}
