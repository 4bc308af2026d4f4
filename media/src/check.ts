/**
 * The renderers' payload check: the same JSON Schemas, consistency
 * rules and problem wording as the kernel's validate.ts, without ajv's
 * compiler. The schema validators are generated at build time (ajv
 * standalone code), because compiling a schema at run time needs
 * `new Function`, which the output webview's Content Security Policy
 * forbids.
 */
import * as validators from 'subface-payload-validators';

import { consistencyProblems } from '../../kernels/subface/display/consistency';
import {
  MIME_TYPES,
  PayloadKind,
  SCHEMA_VERSION,
} from '../../kernels/subface/display/contract';
import type { PayloadProblem } from '../../kernels/subface/display/problems';
import {
  newerSchemaVersion,
  newerVersionProblem,
  schemaProblem,
} from '../../kernels/subface/display/schema_problems';

/** Why a payload cannot be drawn. */
export interface CheckFailure {
  /** One sentence for the heading of the error box. */
  summary: string;
  problems: PayloadProblem[];
}

/** The payload kind of a MIME type, or null for one we do not draw. */
export function kindOfMime(mime: string): PayloadKind | null {
  const kinds = Object.keys(MIME_TYPES) as PayloadKind[];
  return kinds.find((kind) => MIME_TYPES[kind] === mime) ?? null;
}

/** A failure when the payload comes from a newer library. */
function versionFailure(value: unknown): CheckFailure | null {
  const version = newerSchemaVersion(value);
  if (version === null) return null;
  return {
    summary:
      `This output was written by a newer subface (schemaVersion ` +
      `${version}); this renderer reads schemaVersion ${SCHEMA_VERSION}. ` +
      'Update the SubFace extension to draw it.',
    problems: [newerVersionProblem(version)],
  };
}

/**
 * Checks `value` as a payload of `kind`: null when it can be drawn,
 * else what is wrong (a newer schemaVersion gives that one problem).
 */
export function checkPayload(
  kind: PayloadKind,
  value: unknown,
): CheckFailure | null {
  const newer = versionFailure(value);
  if (newer !== null) return newer;

  const validate = validators[kind];
  if (!validate(value)) {
    const errors = validate.errors ?? [];
    return {
      summary: `The ${kind} payload does not match its schema.`,
      problems: errors.map((error) => schemaProblem(error, value)),
    };
  }
  const problems = consistencyProblems(MIME_TYPES[kind], value);
  if (problems.length === 0) return null;
  return {
    summary: `The ${kind} payload's arrays do not fit together.`,
    problems,
  };
}
