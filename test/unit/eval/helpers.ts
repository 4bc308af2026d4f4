/**
 * Shared helpers for the evaluation tests: the committed reference
 * fixtures and a closeness assertion with a named tolerance.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Reads a JSON fixture from test/fixtures (tests run from out/). */
export function loadFixture<T>(name: string): T {
  const root = path.resolve(__dirname, '../../../..');
  const file = path.join(root, 'test/fixtures', name);
  return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
}

/** Asserts |actual - expected| <= tolerance everywhere (NaN equals NaN). */
export function assertClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tolerance: number,
  what: string,
): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    if (Number.isNaN(expected[i]) && Number.isNaN(actual[i])) continue;
    const error = Math.abs(actual[i] - expected[i]);
    if (!(error <= tolerance)) {
      assert.fail(
        `${what}[${i}]: got ${actual[i]}, expected ${expected[i]} ` +
          `(error ${error.toExponential(2)} > ${tolerance})`,
      );
    }
  }
}
