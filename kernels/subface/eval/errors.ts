/**
 * The one error type of the evaluation module, and the boundary checks
 * bound to it (see ../validation.ts for their wording).
 */
import { Checks, checksFor } from '../validation';

export { describeValue } from '../validation';

export class EvalError extends Error {
  override name = 'EvalError';
}

const checks: Checks = checksFor(EvalError);

export const fail: Checks['fail'] = checks.fail;
export const checkNumber: Checks['checkNumber'] = checks.checkNumber;
export const checkOption: Checks['checkOption'] = checks.checkOption;
export const checkKeys: Checks['checkKeys'] = checks.checkKeys;
