/**
 * Draws one synthetic face: background, hair, ears, the face oval, eyes,
 * brows, nose, mouth, glasses and occluders, then lighting, blur and
 * sensor noise. Painter's order: later shapes cover earlier ones.
 */
import { Canvas, Rgb } from './canvas';
import { offsetFrame, Projector } from './projector';
import {
  band,
  ellipse,
  faceOval,
  Intersection,
  ring,
  roundedBox,
} from './shapes';
import { IdentityTraits, ImageNuisances } from './traits';

const SCLERA: Rgb = [236, 232, 228];
const LASH: Rgb = [36, 26, 24];
const PUPIL: Rgb = [14, 10, 10];
const MOUTH_INSIDE: Rgb = [64, 22, 26];
const FRAME_COLOR: Rgb = [30, 28, 30];
const DARK_LENS: Rgb = [22, 22, 28];
/** Light kept at the head's outline by the fixed falloff. */
const FORM_BASE = 0.8;

function scaleColor(color: Rgb, factor: number): Rgb {
  return [color[0] * factor, color[1] * factor, color[2] * factor];
}

/** The options that place the face on the output image. */
export interface DrawOptions {
  /** Output side in pixels. */
  size: number;
  /** Side at which blur and noise are defined. */
  nativeSize: number;
  /** 1 / centerCrop: > 1 shows the middle of the view, larger. */
  zoom: number;
}

/** Draws one face and returns its RGB bytes (HWC). */
export function drawFace(
  traits: IdentityTraits,
  nuisances: ImageNuisances,
  options: DrawOptions,
  canvas: Canvas,
): Uint8Array {
  const view = new Projector(traits, nuisances, options.size, options.zoom);
  canvas.fillGradient(nuisances.backgroundTop, nuisances.backgroundBottom);

  drawHairBehind(canvas, view, traits);
  drawHead(canvas, view, traits);
  drawHairCap(canvas, view, traits);
  for (const side of [-1, 1]) drawEye(canvas, view, traits, side);
  for (const side of [-1, 1]) drawBrow(canvas, view, traits, side);
  drawNose(canvas, view, traits);
  drawMouth(canvas, view, traits);
  if (nuisances.wearsGlasses) drawGlasses(canvas, view, traits, false);
  drawOccluder(canvas, view, traits);

  shade(canvas, view);
  const ratio = options.size / options.nativeSize;
  canvas.blur(nuisances.blurSigma * ratio);
  // Drawing smaller than native stands for averaging native pixels,
  // which divides the noise's std by the ratio of sides.
  const noise = nuisances.noiseStd * Math.min(1, ratio);
  return canvas.toBytes(noise, nuisances.noiseSeed);
}

function drawHairBehind(
  canvas: Canvas,
  view: Projector,
  traits: IdentityTraits,
): void {
  if (traits.bald) return;
  const { faceWidth: w, faceHeight: h, hairVolume: volume } = traits;
  if (traits.longHair) {
    const frame = view.planeFrame(0, 0.3 * h, w + 0.1 + volume, h * 1.1);
    canvas.fill(roundedBox(frame), traits.hair);
  }
  const top = view.planeFrame(0, -0.12 * h, w + volume, h * 0.92 + volume);
  canvas.fill(ellipse(top), traits.hair);
}

function drawHead(
  canvas: Canvas,
  view: Projector,
  traits: IdentityTraits,
): void {
  const { faceWidth: w, faceHeight: h, skin } = traits;
  const neck = view.planeFrame(0, h * 1.05, w * 0.55, 0.4);
  canvas.fill(roundedBox(neck), scaleColor(skin, 0.78));

  // Ears sit behind the equator, so yaw hides the far one.
  for (const side of [-1, 1]) {
    const ear = view.surfaceFrame(
      side * w * 0.98,
      traits.eyeY + 0.08,
      0.055,
      traits.earSize,
      0,
      -0.3 * view.depthRadius,
    );
    canvas.fill(ellipse(ear), scaleColor(skin, 0.9));
  }

  const [rx, ry] = view.silhouette();
  const oval = faceOval(view.planeFrame(0, 0, rx, ry), traits.jawTaper);
  canvas.fill(oval, skin);

  if (traits.beard > 0) {
    const jaw = view.surfaceFrame(0, traits.mouthY + 0.1, w * 1.1, 0.3);
    canvas.fill(
      new Intersection(oval, ellipse(jaw)),
      traits.hair,
      traits.beard * 0.55,
    );
  }
}

