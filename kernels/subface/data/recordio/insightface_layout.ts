/**
 * Where the images and identity records of an InsightFace pack are: record
 * 0 is a dataset header when its flag is > 0, with label [first identity
 * record, end of identity records]; images are records 1 .. label[0] - 1,
 * identity records label[0] .. label[1] - 1. Without a header every key is
 * an image.
 */
import { DataError } from '../types';
import { RecordIOReader } from './reader';

/**
 * float32 represents every integer up to 2^24, not all beyond; a stored
 * 2^24 may itself be 2^24 + 1 rounded down.
 */
export const FLOAT32_EXACT_LIMIT = 2 ** 24;

export interface InsightFaceLayout {
  hasHeader: boolean;
  /** Keys of the image records, in image order. */
  imageKeys: Float64Array;
  /** Identity records are keys firstIdentity .. endIdentity - 1. */
  firstIdentity: number;
  endIdentity: number;
}

/** Reads record 0 (when listed) and says where the records are. */
export async function readLayout(
  reader: RecordIOReader,
): Promise<InsightFaceLayout> {
  const headerless = {
    hasHeader: false,
    imageKeys: reader.keys,
    firstIdentity: 0,
    endIdentity: 0,
  };
  if (!reader.index.has(0)) return headerless;
  const header = await reader.readRecord(0);
  if (header.flag === 0) return headerless;

  const where = reader.describe(0);
  if (header.flag < 2 || header.data.length > 0) {
    throw new DataError(
      `${where}: a header record (flag > 0) must have flag >= 2 and no ` +
        `data, but got flag ${header.flag} and ${header.data.length} data ` +
        `bytes; is record 0 an image with a label array?`,
    );
  }
  const [label0, label1] = header.label as Float32Array;
  if (
    !Number.isInteger(label0) ||
    !Number.isInteger(label1) ||
    label0 < 1 ||
    label1 < label0
  ) {
    throw new DataError(
      `${where}: header label must be [firstIdentityRecord, ` +
        `endIdentityRecord] with integers 1 <= first <= end, but got ` +
        `[${label0}, ${label1}]`,
    );
  }

  const endIdentity = resolveEnd(reader, label1, where);
  const firstIdentity = await resolveFirst(reader, label0, endIdentity, where);
  const imageKeys = new Float64Array(firstIdentity - 1);
  imageKeys.forEach((_, i) => (imageKeys[i] = i + 1));
  return { hasHeader: true, imageKeys, firstIdentity, endIdentity };
}

function float32Note(value: number): string {
  return value >= FLOAT32_EXACT_LIMIT
    ? `; header indices are float32, exact only up to 2^24 = ` +
        `${FLOAT32_EXACT_LIMIT}, so ${value} may be rounded`
    : '';
}

/**
 * The end of the identity records, which is also the number of records:
 * the `.idx` must list exactly the keys 0 .. end - 1. Past 2^24 the header
 * value is rounded, so the `.idx` key count decides when it rounds to it.
 */
function resolveEnd(
  reader: RecordIOReader,
  label1: number,
  where: string,
): number {
  const { index } = reader;
  const end = label1 >= FLOAT32_EXACT_LIMIT ? index.size : label1;
  let complete = Math.fround(end) === label1 && index.size === end;
  for (let key = 0; complete && key < end; key++) {
    complete = index.has(key);
  }
  if (!complete) {
    throw new DataError(
      `${where}: header label[1] (end of the identity records) must ` +
        `match the .idx, which must list keys 0..${label1 - 1}, but the ` +
        `.idx ${reader.idxPath} lists ${index.size} keys` +
        float32Note(label1) +
        '; the .idx and .rec may come from different builds',
    );
  }
  return end;
}

/**
 * The first identity record. Past 2^24 the neighbours that round to the
 * same float32 are tried: the right one starts the identity records (flag
 * >= 2, no data) and follows an image.
 */
async function resolveFirst(
  reader: RecordIOReader,
  label0: number,
  end: number,
  where: string,
): Promise<number> {
  if (label0 < FLOAT32_EXACT_LIMIT) return label0;
  const isIdentity = async (key: number) => {
    const record = await reader.readRecord(key);
    return record.flag >= 2 && record.data.length === 0;
  };
  const matches: number[] = [];
  for (const candidate of [label0 - 1, label0, label0 + 1]) {
    if (Math.fround(candidate) !== label0 || candidate > end) continue;
    const startsHere = candidate === end || (await isIdentity(candidate));
    if (startsHere && !(await isIdentity(candidate - 1))) {
      matches.push(candidate);
    }
  }
  if (matches.length !== 1) {
    throw new DataError(
      `${where}: header label[0] (first identity record) must be ` +
        `confirmed by exactly one record, but got ${label0} and ` +
        `${matches.length} candidate records` +
        float32Note(label0),
    );
  }
  return matches[0];
}

/**
 * Checks the identity records against the image labels: identity j
 * (record firstIdentity + j) holds label [start, end) and images start ..
 * end - 1 must be exactly the images of class j. Compared as float32,
 * since that is how the builders stored the indices.
 */
export async function checkIdentityRanges(
  reader: RecordIOReader,
  layout: InsightFaceLayout,
  labels: Int32Array,
  numClasses: number,
): Promise<void> {
  const numIdentities = layout.endIdentity - layout.firstIdentity;
  if (numIdentities !== numClasses) {
    throw new DataError(
      `${reader.describe(0)}: the number of identity records must equal ` +
        `numClasses ${numClasses}, but got ${numIdentities}`,
    );
  }
  const first = new Float64Array(numClasses).fill(-1);
  const last = new Float64Array(numClasses);
  const count = new Float64Array(numClasses);
  labels.forEach((label, i) => {
    if (first[label] < 0) first[label] = i;
    last[label] = i;
    count[label]++;
  });

  for (let j = 0; j < numIdentities; j++) {
    const key = layout.firstIdentity + j;
    const where = reader.describe(key);
    const record = await reader.readRecord(key);
    if (record.flag < 2 || record.data.length > 0) {
      throw new DataError(
        `${where}: an identity record must have flag >= 2 and no data, ` +
          `but got flag ${record.flag} and ${record.data.length} bytes`,
      );
    }
    const [start, end] = record.label as Float32Array;

    // Image i is record i + 1; class j's images must be one run.
    const runStart = count[j] > 0 ? first[j] + 1 : start;
    const runEnd = runStart + count[j];
    const contiguous = count[j] === 0 || last[j] - first[j] + 1 === count[j];
    if (
      !contiguous ||
      Math.fround(runStart) !== start ||
      Math.fround(runEnd) !== end
    ) {
      throw new DataError(
        `${where}: the identity range of class ${j} must be the images ` +
          `labelled ${j}, records [${runStart}, ${runEnd})` +
          (contiguous ? '' : ' (not contiguous)') +
          `, but got [${start}, ${end})`,
      );
    }
  }
}
