/**
 * Schema errors and a too-new schemaVersion, in the problem wording of
 * problems.ts. Both checkers read it: validate.ts with ajv compiling
 * the schemas at run time, the renderers with validators generated at
 * build time. It imports no ajv, so the renderer bundles can use it.
 */
import { SCHEMA_VERSION } from './contract';
import { describeValue, PayloadProblem, problem } from './problems';

/**
 * What the wording reads of a schema error: the fields ajv's
 * ErrorObject and its standalone validators' errors share.
 */
export interface SchemaError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
}

/** The value at a JSON pointer of `root` (undefined when absent). */
export function valueAt(root: unknown, pointer: string): unknown {
  let value = root;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    value = (value as Record<string, unknown> | undefined)?.[key];
  }
  return value;
}

/** A schema error of the payload `root` as a problem. */
export function schemaProblem(
  error: SchemaError,
  root: unknown,
): PayloadProblem {
  const { params, instancePath: path } = error;
  switch (error.keyword) {
    case 'required': {
      const key = String(params.missingProperty);
      return problem(`${path}/${key}`, 'present (required)', undefined);
    }
    case 'type':
      return problem(
        path,
        `of type ${String(params.type)}`,
        valueAt(root, path),
      );
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

/**
 * The payload's schemaVersion when it is newer than this library's,
 * else null (also for a missing or non-numeric one: the schema says
 * what is wrong with those).
 */
export function newerSchemaVersion(value: unknown): number | null {
  const version = (value as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof version !== 'number' || version <= SCHEMA_VERSION) return null;
  return version;
}

/** The one problem of a payload written with schemaVersion `version`. */
export function newerVersionProblem(version: number): PayloadProblem {
  const found = problem('/schemaVersion', `<= ${SCHEMA_VERSION}`, version);
  found.message =
    `/schemaVersion: must be <= ${SCHEMA_VERSION}, but got ${version}: ` +
    'the payload was written by a newer subface than this reader; ' +
    'upgrade subface (or the extension) to read it';
  return found;
}
