import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';

import sharp from 'sharp';

import {
  alignFace,
  applySimilarity,
  ARCFACE_TEMPLATE_112,
  arcfaceTemplate,
  estimateSimilarity,
  invertSimilarity,
  parseLandmarksCsv,
  Point,
  similarityResidual,
  SimilarityTransform,
  warpSimilarity,
} from '../../../kernels/subface/data/align';
import { openImageFolder } from '../../../kernels/subface/data/folder';
import { DataError, DecodedImage } from '../../../kernels/subface/data/types';
import { SeededRandom } from '../../../kernels/subface/runtime/random';

/** Exact inputs give exact fits up to float64 rounding. */
const EXACT_TOLERANCE = 1e-6;
/**
 * How far a dot's centroid may land from its template point after
 * bilinear warping, in output pixels (about 0.1 is typical).
 */
const DOT_TOLERANCE = 0.25;

function similarity(
  degrees: number,
  scale: number,
  tx: number,
  ty: number,
): SimilarityTransform {
  const theta = (degrees * Math.PI) / 180;
  return {
    a: scale * Math.cos(theta),
    b: scale * Math.sin(theta),
    tx,
    ty,
  };
}

function assertTransformClose(
  actual: SimilarityTransform,
  expected: SimilarityTransform,
  tolerance: number,
) {
  for (const key of ['a', 'b', 'tx', 'ty'] as const) {
    assert.ok(
      Math.abs(actual[key] - expected[key]) <= tolerance,
      `${key}: ${actual[key]} vs ${expected[key]}`,
    );
  }
}

/**
 * Independent reference: the 4-parameter least-squares problem solved
 * through its normal equations (Gaussian elimination with pivoting).
 */
function referenceFit(src: Point[], dst: Point[]): SimilarityTransform {
  const normal = Array.from({ length: 4 }, () => new Array(5).fill(0));
  src.forEach(([x, y], i) => {
    const rows = [
      [x, -y, 1, 0, dst[i][0]],
      [y, x, 0, 1, dst[i][1]],
    ];
    for (const row of rows) {
      for (let r = 0; r < 4; r++) {
        for (let c = 0; c < 5; c++) normal[r][c] += row[r] * row[c];
      }
    }
  });
  for (let col = 0; col < 4; col++) {
    let pivot = col;
    for (let r = col + 1; r < 4; r++) {
      if (Math.abs(normal[r][col]) > Math.abs(normal[pivot][col])) pivot = r;
    }
    [normal[col], normal[pivot]] = [normal[pivot], normal[col]];
    for (let r = 0; r < 4; r++) {
      if (r === col) continue;
      const factor = normal[r][col] / normal[col][col];
      for (let c = col; c < 5; c++) normal[r][c] -= factor * normal[col][c];
    }
  }
  const [a, b, tx, ty] = normal.map((row, r) => row[4] / row[r]);
  return { a, b, tx, ty };
}

/** A black image with soft white dots (Gaussian, sigma in pixels). */
function drawDots(
  width: number,
  height: number,
  dots: readonly Point[],
  sigma = 1.5,
): DecodedImage {
  const pixels = new Uint8Array(width * height * 3);
  for (const [cx, cy] of dots) {
    const reach = Math.ceil(4 * sigma);
    for (let y = Math.floor(cy) - reach; y <= Math.ceil(cy) + reach; y++) {
      for (let x = Math.floor(cx) - reach; x <= Math.ceil(cx) + reach; x++) {
        if (x < 0 || y < 0 || x >= width || y >= height) continue;
        const r2 = (x - cx) ** 2 + (y - cy) ** 2;
        const value = 255 * Math.exp(-r2 / (2 * sigma * sigma));
        const i = (y * width + x) * 3;
        for (let c = 0; c < 3; c++) {
          pixels[i + c] = Math.max(pixels[i + c], Math.round(value));
        }
      }
    }
  }
  return { pixels, width, height, channels: 3 };
}

