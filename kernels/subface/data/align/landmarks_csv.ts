/**
 * `landmarks.csv`: 5 face landmarks per image, kept beside an image
 * folder. Format:
 *
 *   path,x1,y1,x2,y2,x3,y3,x4,y4,x5,y5
 *   s1/1.pgm,30.5,48.2,...
 *
 * One header row (exactly these names), then one row per image; `path` is
 * relative to the folder root with '/' separators; points are in the
 * image's own pixels (centres at integers) in the template's order: left
 * eye, right eye, nose tip, left and right mouth corner. A field may be
 * double-quoted (for paths with commas); blank lines are skipped.
 */
import { promises as fs } from 'node:fs';

import { normaliseRelativePath } from '../folder/relative_path';
import { DataError } from '../types';
import { Point } from './similarity';
import { NUM_LANDMARKS } from './warp';

/** The header a landmarks file must start with. */
export const LANDMARKS_CSV_HEADER: readonly string[] = [
  'path',
  ...Array.from({ length: NUM_LANDMARKS }, (_, i) => [
    `x${i + 1}`,
    `y${i + 1}`,
  ]).flat(),
];

/** Splits one CSV line, honouring double quotes ("" inside is a quote). */
function splitCsvLine(line: string, where: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c === '"' && field.trim() === '') {
      quoted = true;
      field = '';
    } else if (c === ',') {
      fields.push(field.trim());
      field = '';
    } else {
      field += c;
    }
  }
  if (quoted) {
    throw new DataError(
      `${where}: quotes must be closed on the same line, but got ${line}`,
    );
  }
  fields.push(field.trim());
  return fields;
}

/**
 * Parses landmarks CSV text into a map from relative image path to its 5
 * points. `file` names the source in error messages, which give the line.
 */
export function parseLandmarksCsv(
  text: string,
  file: string,
): Map<string, Point[]> {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const table = new Map<string, Point[]>();
  let headerSeen = false;

  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const where = `${file}:${i + 1}`;
    const fields = splitCsvLine(line, where);

    if (!headerSeen) {
      const names = fields.map((f) => f.toLowerCase());
      if (names.join(',') !== LANDMARKS_CSV_HEADER.join(',')) {
        throw new DataError(
          `${where}: header must be '${LANDMARKS_CSV_HEADER.join(',')}', ` +
            `but got '${fields.join(',')}'`,
        );
      }
      headerSeen = true;
      return;
    }

    if (fields.length !== LANDMARKS_CSV_HEADER.length) {
      throw new DataError(
        `${where}: a row must have ${LANDMARKS_CSV_HEADER.length} fields ` +
          `(path and ${NUM_LANDMARKS} x,y pairs), but got ${fields.length}`,
      );
    }
    const path = normaliseRelativePath(fields[0], where);
    const values = fields.slice(1).map((field, k) => {
      const value = field === '' ? NaN : Number(field);
      if (!Number.isFinite(value)) {
        throw new DataError(
          `${where}: ${LANDMARKS_CSV_HEADER[k + 1]} must be a finite ` +
            `number, but got '${field}'`,
        );
      }
      return value;
    });
    if (table.has(path)) {
      throw new DataError(
        `${where}: each image must have one row, but got a second row ` +
          `for '${path}'`,
      );
    }
    const points: Point[] = [];
    for (let k = 0; k < NUM_LANDMARKS; k++) {
      points.push([values[2 * k], values[2 * k + 1]]);
    }
    table.set(path, points);
  });

  if (!headerSeen) {
    throw new DataError(
      `${file}: landmarks file must start with the header ` +
        `'${LANDMARKS_CSV_HEADER.join(',')}', but got an empty file`,
    );
  }
  return table;
}

/** Reads and parses a landmarks CSV file (see the file comment). */
export async function readLandmarksCsv(
  file: string,
): Promise<Map<string, Point[]>> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new DataError(
      `${file}: landmarks file must be readable, but got ${message}`,
    );
  }
  return parseLandmarksCsv(text, file);
}
