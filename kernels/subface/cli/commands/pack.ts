/**
 * `subface pack <folder> <prefix>`: an identity-per-folder image tree to an
 * InsightFace pack (`<prefix>.rec`, `<prefix>.idx`, `property`).
 */
import { Command } from 'commander';

import { packFolder } from '../../data';
import { positiveInteger, quality } from '../options';
import { CliOutput } from '../output';

interface PackFlags {
  imageSize?: number;
  quality: number;
  minImages: number;
}

export function packCommand(output: CliOutput): Command {
  return new Command('pack')
    .description(
      'Pack an image folder (one sub-folder per identity) as an ' +
        'InsightFace RecordIO pack: <prefix>.rec, <prefix>.idx, property ' +
        'and <prefix>.names.',
    )
    .argument('<folder>', 'folder with one sub-folder of images per identity')
    .argument('<prefix>', 'output path without extension, e.g. out/train')
    .option(
      '--image-size <pixels>',
      're-encode every image at this square size (default: keep JPEGs)',
      positiveInteger,
    )
    .option(
      '--quality <1-100>',
      'JPEG quality of re-encoded images',
      quality,
      95,
    )
    .option(
      '--min-images <count>',
      'skip identities with fewer images',
      positiveInteger,
      1,
    )
    .action(async (folder: string, prefix: string, flags: PackFlags) => {
      const result = await packFolder(
        folder,
        prefix,
        { imageSize: flags.imageSize, jpegQuality: flags.quality },
        { minImagesPerIdentity: flags.minImages },
      );
      output.result(
        `packed ${result.numImages} images of ${result.numClasses} ` +
          `identities (${result.width}x${result.height}, ` +
          `${result.numReencoded} re-encoded) into ${result.recPath}`,
        result,
      );
    });
}