/** Intensity-weighted centroid of channel 0 within `radius` of `near`. */
function centroid(image: DecodedImage, near: Point, radius = 6): Point {
  let sum = 0;
  let sumX = 0;
  let sumY = 0;
  const [nx, ny] = near.map(Math.round);
  for (let y = ny - radius; y <= ny + radius; y++) {
    for (let x = nx - radius; x <= nx + radius; x++) {
      if (x < 0 || y < 0 || x >= image.width || y >= image.height) continue;
      const value = image.pixels[(y * image.width + x) * 3];
      sum += value;
      sumX += value * x;
      sumY += value * y;
    }
  }
  assert.ok(sum > 0, `no dot near (${near})`);
  return [sumX / sum, sumY / sum];
}

function assertDotsAt(image: DecodedImage, expected: readonly Point[]) {
  for (const point of expected) {
    const [x, y] = centroid(image, point);
    const distance = Math.hypot(x - point[0], y - point[1]);
    assert.ok(
      distance <= DOT_TOLERANCE,
      `dot expected at (${point}) found at (${x}, ${y})`,
    );
  }
}

describe('estimateSimilarity', () => {
  const transforms = [
    similarity(0, 1, 0, 0),
    similarity(30, 1.7, 120.5, -40.25),
    similarity(-75, 0.4, -3, 250),
    similarity(180, 2.5, 1000, 1000),
    similarity(12, 0.05, 0.5, 0.5),
  ];

  it('recovers the inverse of a known transform of the template', () => {
    for (const known of transforms) {
      const landmarks = ARCFACE_TEMPLATE_112.map((p) =>
        applySimilarity(known, p),
      );
      const fitted = estimateSimilarity(landmarks, ARCFACE_TEMPLATE_112);
      assertTransformClose(fitted, invertSimilarity(known), EXACT_TOLERANCE);
      assert.ok(
        similarityResidual(fitted, landmarks, ARCFACE_TEMPLATE_112) <
          EXACT_TOLERANCE,
      );
    }
  });

  it('agrees with a normal-equations solve on noisy landmarks', () => {
    const random = new SeededRandom(11);
    const known = similarity(20, 2, 60, 30);
    const noise = 0.5;
    const landmarks = ARCFACE_TEMPLATE_112.map((p): Point => {
      const [x, y] = applySimilarity(known, p);
      return [x + random.normal(0, noise), y + random.normal(0, noise)];
    });
    const fitted = estimateSimilarity(landmarks, ARCFACE_TEMPLATE_112);
    const reference = referenceFit(landmarks, [...ARCFACE_TEMPLATE_112]);
    assertTransformClose(fitted, reference, 1e-9);

    // Noise of 0.5 px in the image is 0.25 px in the template (scale 1/2);
    // the residual stays of that order, and the fit near the truth.
    const residual = similarityResidual(
      fitted,
      landmarks,
      ARCFACE_TEMPLATE_112,
    );
    assert.ok(residual > 0 && residual < 0.5, `residual ${residual}`);
    const inverse = invertSimilarity(known);
    assert.ok(Math.abs(fitted.a - inverse.a) < 0.02);
    assert.ok(Math.abs(fitted.b - inverse.b) < 0.02);
  });

  it('never returns a reflection', () => {
    // A mirrored template is best matched by some rotation, not a flip:
    // the residual stays large.
    const mirrored = ARCFACE_TEMPLATE_112.map(([x, y]): Point => [-x, y]);
    const fitted = estimateSimilarity(mirrored, ARCFACE_TEMPLATE_112);
    assert.ok(similarityResidual(fitted, mirrored, ARCFACE_TEMPLATE_112) > 5);
  });

  it('rejects landmarks that all coincide', () => {
    const same: Point[] = Array.from({ length: 5 }, () => [40, 50]);
    assert.throws(
      () => estimateSimilarity(same, ARCFACE_TEMPLATE_112),
      (error: Error) =>
        error instanceof DataError &&
        /src points must not all coincide/.test(error.message),
    );
  });

  it('rejects mismatched sizes and non-finite values', () => {
    assert.throws(
      () =>
        estimateSimilarity(ARCFACE_TEMPLATE_112.slice(0, 4), [
          ...ARCFACE_TEMPLATE_112,
        ]),
      /same number \(>= 2\) of points, but got 4 and 5/,
    );
    const bad: Point[] = [...ARCFACE_TEMPLATE_112];
    bad[2] = [NaN, 3];
    assert.throws(
      () => estimateSimilarity(bad, ARCFACE_TEMPLATE_112),
      /src\[2\] must be a pair of finite numbers/,
    );
  });
});

