/**
 * The one error type of the losses module, and the boundary checks bound
 * to it (see ../validation.ts for their wording).
 */
import { Checks, checksFor } from '../validation';

export { describeValue } from '../validation';

export class LossError extends Error {
  override name = 'LossError';
}

const checks: Checks = checksFor(LossError);

export const fail: Checks['fail'] = checks.fail;
export const checkNumber: Checks['checkNumber'] = checks.checkNumber;
export const checkOption: Checks['checkOption'] = checks.checkOption;
export const checkKeys: Checks['checkKeys'] = checks.checkKeys;
