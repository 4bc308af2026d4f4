/** The boundary checks of ../validation.ts, throwing DataError. */
import { Checks, checksFor } from '../validation';
import { DataError } from './types';

const checks: Checks = checksFor(DataError);

export const checkKeys: Checks['checkKeys'] = checks.checkKeys;
