/**
 * `subface pack-pairs <pairs> <images> <out.bin>`: a pairs list and its
 * image folder to an InsightFace verification pack (like lfw.bin).
 */
import { Command } from 'commander';

import { openPairsList, writeVerificationPack } from '../../data';
import { fraction, integerList, positiveInteger, quality } from '../options';
import { CliOutput } from '../output';

interface PackPairsFlags {
  size: number;
  centerCrop: number;
  quality: number;
  folds?: number[];
  skipMissing?: boolean;
}

export function packPairsCommand(output: CliOutput): Command {
  return new Command('pack-pairs')
    .description(
      'Build a verification pack (.bin, as InsightFace reads it) from an ' +
        'LFW-style pairs list and the folder of images it names ' +
        '(<folder>/<Name>/<Name>_0001.jpg).',
    )
    .argument('<pairs>', 'pairs list, e.g. pairs.txt or pairsDevTest.txt')
    .argument('<images>', 'image folder the list refers to')
    .argument('<out>', 'output file, e.g. lfw.bin')
    .option(
      '--size <pixels>',
      'side of the packed images',
      positiveInteger,
      112,
    )
    .option(
      '--center-crop <fraction>',
      'crop the centre of each photo first (about 0.5 for unaligned LFW)',
      fraction,
      1,
    )
    .option(
      '--quality <1-100>',
      'JPEG quality of re-encoded images',
      quality,
      95,
    )
    .option(
      '--folds <list>',
      'keep only these folds, e.g. 1 or 1,2',
      integerList,
    )
    .option('--skip-missing', 'drop pairs whose images are missing')
    .action(
      async (
        pairs: string,
        images: string,
        out: string,
        flags: PackPairsFlags,
      ) => {
        const set = await openPairsList(pairs, images, {
          onlyFolds: flags.folds,
          missing: flags.skipMissing ? 'skip' : 'error',
        });
        const result = await writeVerificationPack(set, out, {
          size: flags.size,
          centerCrop: flags.centerCrop,
          quality: flags.quality,
        });
        const skipped =
          set.numSkippedPairs > 0
            ? `, ${set.numSkippedPairs} pairs skipped for missing images`
            : '';
        output.result(
          `packed ${result.numPairs} pairs (${result.numImages} images` +
            `${skipped}) into ${result.path}, sha256 ${result.sha256}`,
          { ...result, numSkippedPairs: set.numSkippedPairs },
        );
      },
    );
}
