/**
 * What is wrong with a payload, in words that name the place, the
 * expected value and the value found.
 */

/** One thing wrong with a payload. */
export interface PayloadProblem {
  /** JSON pointer of the offending value ('' for the payload itself). */
  path: string;
  expected: string;
  /** The value found, as short JSON. */
  actual: string;
  /** `<path>: must be <expected>, but got <actual>`. */
  message: string;
}

export class PayloadError extends Error {
  constructor(
    readonly mime: string,
    readonly problems: PayloadProblem[],
  ) {
    const lines = problems.map((p) => `  ${p.message}`).join('\n');
    super(`${mime} payload is invalid:\n${lines}`);
    this.name = 'PayloadError';
  }
}

/** Short JSON of a value for a message (long ones cut). */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'number' && !Number.isFinite(value)) {
    return String(value);
  }
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/**
 * A problem at `path`; the message reads `<path>: must <requirement>,
 * but got <actual>`, the requirement being `be <expected>` by default.
 */
export function problem(
  path: string,
  expected: string,
  actual: unknown,
  requirement = `be ${expected}`,
): PayloadProblem {
  const shown = describeValue(actual);
  const where = path === '' ? '(payload)' : path;
  return {
    path,
    expected,
    actual: shown,
    message: `${where}: must ${requirement}, but got ${shown}`,
  };
}