describe('arcfaceTemplate', () => {
  it('is the InsightFace face_align.py template at 112', () => {
    assert.deepEqual(arcfaceTemplate(112), [
      [38.2946, 51.6963],
      [73.5318, 51.5014],
      [56.0252, 71.7366],
      [41.5493, 92.3655],
      [70.7299, 92.2041],
    ]);
  });

  it('scales for other square sizes', () => {
    arcfaceTemplate(224).forEach(([x, y], i) => {
      assert.ok(Math.abs(x - 2 * ARCFACE_TEMPLATE_112[i][0]) < 1e-12);
      assert.ok(Math.abs(y - 2 * ARCFACE_TEMPLATE_112[i][1]) < 1e-12);
    });
  });

  it('shifts x by -8 for 96-wide, 112-high crops', () => {
    arcfaceTemplate(96, 112).forEach(([x, y], i) => {
      assert.ok(Math.abs(x - (ARCFACE_TEMPLATE_112[i][0] - 8)) < 1e-12);
      assert.equal(y, ARCFACE_TEMPLATE_112[i][1]);
    });
  });
});

describe('alignFace', () => {
  it('moves 5 dots drawn at known positions onto the template', () => {
    const known = similarity(25, 1.6, 110, 8);
    const dots = ARCFACE_TEMPLATE_112.map((p) => applySimilarity(known, p));
    const image = drawDots(260, 220, dots);
    const aligned = alignFace(image, dots);
    assert.equal(aligned.width, 112);
    assert.equal(aligned.height, 112);
    assertDotsAt(aligned, ARCFACE_TEMPLATE_112);
  });

  it('lands dots on the scaled template for other sizes', () => {
    const known = similarity(-40, 0.9, 60, 90);
    const dots = ARCFACE_TEMPLATE_112.map((p) => applySimilarity(known, p));
    const image = drawDots(200, 200, dots, 1.2);
    assertDotsAt(alignFace(image, dots, 224), arcfaceTemplate(224));
    const narrow = alignFace(image, dots, { width: 96, height: 112 });
    assert.equal(narrow.width, 96);
    assertDotsAt(narrow, arcfaceTemplate(96, 112));
  });

  it('samples pixel centres at integer coordinates', () => {
    const image = drawDots(50, 40, [[10, 12]]);
    // The identity reproduces the image; an integer shift moves it.
    const same = warpSimilarity(image, similarity(0, 1, 0, 0), 50, 40);
    assert.deepEqual(same.pixels, image.pixels);
    const shifted = warpSimilarity(image, similarity(0, 1, 3, -2), 50, 40);
    assert.deepEqual(
      centroid(shifted, [13, 10]),
      centroid(image, [10, 12]).map((v, i) => v + [3, -2][i]),
    );
  });

  it('fills what lies outside the image with black', () => {
    const image: DecodedImage = {
      pixels: new Uint8Array(10 * 10 * 3).fill(200),
      width: 10,
      height: 10,
      channels: 3,
    };
    const out = warpSimilarity(image, similarity(0, 1, 20, 20), 40, 40);
    assert.equal(out.pixels[0], 0);
    assert.equal(out.pixels[(25 * 40 + 25) * 3], 200);
  });

  it('rejects a landmark count other than 5', () => {
    const image = drawDots(20, 20, []);
    assert.throws(
      () => alignFace(image, ARCFACE_TEMPLATE_112.slice(0, 3)),
      /landmarks must be 5 \[x, y\] points, but got 3/,
    );
  });
});

