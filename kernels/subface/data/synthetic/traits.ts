/**
 * What makes a synthetic person themselves (identity traits, drawn from
 * the seed and the person's number) and what changes from photo to photo
 * (nuisances, drawn from the seed, the person and the image number).
 * Because each draw has its own derived generator, any image can be made
 * alone, in any order, with the same result.
 *
 * Lengths are in face units: the image spans [-1, 1] on both axes at
 * scale 1, x to the right and y down, origin at the head's centre.
 */
import { SeededRandom } from '../../runtime/random';
import { Rgb } from './canvas';
import { SyntheticKnobs } from './config';

export interface IdentityTraits {
  /** Half-width and half-height of the face oval. */
  faceWidth: number;
  faceHeight: number;
  /** How much the oval narrows towards the chin (0: an ellipse). */
  jawTaper: number;
  skin: Rgb;
  hair: Rgb;
  /** Hairline height on the forehead (y of its centre). */
  hairline: number;
  /** How far the hair stands out around the head. */
  hairVolume: number;
  /** Curvature of the hairline and a sideways tilt (a parting). */
  hairlineCurve: number;
  hairlineTilt: number;
  longHair: boolean;
  bald: boolean;
  /** Half the distance between the eye centres, and their height. */
  eyeSpacing: number;
  eyeY: number;
  eyeWidth: number;
  /** Eye opening height over width. */
  eyeAspect: number;
  /** Radians, outer corners up for positive values. */
  eyeTilt: number;
  iris: Rgb;
  /** Iris radius over eye half-width. */
  irisSize: number;
  /** Brow height above the eye centre, thickness, arch, tilt, length. */
  browGap: number;
  browThickness: number;
  browArch: number;
  browTilt: number;
  browLength: number;
  noseLength: number;
  noseWidth: number;
  /** How far the nose tip stands out (depth, face units). */
  noseDepth: number;
  mouthY: number;
  mouthWidth: number;
  upperLip: number;
  lowerLip: number;
  lip: Rgb;
  earSize: number;
  /** 0: none; otherwise the opacity of a beard/moustache shadow. */
  beard: number;
  /** Wears glasses in most photos. */
  glasses: boolean;
}

export type Occluder = 'none' | 'sunglasses' | 'mask' | 'patch';

export interface ImageNuisances {
  /** Head rotation in radians. */
  yaw: number;
  pitch: number;
  roll: number;
  /** Face scale (1: nominal) and shift in face units. */
  scale: number;
  shiftX: number;
  shiftY: number;
  /** Unit vector towards the light (z towards the camera). */
  lightX: number;
  lightY: number;
  lightZ: number;
  ambient: number;
  diffuse: number;
  exposure: number;
  tint: Rgb;
  backgroundTop: Rgb;
  backgroundBottom: Rgb;
  /** -1..1.5: mouth corners down..up. */
  smile: number;
  /** 0..1: how far the mouth opens. */
  mouthOpen: number;
  /** 0..1: eyelid opening (1: relaxed, near 0: closed). */
  eyeOpen: number;
  browRaise: number;
  /** Where the irises look, fraction of the eye half-width. */
  gazeX: number;
  gazeY: number;
  wearsGlasses: boolean;
  occluder: Occluder;
  /** Occluder placement (face units) and colour. */
  occluderX: number;
  occluderY: number;
  occluderWidth: number;
  occluderHeight: number;
  occluderAngle: number;
  occluderColor: Rgb;
  /** Blur sigma in native pixels, noise std in 0..255 units. */
  blurSigma: number;
  noiseStd: number;
  noiseSeed: number;
}

const DEGREE = Math.PI / 180;

const SKIN_ANCHORS: readonly Rgb[] = [
  [246, 216, 196],
  [226, 182, 150],
  [178, 127, 92],
  [112, 76, 56],
];

const HAIR_COLORS: readonly Rgb[] = [
  [24, 20, 20],
  [58, 40, 30],
  [104, 70, 44],
  [196, 164, 108],
  [146, 66, 36],
  [158, 156, 154],
];

