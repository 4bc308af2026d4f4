/**
 * The error type of the report module (payload builders and the
 * report.html writer), and the boundary checks bound to it (see
 * ../validation.ts for their wording).
 */
import { Checks, checksFor } from '../validation';

export class ReportError extends Error {
  override name = 'ReportError';
}

const checks: Checks = checksFor(ReportError);

export const fail: Checks['fail'] = checks.fail;
export const checkNumber: Checks['checkNumber'] = checks.checkNumber;