function drawHairCap(
  canvas: Canvas,
  view: Projector,
  traits: IdentityTraits,
): void {
  if (traits.bald) return;
  const { faceWidth: w, faceHeight: h, hairVolume: volume } = traits;
  const outer = ellipse(
    view.planeFrame(0, -0.12 * h, w + volume, h * 0.92 + volume),
  );
  // The hairline is the lower edge of a wide ellipse; its width sets the
  // curvature and its tilt a parting to one side.
  const radiusY = 0.6;
  const radiusX = w * Math.max(0.6, 1.6 - traits.hairlineCurve);
  const line = view.planeFrame(
    traits.hairlineTilt * 0.3,
    traits.hairline - radiusY,
    radiusX,
    radiusY,
    traits.hairlineTilt,
    0.6,
  );
  canvas.fill(new Intersection(outer, ellipse(line)), traits.hair);
}

function drawEye(
  canvas: Canvas,
  view: Projector,
  traits: IdentityTraits,
  side: number,
): void {
  const n = view.nuisances;
  const x = side * traits.eyeSpacing;
  const y = traits.eyeY;
  const width = traits.eyeWidth;
  const frame = view.surfaceFrame(x, y, width, width, -side * traits.eyeTilt);
  const open = traits.eyeAspect * n.eyeOpen;

  // Socket shadow, then the almond-shaped opening.
  const socket = offsetFrame(frame, 0, -0.1);
  const socketShape = ellipse({
    ...socket,
    a: socket.a * 1.35,
    c: socket.c * 1.35,
    b: socket.b * traits.eyeAspect * 1.6,
    d: socket.d * traits.eyeAspect * 1.6,
  });
  canvas.fill(socketShape, scaleColor(traits.skin, 0.82), 0.45);
  const opening = band(frame, {
    bend: 0,
    above: open,
    below: open * 0.75,
    taper: 2,
  });
  canvas.fill(opening, SCLERA);

  const irisFrame = offsetFrame(frame, n.gazeX * 0.35, n.gazeY * 0.2);
  const radius = traits.irisSize;
  const iris = { ...irisFrame };
  iris.a *= radius;
  iris.b *= radius;
  iris.c *= radius;
  iris.d *= radius;
  canvas.fill(new Intersection(ellipse(iris), opening), traits.iris);
  const pupil = { ...iris };
  pupil.a *= 0.45;
  pupil.b *= 0.45;
  pupil.c *= 0.45;
  pupil.d *= 0.45;
  canvas.fill(new Intersection(ellipse(pupil), opening), PUPIL);

  // The upper lid follows the opening's top edge, v = -open (1 - u^2);
  // the crease sits above it.
  const lid = band(offsetFrame(frame, 0, -open), {
    bend: open,
    above: 0.12,
    below: 0.04,
    taper: 4,
  });
  canvas.fill(lid, LASH, 0.9);
  const crease = band(offsetFrame(frame, 0, -open - 0.28), {
    bend: open * 0.8,
    above: 0.04,
    below: 0.04,
    taper: 3,
  });
  canvas.fill(crease, scaleColor(traits.skin, 0.7), 0.5);
}

function drawBrow(
  canvas: Canvas,
  view: Projector,
  traits: IdentityTraits,
  side: number,
): void {
  const length = traits.browLength;
  const frame = view.surfaceFrame(
    side * (traits.eyeSpacing + 0.01),
    traits.eyeY - traits.browGap - view.nuisances.browRaise,
    length,
    length,
    -side * traits.browTilt,
  );
  const thickness = traits.browThickness / length;
  const brow = band(frame, {
    bend: traits.browArch * 0.3,
    above: thickness,
    below: thickness,
    taper: 3,
  });
  canvas.fill(brow, scaleColor(traits.hair, 0.75), 0.9);
}

