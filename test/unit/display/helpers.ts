/**
 * Test helpers for notebook outputs: a stand-in tslab kernel, stdout
 * capture, SVG parsing and seeded embeddings.
 */
import { DOMParser } from '@xmldom/xmldom';
import * as os from 'node:os';
import * as path from 'node:path';

import { SeededRandom } from '../../../kernels/subface/runtime';

/** What the stand-in kernel received for one display message. */
export interface SentMessage {
  content: {
    data: { [mime: string]: unknown };
    metadata: object;
    transient: { display_id?: string };
  };
  update: boolean;
}

export interface StandInKernel {
  messages: SentMessage[];
  remove(): void;
}

/**
 * A MOCK of the tslab kernel: a module object placed in require.cache
 * under a path ending in tslab/dist/jupyter.js, whose
 * lastWriteDisplayData records what it is given instead of sending it
 * over ZMQ. The real kernel path is tested by the notebook tests.
 */
export function installStandInKernel(): StandInKernel {
  const file = path.join(
    os.tmpdir(),
    'subface-stand-in',
    'node_modules',
    'tslab',
    'dist',
    'jupyter.js',
  );
  const messages: SentMessage[] = [];
  const exports = {
    lastWriteDisplayData: (content: SentMessage['content'], update: boolean) =>
      messages.push({ content, update }),
  };
  require.cache[file] = {
    id: file,
    filename: file,
    loaded: true,
    exports,
    children: [],
    paths: [],
  } as unknown as NodeJS.Module;
  return { messages, remove: () => delete require.cache[file] };
}

/**
 * Runs `action` while string writes to stdout are recorded instead of
 * printed (other writes, e.g. the test runner's, pass through).
 */
export async function captureStdout<T>(
  action: () => Promise<T>,
): Promise<{ result: T; written: string[] }> {
  const written: string[] = [];
  const original = process.stdout.write;
  process.stdout.write = ((chunk: unknown, ...rest: unknown[]) => {
    if (typeof chunk === 'string') {
      written.push(chunk);
      return true;
    }
    return (original as (...args: unknown[]) => boolean).call(
      process.stdout,
      chunk,
      ...rest,
    );
  }) as typeof process.stdout.write;
  try {
    return { result: await action(), written };
  } finally {
    process.stdout.write = original;
  }
}

/** The SVG as an XML document; any parse error or warning throws. */
export function parseSvg(svg: string) {
  const parser = new DOMParser({
    onError: (level: string, message: string) => {
      throw new Error(`SVG ${level}: ${message}`);
    },
  });
  return parser.parseFromString(svg, 'image/svg+xml');
}

/**
 * Marks drawn in groups of class `mark-<type>` (vega's SVG layout: one
 * group per mark, one child element per datum).
 */
export function countMarks(svg: string, type: string): number {
  const document = parseSvg(svg);
  const groups = Array.from(document.getElementsByTagName('g')).filter((g) => {
    const classes = (g.getAttribute('class') ?? '').split(' ');
    return classes.includes(`mark-${type}`) && classes.includes('role-mark');
  });
  return groups.reduce((sum, g) => sum + g.childNodes.length, 0);
}

/** Seeded clusters: class c around a random centre, float32 [n, dim]. */
export function clusters(numClasses: number, perClass: number, dim = 8) {
  const random = new SeededRandom(5);
  const n = numClasses * perClass;
  const embeddings = new Float32Array(n * dim);
  const labels = new Int32Array(n);
  const centres = Array.from({ length: numClasses * dim }, () =>
    random.normal(0, 3),
  );
  for (let i = 0; i < n; i++) {
    labels[i] = i % numClasses;
    for (let j = 0; j < dim; j++) {
      const centre = centres[labels[i] * dim + j];
      embeddings[i * dim + j] = centre + random.normal();
    }
  }
  return { embeddings, labels, dim };
}
