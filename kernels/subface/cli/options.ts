/**
 * Parsers for command-line option values. Each throws commander's
 * InvalidArgumentError, which commander prints as
 * "error: option '--x <n>' argument 'y' is invalid. <message>".
 */
import { InvalidArgumentError } from 'commander';

export function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) {
    throw new InvalidArgumentError('It must be a positive integer.');
  }
  return parsed;
}

export function fraction(value: string): number {
  const parsed = Number(value);
  if (!(parsed > 0 && parsed <= 1)) {
    throw new InvalidArgumentError('It must be a number in (0, 1].');
  }
  return parsed;
}

export function quality(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > 100) {
    throw new InvalidArgumentError('It must be an integer from 1 to 100.');
  }
  return parsed;
}

/** A comma-separated list of positive integers, e.g. "1,2,3". */
export function integerList(value: string): number[] {
  return value.split(',').map((item) => positiveInteger(item.trim()));
}
