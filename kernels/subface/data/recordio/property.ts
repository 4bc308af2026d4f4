/**
 * InsightFace's `property` file, next to `train.rec`: one line
 * `num_classes,height,width`.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

import { DataError } from '../types';

export interface RecProperty {
  numClasses: number;
  height: number;
  width: number;
}

/** The property file of a pack: `property` in the prefix's folder. */
export function propertyPathFor(prefix: string): string {
  return path.join(path.dirname(prefix), 'property');
}

export function parseProperty(text: string, where: string): RecProperty {
  const fields = text.trim().split(',');
  const numbers = fields.map((field) =>
    /^\s*\d+\s*$/.test(field) ? Number(field) : NaN,
  );
  if (numbers.length !== 3 || numbers.some((n) => !(n > 0))) {
    throw new DataError(
      `${where}: property must be 'num_classes,height,width' with three ` +
        `positive integers, but got ${JSON.stringify(text.slice(0, 80))}`,
    );
  }
  const [numClasses, height, width] = numbers;
  return { numClasses, height, width };
}

/** The line InsightFace's builders write. */
export function formatProperty(property: RecProperty): string {
  return `${property.numClasses},${property.height},${property.width}\n`;
}

/** Reads a property file; null when it does not exist. */
export async function readProperty(file: string): Promise<RecProperty | null> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  return parseProperty(text, file);
}
