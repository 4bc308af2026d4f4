/** Relative image paths as keys: one spelling for every platform. */
import { DataError } from '../types';

/**
 * Brings a relative path to the form used as a key: '/' separators, no
 * leading './'. Absolute paths and '..' are refused, because every image
 * must lie inside the folder.
 */
export function normaliseRelativePath(path: string, where: string): string {
  const parts = path
    .replace(/\\/g, '/')
    .split('/')
    .filter((part) => part !== '' && part !== '.');
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) {
    throw new DataError(
      `${where}: path must be relative to the folder root, but got ` +
        `'${path}'`,
    );
  }
  if (parts.length === 0 || parts.includes('..')) {
    throw new DataError(
      `${where}: path must name a file inside the folder (no '..'), but ` +
        `got '${path}'`,
    );
  }
  return parts.join('/');
}