describe('parseLandmarksCsv', () => {
  const header = 'path,x1,y1,x2,y2,x3,y3,x4,y4,x5,y5';
  const values = '1,2,3,4,5,6,7,8,9,10';

  it('reads rows keyed by normalised relative path', () => {
    const table = parseLandmarksCsv(
      `\uFEFF${header}\r\n./a/1.png,${values}\r\n\r\n"b/x,y.png",${values}\n`,
      'landmarks.csv',
    );
    assert.deepEqual([...table.keys()], ['a/1.png', 'b/x,y.png']);
    assert.deepEqual(table.get('a/1.png'), [
      [1, 2],
      [3, 4],
      [5, 6],
      [7, 8],
      [9, 10],
    ]);
  });

  it('names the file and line of a bad row', () => {
    const cases: [string, RegExp][] = [
      ['path,x,y\n', /landmarks.csv:1: header must be/],
      [`${header}\na.png,1,2\n`, /csv:2: a row must have 11 fields/],
      [
        `${header}\na.png,${values.replace('5', 'five')}\n`,
        /csv:2: x3 must be a finite number, but got 'five'/,
      ],
      [
        `${header}\na.png,${values}\na.png,${values}\n`,
        /csv:3: each image must have one row/,
      ],
      [`${header}\n../a.png,${values}\n`, /csv:2: path must name a file/],
      ['', /must start with the header/],
    ];
    for (const [text, pattern] of cases) {
      assert.throws(() => parseLandmarksCsv(text, 'landmarks.csv'), pattern);
    }
  });
});

describe('openImageFolder with align', () => {
  let root = '';
  const known = [similarity(10, 1.3, 40, 20), similarity(-20, 2.1, 30, 10)];

  before(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'subface-align-'));
    const rows = ['path,x1,y1,x2,y2,x3,y3,x4,y4,x5,y5'];
    for (const [i, transform] of known.entries()) {
      const dots = ARCFACE_TEMPLATE_112.map((p) =>
        applySimilarity(transform, p),
      );
      const image = drawDots(300, 260, dots);
      const dir = path.join(root, `person${i}`);
      fs.mkdirSync(dir);
      await sharp(image.pixels, {
        raw: { width: 300, height: 260, channels: 3 },
      })
        .png()
        .toFile(path.join(dir, 'face.png'));
      rows.push(`person${i}/face.png,${dots.flat().join(',')}`);
    }
    fs.writeFileSync(path.join(root, 'landmarks.csv'), rows.join('\n'));
  });

  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('reads images aligned to the template at the requested size', async () => {
    const source = await openImageFolder(root, { align: true });
    assert.equal(source.report.aligned, true);
    assert.deepEqual(source.report.ignored, ['landmarks.csv']);
    for (let i = 0; i < source.numImages; i++) {
      assertDotsAt(await source.read(i), ARCFACE_TEMPLATE_112);
      assertDotsAt(await source.read(i, { size: 160 }), arcfaceTemplate(160));
    }
    await assert.rejects(
      source.read(0, { size: 112, centerCrop: 0.5 }),
      /centerCrop must be 1 for an aligned folder/,
    );
  });

  it('rejects landmarks for images that do not exist', async () => {
    const csv = path.join(root, 'extra.csv');
    fs.writeFileSync(
      csv,
      fs.readFileSync(path.join(root, 'landmarks.csv'), 'utf8') +
        '\nperson9/face.png,1,2,3,4,5,6,7,8,9,10\n',
    );
    await assert.rejects(
      openImageFolder(root, { align: { landmarks: csv } }),
      /every row must name an image .* 1 that do not exist \('person9\//,
    );
  });

  it('rejects images without landmarks and degenerate rows', async () => {
    const header = 'path,x1,y1,x2,y2,x3,y3,x4,y4,x5,y5';
    const missing = path.join(root, 'missing.csv');
    fs.writeFileSync(
      missing,
      `${header}\nperson0/face.png,${'1,2,'.repeat(4)}9,9\n`,
    );
    await assert.rejects(
      openImageFolder(root, { align: { landmarks: missing } }),
      /every image must have landmarks .* 1 without \('person1\/face.png'\)/,
    );
    const degenerate = path.join(root, 'degenerate.csv');
    fs.writeFileSync(
      degenerate,
      `${header}\nperson0/face.png,${'5,5,'.repeat(4)}5,5\n` +
        `person1/face.png,${'1,2,'.repeat(4)}9,9\n`,
    );
    await assert.rejects(
      openImageFolder(root, { align: { landmarks: degenerate } }),
      /landmarks of 'person0\/face.png' must fit a similarity transform/,
    );
    await assert.rejects(
      openImageFolder(root, {
        align: { landmarks: path.join(root, 'no.csv') },
      }),
      /no.csv: landmarks file must be readable/,
    );
  });
});
