/**
 * The MIME-bundle check of execute_notebooks.py: reads the SubFace
 * outputs of executed notebooks as JSON on stdin and prints the problems
 * found as JSON: `{ problems, notes }`, lists of strings. Every bundle must carry fallbacks for
 * front ends without our renderers (text/plain and an image), and its
 * payload must pass the display contract's `checkPayload`.
 *
 *   node out/test/integration/check_bundles.js --check < bundles.json
 *
 * Without --check it does nothing (the test runner loads every file).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type * as Validate from '../../kernels/subface/display/validate';

export interface Bundle {
  notebook: string;
  cell: number;
  mime: string;
  value: unknown;
  /** Every MIME type of the output. */
  mimes: string[];
}

const IMAGE_MIMES = ['image/svg+xml', 'image/png'];

/** The built contract validator. */
export const VALIDATOR = path.join(
  __dirname,
  '..',
  '..',
  'kernels',
  'subface',
  'display',
  'validate.js',
);

type CheckPayload = typeof Validate.checkPayload;

function loadValidator(): CheckPayload {
  // The display contract is built with the package; its path is fixed.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require(VALIDATOR) as typeof Validate).checkPayload;
}

/** Problems of each bundle, as lines naming notebook and cell. */
export function checkBundles(
  bundles: readonly Bundle[],
  checkPayload: CheckPayload | null,
): string[] {
  const problems: string[] = [];
  for (const bundle of bundles) {
    const where = `${bundle.notebook} cell ${bundle.cell} ${bundle.mime}`;
    if (!bundle.mimes.includes('text/plain')) {
      problems.push(`${where}: no text/plain fallback`);
    }
    if (!bundle.mimes.some((mime) => IMAGE_MIMES.includes(mime))) {
      problems.push(
        `${where}: no image fallback (${IMAGE_MIMES.join(' or ')})`,
      );
    }
    for (const found of checkPayload?.(bundle.mime, bundle.value) ?? []) {
      problems.push(`${where}: ${found.message}`);
    }
  }
  return problems;
}

function main(): void {
  const bundles = JSON.parse(fs.readFileSync(0, 'utf8')) as Bundle[];
  const validator = fs.existsSync(VALIDATOR) ? loadValidator() : null;
  const notes =
    validator === null
      ? [`payloads not checked: ${VALIDATOR} is not built`]
      : [];
  const problems = checkBundles(bundles, validator);
  process.stdout.write(`${JSON.stringify({ problems, notes })}\n`);
}

if (require.main === module && process.argv.includes('--check')) main();
