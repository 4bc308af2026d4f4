/** The versions a run records in config.json. */
import * as fs from 'node:fs';
import * as path from 'node:path';

import * as tf from '@tensorflow/tfjs';

/** This package's version, from the nearest package.json named subface. */
function ownVersion(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const json = JSON.parse(fs.readFileSync(file, 'utf8'));
      if (json.name === 'subface') return String(json.version);
    }
    if (path.dirname(dir) === dir) return 'unknown';
  }
}

/** subface, tfjs and Node versions. */
export function versions(): Record<string, string> {
  return {
    subface: ownVersion(),
    tfjs: tf.version.tfjs,
    node: process.versions.node,
  };
}
