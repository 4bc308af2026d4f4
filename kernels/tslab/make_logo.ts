/**
 * Renders logo.svg into the two PNG sizes Jupyter shows for a kernel
 * (logo-64x64.png, logo-32x32.png), next to this source folder:
 *
 *   node out/kernels/tslab/make_logo.js
 */
import * as path from 'node:path';

import sharp from 'sharp';

import { findPackageRoot } from './package_root';

const SIZES = [64, 32];

async function main(): Promise<void> {
  const folder = path.join(findPackageRoot(), 'kernels', 'tslab');
  const svg = path.join(folder, 'logo.svg');
  for (const size of SIZES) {
    const file = path.join(folder, `logo-${size}x${size}.png`);
    // Rasterised at 4x the target and scaled down: smoother edges.
    await sharp(svg, { density: (72 * 4 * size) / 64 })
      .resize(size, size)
      .png({ compressionLevel: 9 })
      .toFile(file);
    process.stdout.write(`${file}\n`);
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${(error as Error)?.stack ?? error}\n`);
    process.exitCode = 1;
  });
}