const IRIS_COLORS: readonly Rgb[] = [
  [70, 44, 28],
  [38, 28, 22],
  [72, 110, 160],
  [86, 118, 74],
  [120, 92, 52],
];

function clamp(value: number, low: number, high: number): number {
  return value < low ? low : value > high ? high : value;
}

/** A normal deviate cut at +-2.5 so that no trait becomes grotesque. */
function bounded(random: SeededRandom): number {
  return clamp(random.normal(), -2.5, 2.5);
}

function mix(p: Rgb, q: Rgb, t: number): Rgb {
  return [
    p[0] + t * (q[0] - p[0]),
    p[1] + t * (q[1] - p[1]),
    p[2] + t * (q[2] - p[2]),
  ];
}

function jitterColor(random: SeededRandom, color: Rgb, std: number): Rgb {
  return [
    clamp(color[0] + random.normal(0, std), 0, 255),
    clamp(color[1] + random.normal(0, std), 0, 255),
    clamp(color[2] + random.normal(0, std), 0, 255),
  ];
}

/** The generator of person `identity`'s traits. */
export function identityRandom(seed: number, identity: number): SeededRandom {
  return new SeededRandom(seed).derive(`identity:${identity}`);
}

/** The generator of image `image` of person `identity`. */
export function imageRandom(
  seed: number,
  identity: number,
  image: number,
): SeededRandom {
  return new SeededRandom(seed).derive(`image:${identity}:${image}`);
}

/** Draws person `identity`'s traits; `spread` scales their variation. */
export function drawIdentity(
  seed: number,
  identity: number,
  spread: number,
): IdentityTraits {
  const random = identityRandom(seed, identity);
  const vary = (mean: number, std: number): number =>
    mean + std * spread * bounded(random);

  // Colours: a continuous skin ramp, a hair palette pulled towards brown
  // when spread < 1 so that people look more alike.
  const skinT = clamp(0.4 + 0.3 * spread * bounded(random), 0, 0.999);
  const segment = skinT * (SKIN_ANCHORS.length - 1);
  const low = Math.floor(segment);
  const skin = jitterColor(
    random,
    mix(SKIN_ANCHORS[low], SKIN_ANCHORS[low + 1], segment - low),
    6 * spread,
  );
  const pull = 1 - Math.min(1, spread);
  const hair = jitterColor(
    random,
    mix(HAIR_COLORS[random.int(HAIR_COLORS.length)], HAIR_COLORS[1], pull),
    10 * spread,
  );
  const iris = jitterColor(
    random,
    IRIS_COLORS[random.int(IRIS_COLORS.length)],
    12,
  );
  const lip = mix(skin, [170, 70, 70], clamp(vary(0.35, 0.1), 0.1, 0.7));
  const bald = random.bernoulli(0.06);

  return {
    faceWidth: vary(0.5, 0.04),
    faceHeight: vary(0.64, 0.045),
    jawTaper: vary(0.22, 0.1),
    skin,
    hair,
    hairline: bald ? -0.75 : vary(-0.42, 0.06),
    hairVolume: vary(0.08, 0.05),
    hairlineCurve: vary(0.25, 0.15),
    hairlineTilt: vary(0, 0.12),
    longHair: random.bernoulli(0.35),
    bald,
    eyeSpacing: vary(0.2, 0.022),
    eyeY: vary(-0.06, 0.03),
    eyeWidth: vary(0.085, 0.011),
    eyeAspect: vary(0.45, 0.07),
    eyeTilt: vary(0, 4) * DEGREE,
    iris,
    irisSize: vary(0.5, 0.06),
    browGap: vary(0.075, 0.015),
    browThickness: Math.max(0.008, vary(0.02, 0.007)),
    browArch: vary(0.35, 0.2),
    browTilt: vary(0, 7) * DEGREE,
    browLength: vary(0.11, 0.018),
    noseLength: vary(0.2, 0.035),
    noseWidth: vary(0.07, 0.013),
    noseDepth: vary(0.2, 0.05),
    mouthY: vary(0.32, 0.035),
    mouthWidth: vary(0.14, 0.022),
    upperLip: Math.max(0.008, vary(0.018, 0.006)),
    lowerLip: Math.max(0.01, vary(0.026, 0.007)),
    lip,
    earSize: vary(0.12, 0.02),
    beard: random.bernoulli(0.15) ? clamp(vary(0.5, 0.2), 0.15, 0.9) : 0,
    glasses: random.bernoulli(0.12),
  };
}

