/**
 * Checks a payload against its MIME type's JSON Schema (with ajv) and
 * against the rules a schema cannot state (matching lengths). Producers
 * call it before emitting; tests call it on every builder's output.
 */
import type { default as Ajv, ValidateFunction } from 'ajv';

import { MIME_TYPES, SCHEMAS, SubfaceMime } from './contract';
import { consistencyProblems } from './consistency';
import { PayloadError, PayloadProblem, problem } from './problems';
import {
  newerSchemaVersion,
  newerVersionProblem,
  schemaProblem,
} from './schema_problems';

const MIMES = Object.values(MIME_TYPES) as string[];

/**
 * The ajv options the payloads are checked with; code generated from
 * the schemas elsewhere (the renderers) should use the same.
 * strictNumbers: NaN and Infinity are not JSON (they must be null).
 */
export const AJV_OPTIONS = {
  allErrors: true,
  strict: true,
  strictNumbers: true,
  allowUnionTypes: true,
} as const;

let ajv: Ajv | null = null;
const validators = new Map<string, ValidateFunction>();

/** ajv, loaded at the first check (requiring it takes ~90 ms). */
function compiler(): Ajv {
  if (ajv === null) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { default: AjvClass } = require('ajv') as typeof import('ajv');
    ajv = new AjvClass(AJV_OPTIONS);
  }
  return ajv;
}

function validatorFor(mime: SubfaceMime): ValidateFunction {
  let validate = validators.get(mime);
  if (validate === undefined) {
    validate = compiler().compile(SCHEMAS[mime]);
    validators.set(mime, validate);
  }
  return validate;
}

/**
 * Problems of `value` as a payload of `mime`; empty when it is valid.
 * A payload with a newer schemaVersion gives that one problem only.
 */
export function checkPayload(mime: string, value: unknown): PayloadProblem[] {
  if (!MIMES.includes(mime)) {
    return [problem('', `a MIME type of ${MIMES.join(', ')}`, mime)];
  }
  const newer = newerSchemaVersion(value);
  if (newer !== null) return [newerVersionProblem(newer)];

  const validate = validatorFor(mime as SubfaceMime);
  if (!validate(value)) {
    return (validate.errors ?? []).map((e) => schemaProblem(e, value));
  }
  return consistencyProblems(mime as SubfaceMime, value);
}

/** Throws a PayloadError listing every problem of an invalid payload. */
export function assertPayload(mime: string, value: unknown): void {
  const problems = checkPayload(mime, value);
  if (problems.length > 0) throw new PayloadError(mime, problems);
}
