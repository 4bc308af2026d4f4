/** Landmarks for the images an aligned folder serves. */
import { readLandmarksCsv } from '../align/landmarks_csv';
import { estimateSimilarity, Point } from '../align/similarity';
import { arcfaceTemplate } from '../align/template';
import { DataError } from '../types';
import { listNames } from './label_map';

/**
 * Finds each image's landmarks, checking that every row names an image
 * of the folder and every served image has a usable row.
 */
export async function loadLandmarks(
  csv: string,
  root: string,
  allImages: ReadonlySet<string>,
  paths: readonly string[],
): Promise<Point[][]> {
  const table = await readLandmarksCsv(csv);
  const strays = [...table.keys()].filter((p) => !allImages.has(p));
  if (strays.length > 0) {
    throw new DataError(
      `${csv}: every row must name an image under ${root}, but got ` +
        `${strays.length} that do not exist (${listNames(strays)})`,
    );
  }
  const missing = paths.filter((p) => !table.has(p));
  if (missing.length > 0) {
    throw new DataError(
      `${csv}: every image must have landmarks when align is on, but got ` +
        `${missing.length} without (${listNames(missing)})`,
    );
  }
  const template = arcfaceTemplate(112);
  return paths.map((p) => {
    const points = table.get(p) ?? [];
    try {
      estimateSimilarity(points, template);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new DataError(
        `${csv}: landmarks of '${p}' must fit a similarity transform, but ` +
          `got: ${message}`,
      );
    }
    return points;
  });
}
