/**
 * Checks a payload against its MIME type's JSON Schema (with ajv) and
 * against the rules a schema cannot state (matching lengths). Producers
 * call it before emitting; tests call it on every builder's output.
 */
import type { default as Ajv, ErrorObject, ValidateFunction } from 'ajv';

import { MIME_TYPES, SCHEMA_VERSION, SCHEMAS, SubfaceMime } from './contract';
import { consistencyProblems } from './consistency';
import {
  describeValue,
  PayloadError,
  PayloadProblem,
  problem,
} from './problems';

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

/** The value at a JSON pointer of `root`. */
function valueAt(root: unknown, pointer: string): unknown {
  let value = root;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    value = (value as Record<string, unknown> | undefined)?.[key];
  }
  return value;
}

function fromAjv(error: ErrorObject, root: unknown): PayloadProblem {
  const params = error.params as Record<string, unknown>;
  const path = error.instancePath;
  switch (error.keyword) {
    case 'required': {
      const key = String(params.missingProperty);
      return problem(`${path}/${key}`, 'present (required)', undefined);
    }
    case 'type':
      return problem(path, `of type ${params.type}`, valueAt(root, path));
    case 'const':
      return problem(
        path,
        describeValue(params.allowedValue),
        valueAt(root, path),
      );
    case 'enum':
      return problem(
        path,
        `one of ${describeValue(params.allowedValues)}`,
        valueAt(root, path),
      );
    default: {
      // ajv's own words, e.g. 'must NOT have fewer than 1 items'.
      const requirement = (error.message ?? error.keyword).replace(
        /^must /,
        '',
      );
      const actual = valueAt(root, path);
      return problem(path, requirement, actual, requirement);
    }
  }
}

/** A clear problem when the payload comes from a newer library. */
function versionProblem(value: unknown): PayloadProblem | null {
  const version = (value as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof version !== 'number' || version <= SCHEMA_VERSION) return null;
  const found = problem('/schemaVersion', `<= ${SCHEMA_VERSION}`, version);
  found.message =
    `/schemaVersion: must be <= ${SCHEMA_VERSION}, but got ${version}: ` +
    'the payload was written by a newer subface than this reader; ' +
    'upgrade subface (or the extension) to read it';
  return found;
}

/**
 * Problems of `value` as a payload of `mime`; empty when it is valid.
 * A payload with a newer schemaVersion gives that one problem only.
 */
export function checkPayload(mime: string, value: unknown): PayloadProblem[] {
  if (!MIMES.includes(mime)) {
    return [problem('', `a MIME type of ${MIMES.join(', ')}`, mime)];
  }
  const newer = versionProblem(value);
  if (newer !== null) return [newer];

  const validate = validatorFor(mime as SubfaceMime);
  if (!validate(value)) {
    return (validate.errors ?? []).map((e) => fromAjv(e, value));
  }
  return consistencyProblems(mime as SubfaceMime, value);
}

/** Throws a PayloadError listing every problem of an invalid payload. */
export function assertPayload(mime: string, value: unknown): void {
  const problems = checkPayload(mime, value);
  if (problems.length > 0) throw new PayloadError(mime, problems);
}