function drawNose(
  canvas: Canvas,
  view: Projector,
  traits: IdentityTraits,
): void {
  const n = view.nuisances;
  const tipY = traits.eyeY + traits.noseLength;
  const depth = traits.noseDepth;
  const shadow = scaleColor(traits.skin, 0.72);

  // The bridge's shadow falls on the side away from the light.
  const away = n.lightX > 0 ? -1 : 1;
  const bridge = view.surfaceFrame(
    away * traits.noseWidth * 0.45,
    (traits.eyeY + tipY) / 2,
    traits.noseLength / 2,
    traits.noseLength / 2,
    Math.PI / 2,
    depth * 0.5,
  );
  canvas.fill(
    band(bridge, { bend: 0, above: 0.06, below: 0.06, taper: 2 }),
    shadow,
    0.3 + 0.4 * Math.abs(n.lightX),
  );

  for (const side of [-1, 1]) {
    const wing = view.surfaceFrame(
      side * traits.noseWidth * 0.7,
      tipY,
      0.03,
      0.026,
      0,
      depth * 0.4,
    );
    canvas.fill(ellipse(wing), shadow, 0.45);
  }
  const tip = view.surfaceFrame(
    0,
    tipY,
    traits.noseWidth * 0.55,
    0.04,
    0,
    depth,
  );
  canvas.fill(ellipse(tip), scaleColor(traits.skin, 1.06), 0.6);
  for (const side of [-1, 1]) {
    const nostril = view.surfaceFrame(
      side * traits.noseWidth * 0.42,
      tipY + 0.025,
      0.022,
      0.011,
      side * 0.3,
      depth * 0.55,
    );
    canvas.fill(ellipse(nostril), scaleColor(traits.skin, 0.35), 0.85);
  }
}

function drawMouth(
  canvas: Canvas,
  view: Projector,
  traits: IdentityTraits,
): void {
  const n = view.nuisances;
  const width = traits.mouthWidth * (1 + 0.12 * n.smile);
  const frame = view.surfaceFrame(0, traits.mouthY, width, width, 0, 0.02);
  // Corners rise with a smile: the centre line is v = bend * u^2.
  const bend = -0.22 * n.smile;
  const gap = n.mouthOpen * 0.35;
  const upper = traits.upperLip / width;
  const lower = traits.lowerLip / width;

  const lips = band(offsetFrame(frame, 0, -gap / 2), {
    bend,
    above: upper,
    below: lower + gap,
    taper: 2,
  });
  canvas.fill(lips, traits.lip);
  if (gap > 0.01) {
    const inside = band(frame, {
      bend,
      above: gap * 0.45,
      below: gap * 0.45,
      taper: 2.5,
    });
    canvas.fill(inside, MOUTH_INSIDE);
  }
  const line = band(frame, { bend, above: 0.03, below: 0.03, taper: 6 });
  canvas.fill(line, scaleColor(traits.lip, 0.45), 0.7);
}

function drawGlasses(
  canvas: Canvas,
  view: Projector,
  traits: IdentityTraits,
  dark: boolean,
): void {
  const width = traits.eyeWidth * 1.55;
  for (const side of [-1, 1]) {
    const frame = view.surfaceFrame(
      side * traits.eyeSpacing,
      traits.eyeY + 0.01,
      width,
      width * 0.75,
      0,
      0.05,
    );
    if (dark) canvas.fill(ellipse(frame), DARK_LENS, 0.95);
    canvas.fill(ring(frame, 0.1), FRAME_COLOR, 0.9);
  }
  const bridge = view.surfaceFrame(
    0,
    traits.eyeY - 0.01,
    traits.eyeSpacing - width,
    traits.eyeSpacing - width,
    0,
    0.07,
  );
  const bar = band(bridge, {
    bend: -0.2,
    above: 0.1,
    below: 0.1,
    taper: 8,
  });
  canvas.fill(bar, FRAME_COLOR, 0.9);
}

function drawOccluder(
  canvas: Canvas,
  view: Projector,
  traits: IdentityTraits,
): void {
  const n = view.nuisances;
  if (n.occluder === 'sunglasses') {
    drawGlasses(canvas, view, traits, true);
  } else if (n.occluder === 'mask') {
    const mask = view.surfaceFrame(
      0,
      traits.mouthY - 0.06,
      traits.faceWidth * 0.85,
      0.24,
      0,
      0.04,
    );
    canvas.fill(roundedBox(mask), n.occluderColor);
  } else if (n.occluder === 'patch') {
    const patch = view.planeFrame(
      n.occluderX,
      n.occluderY,
      n.occluderWidth,
      n.occluderHeight,
      n.occluderAngle,
      1,
    );
    canvas.fill(roundedBox(patch), n.occluderColor);
  }
}

/** The directional light of the image on the head's ellipsoid. */
function shade(canvas: Canvas, view: Projector): void {
  const n = view.nuisances;
  const [rx, ry] = view.silhouette();
  canvas.applyLighting(view.planeFrame(0, 0, rx, ry), {
    x: n.lightX,
    y: n.lightY,
    z: n.lightZ,
    ambient: n.ambient,
    diffuse: n.diffuse,
    form: FORM_BASE,
    exposure: n.exposure,
    tint: n.tint,
  });
}
