/**
 * LFW pair lists: `pairs.txt` (View 2: a "10<TAB>300" header, then 10
 * folds of 300 matched and 300 mismatched pairs) and `pairsDevTrain.txt` /
 * `pairsDevTest.txt` (View 1: a single count header, matched pairs then
 * as many mismatched pairs, one fold).
 */
import { DataError } from '../types';

/** One line of a pairs list. */
export interface PairsListEntry {
  /** 1-based line number in the file, for messages. */
  line: number;
  /** 1-based fold, as LFW numbers them (fold 1 is lines 2-601). */
  fold: number;
  issame: boolean;
  nameA: string;
  /** LFW's image number: `Name/Name_%04d.jpg`. */
  numberA: number;
  /** Equal to nameA for a matched pair. */
  nameB: string;
  numberB: number;
}

export interface PairsList {
  /** 10 for pairs.txt, 1 for the View 1 lists. */
  numFolds: number;
  /** Matched pairs per fold; each fold has as many mismatched ones. */
  samePerFold: number;
  /** numFolds * 2 * samePerFold entries, in file order. */
  entries: PairsListEntry[];
}

const POSITIVE_INTEGER = /^[0-9]+$/;

function positive(field: string): number | null {
  const value = POSITIVE_INTEGER.test(field) ? Number(field) : NaN;
  return Number.isSafeInteger(value) && value >= 1 ? value : null;
}

/** A person's name is a folder name: no separators, not '.' or '..'. */
function isName(field: string): boolean {
  return field !== '.' && field !== '..' && !/[/\\]/.test(field);
}

function parseHeader(fields: string[], where: string): [number, number] {
  const numbers = fields.map(positive);
  if (
    (fields.length !== 1 && fields.length !== 2) ||
    numbers.some((n) => n === null)
  ) {
    throw new DataError(
      `${where}: line 1 must be a header of 1 or 2 positive integers ` +
        `('10<TAB>300' or '500'), but got '${fields.join(' ')}'`,
    );
  }
  return numbers.length === 2
    ? [numbers[0] as number, numbers[1] as number]
    : [1, numbers[0] as number];
}

function parseEntry(
  fields: string[],
  line: number,
  fold: number,
  issame: boolean,
  where: string,
): PairsListEntry {
  const shape = issame ? 'Name<TAB>i<TAB>j' : 'Name1<TAB>i<TAB>Name2<TAB>j';
  const fail = (actual: string): never => {
    throw new DataError(
      `${where}: line ${line} must be a ${issame ? 'matched' : 'mismatched'} ` +
        `pair '${shape}' (fold ${fold}) with positive image numbers, but ` +
        `got ${actual}`,
    );
  };
  if (fields.length !== (issame ? 3 : 4)) {
    fail(`${fields.length} fields: '${fields.join(' ')}'`);
  }
  const [nameA, first, second, third] = fields;
  const nameB = issame ? nameA : second;
  const numberA = positive(first);
  const numberB = positive(issame ? second : third);
  if (!isName(nameA) || !isName(nameB) || !numberA || !numberB) {
    fail(`'${fields.join(' ')}'`);
  }
  if (!issame && nameA === nameB) {
    fail(`the same person twice: '${fields.join(' ')}'`);
  }
  return {
    line,
    fold,
    issame,
    nameA,
    numberA: numberA as number,
    nameB,
    numberB: numberB as number,
  };
}

/**
 * Parses a pairs list. Fields are separated by tabs or spaces; a final
 * newline and CRLF line ends are accepted. Throws a DataError naming the
 * line for a bad header, a line of the wrong shape (3 fields for a matched
 * pair, 4 for a mismatched one, positive image numbers), or a pair count
 * that does not match the header. `where` names the file.
 */
export function parsePairsList(text: string, where: string): PairsList {
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') {
    lines.pop();
  }
  if (lines.length === 0) {
    throw new DataError(
      `${where}: pairs list must start with a header line, but got an ` +
        'empty file',
    );
  }
  const split = (line: string): string[] => line.trim().split(/\s+/);
  const [numFolds, samePerFold] = parseHeader(split(lines[0]), where);

  const expected = numFolds * 2 * samePerFold;
  if (lines.length - 1 !== expected) {
    throw new DataError(
      `${where}: pairs list must hold ${numFolds} x 2 x ${samePerFold} = ` +
        `${expected} pair lines after the header, but got ` +
        `${lines.length - 1}`,
    );
  }

  // Each fold is samePerFold matched lines, then samePerFold mismatched.
  const entries: PairsListEntry[] = [];
  for (let i = 0; i < expected; i++) {
    const fold = Math.floor(i / (2 * samePerFold)) + 1;
    const issame = i % (2 * samePerFold) < samePerFold;
    entries.push(parseEntry(split(lines[i + 1]), i + 2, fold, issame, where));
  }
  return { numFolds, samePerFold, entries };
}