/** Draws the nuisances of one image under the difficulty `knobs`. */
export function drawNuisances(
  seed: number,
  identity: number,
  image: number,
  traits: IdentityTraits,
  knobs: SyntheticKnobs,
): ImageNuisances {
  const random = imageRandom(seed, identity, image);
  const pose = knobs.pose * DEGREE;
  const { lighting, expression, occlusion } = knobs;

  // Light from anywhere in front, higher more often than lower.
  const azimuth = random.next() * 2 * Math.PI;
  const tilt = Math.acos(1 - random.next() * lighting * 0.9);
  const lightZ = Math.cos(tilt);
  const lightX = Math.sin(tilt) * Math.cos(azimuth);
  const lightY = Math.sin(tilt) * Math.sin(azimuth) * 0.8 - 0.2;
  // Backgrounds: any brightness, muted colours.
  const gray = clamp(random.normal(128, 40), 20, 235);
  const backgroundTop = jitterColor(random, [gray, gray, gray], 14);

  let occluder: Occluder = 'none';
  if (random.bernoulli(occlusion)) {
    const kinds: Occluder[] = ['sunglasses', 'mask', 'patch'];
    occluder = kinds[random.int(kinds.length)];
  }
  const blink = random.bernoulli(0.04 * expression);

  return {
    yaw: clamp(random.normal(0, pose), -2.5 * pose, 2.5 * pose),
    pitch: clamp(random.normal(0, 0.6 * pose), -1.5 * pose, 1.5 * pose),
    roll: clamp(random.normal(0, 0.4 * pose), -pose, pose),
    scale: Math.exp(random.normal(0, knobs.jitter)),
    shiftX: random.normal(0, knobs.jitter) * 2,
    shiftY: random.normal(0, knobs.jitter) * 2,
    lightX,
    lightY,
    lightZ,
    ambient: 1 - lighting * (0.35 + 0.25 * random.next()),
    diffuse: lighting * (0.5 + 0.4 * random.next()),
    exposure: Math.exp(random.normal(0, 0.15 * lighting)),
    tint: [
      Math.exp(random.normal(0, 0.05 * lighting)),
      1,
      Math.exp(random.normal(0, 0.05 * lighting)),
    ],
    backgroundTop,
    backgroundBottom: jitterColor(random, backgroundTop, 25),
    smile: clamp(random.normal(0.1, 0.6 * expression), -1, 1.5),
    mouthOpen: random.bernoulli(0.3 * expression)
      ? random.next() * expression
      : 0,
    eyeOpen: blink ? 0.08 : clamp(1 - random.next() * 0.5 * expression, 0.3, 1),
    browRaise: random.normal(0, 0.02 * expression),
    gazeX: random.normal(0, 0.15 + 0.1 * expression),
    gazeY: random.normal(0, 0.08),
    wearsGlasses: traits.glasses ? random.bernoulli(0.85) : false,
    occluder,
    occluderX: random.normal(0, 0.2),
    occluderY: random.normal(0.1, 0.25),
    occluderWidth: 0.12 + 0.2 * random.next(),
    occluderHeight: 0.08 + 0.15 * random.next(),
    occluderAngle: random.normal(0, 0.5),
    occluderColor:
      occluder === 'mask'
        ? jitterColor(random, [205, 212, 220], 18)
        : jitterColor(random, [150, 128, 112], 35),
    blurSigma: knobs.blur * random.next(),
    noiseStd: knobs.noise * (0.3 + 0.7 * random.next()),
    noiseSeed: random.nextUint32(),
  };
}
