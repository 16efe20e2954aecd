/**
 * Drawing maps and images: colormaps applied with tensor ops (a 256-entry lookup table and a
 * gather), heatmaps blended over their image, signed gradient images, and their PNG bytes. No
 * model knowledge: any `[h, w]` map and any image.
 */
import { tf } from '../tf';
import { checkFinite, describeValue } from '../core/checks';
import { valuesOf } from '../core/tensors';
import { colormapTable, type ColormapName } from './colormaps';
import { encodePng } from './image-codec';
import { rgbaBytes } from './rgba';

/** Options of {@link colorize}. */
export interface ColorizeOptions {
  /** Default 'jet'. */
  colormap?: ColormapName;
  /** Values mapped to the ends of the colormap (default: the map's min and max; symmetric ±max|v| for 'coolwarm'). */
  range?: [number, number];
}

function checkMapRank(map: tf.Tensor, ranks: number[]): void {
  if (!(map instanceof tf.Tensor) || !ranks.includes(map.rank)) {
    throw new Error(`map must be a tensor of rank ${ranks.join(' or ')}; got ${describeValue(map)}`);
  }
}

/** @throws unless `valueRange` is `[low, high]`, finite, low < high. */
function checkValueRange(valueRange: unknown): void {
  if (!Array.isArray(valueRange) || valueRange.length !== 2 || !valueRange.every(Number.isFinite) || !((valueRange[0] as number) < (valueRange[1] as number))) {
    throw new Error(`valueRange must be [low, high] with finite low < high; got ${describeValue(valueRange)}`);
  }
}

/**
 * @throws when a map `[h, w]` cannot be a map of an image `[H, W]`: its aspect ratio differs by
 * more than rounding to a stride allows (e.g. a transposed map).
 */
function checkMapFitsImage(map: readonly number[], image: readonly number[]): void {
  const [h, w] = map.slice(-2);
  const [H, W] = image.slice(-3, -1);
  if (Math.abs(h * W - w * H) > H + W) {
    throw new Error(`map of shape ${JSON.stringify(map)} does not fit image of shape ${JSON.stringify(image)}: a map [h, w] must have about the image's aspect ratio (transposed?)`);
  }
}

/** Map values to colours: a map `[..., H, W]` becomes RGB `[..., H, W, 3]` in [0, 1]. */
export function colorize(map: tf.Tensor, opts: ColorizeOptions = {}): tf.Tensor {
  const name = opts.colormap ?? 'jet';
  const table = colormapTable(name);
  return tf.tidy(() => {
    const [lo, hi] = opts.range ? opts.range.map((v) => tf.scalar(v)) : rangeOf(map, name);
    return colorizeIn(map, table, lo, hi);
  });
}

/** The default colour range of a map as scalars (its min/max, symmetric ±max|v| for 'coolwarm'); kept on the device. */
function rangeOf(map: tf.Tensor, colormap: ColormapName): [tf.Tensor, tf.Tensor] {
  if (colormap !== 'coolwarm') return [tf.min(map), tf.max(map)];
  const hi = tf.max(tf.abs(map));
  return [tf.neg(hi), hi];
}

/** `map` coloured through `table` with `lo`/`hi` (scalar tensors) at the ends. */
function colorizeIn(map: tf.Tensor, table: number[][], lo: tf.Tensor, hi: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const span = tf.maximum(tf.sub(hi, lo), 1e-12);
    const t = tf.clipByValue(tf.div(tf.sub(map, lo), span), 0, 1);
    const index = tf.cast(tf.round(tf.mul(t, 255)), 'int32');
    return tf.gather(tf.tensor2d(table), index);
  });
}

/** Options of {@link overlayHeatmap} and {@link heatmapPNG}. */
export interface OverlayOptions extends ColorizeOptions {
  /** Weight of the heatmap over the image, 0 to 1 (default 0.5). */
  opacity?: number;
  /** The pixel value range of the image (default [0, 1]). */
  valueRange?: [number, number];
  /** Which image/map of a batch to draw (default 0). */
  index?: number;
}

function pick(t: tf.Tensor, rank: number, index: number): tf.Tensor {
  if (t.rank === rank) return t;
  if (index < 0 || index >= t.shape[0] || !Number.isInteger(index)) {
    throw new Error(`index must be an integer in [0, ${t.shape[0] - 1}]; got ${index}`);
  }
  return tf.squeeze(tf.slice(t, index, 1), [0]);
}

/** An image `[H, W, C]` in `valueRange` as RGB `[H, W, 3]` in [0, 1] (C other than 3: the channel mean as gray). */
export function displayRGB(image: tf.Tensor, valueRange: [number, number] = [0, 1]): tf.Tensor3D {
  checkValueRange(valueRange);
  return tf.tidy(() => {
    const [lo, hi] = valueRange;
    const unit = tf.clipByValue(tf.div(tf.sub(tf.cast(image, 'float32'), lo), hi - lo), 0, 1);
    const c = image.shape[2];
    if (c === 3) return unit as tf.Tensor3D;
    return tf.tile(c === 1 ? unit : tf.mean(unit, 2, true), [1, 1, 3]) as tf.Tensor3D;
  });
}

/**
 * A heatmap of `map` (`[h, w]`, or a batch `[N, h, w]` with `index`) resized to `image` and blended
 * over it: RGB `[H, W, 3]` in [0, 1]. Without an image, the coloured map alone.
 */
export function overlayHeatmap(map: tf.Tensor, image?: tf.Tensor, opts: OverlayOptions = {}): tf.Tensor3D {
  checkMapRank(map, [2, 3]);
  if (image !== undefined) {
    checkMapRank(image, [3, 4]);
    checkMapFitsImage(map.shape, image.shape);
  }
  const opacity = opts.opacity ?? 0.5;
  if (!(opacity >= 0 && opacity <= 1)) throw new Error(`opacity must be in [0, 1]; got ${opacity}`);
  return tf.tidy(() => {
    const index = opts.index ?? 0;
    const m = pick(map, 2, index) as tf.Tensor2D;
    if (!image) return colorize(m, opts) as tf.Tensor3D;
    const img = displayRGB(pick(image, 3, index), opts.valueRange ?? [0, 1]);
    const [h, w] = img.shape;
    const resized = tf.image.resizeBilinear(tf.expandDims<tf.Tensor3D>(m, 2), [h, w], false, true).squeeze([2]);
    const name = opts.colormap ?? 'jet';
    const [lo, hi] = opts.range ? opts.range.map((v) => tf.scalar(v)) : rangeOf(m, name); // taken before resizing
    const heat = colorizeIn(resized, colormapTable(name), lo, hi) as tf.Tensor3D;
    return tf.add<tf.Tensor3D>(tf.mul(img, 1 - opacity), tf.mul(heat, opacity));
  });
}

/**
 * A signed per-channel attribution (`[H, W, C]` or a batch with `index`) as an image: 0 is mid-gray,
 * ±max|value| the ends (the usual way to show guided backprop and deconvnet); not 3 channels: their mean as gray. RGB `[H, W, 3]` in [0, 1].
 */
export function gradientImage(attribution: tf.Tensor, index = 0): tf.Tensor3D {
  checkMapRank(attribution, [3, 4]);
  return tf.tidy(() => {
    const a = pick(attribution, 3, index);
    const scaled = tf.add(0.5, tf.div(a, tf.mul(2, tf.maximum(tf.max(tf.abs(a)), 1e-12))));
    return (a.shape[2] === 3 ? scaled : tf.tile(tf.mean(scaled, 2, true), [1, 1, 3])) as tf.Tensor3D;
  });
}

/**
 * PNG bytes of `map` as a heatmap over `image` (see {@link overlayHeatmap}); show it in a notebook
 * with `tslab.display.png(bytes)`.
 *
 * @example
 * const s = await lens.saliency(model, image);
 * tslab.display.png(await lens.heatmapPNG(s.map, image, { opacity: 0.6 }));
 */
export async function heatmapPNG(map: tf.Tensor, image?: tf.Tensor, opts: OverlayOptions = {}): Promise<Uint8Array> {
  await checkFinite('map', map);
  await checkFinite('image', image);
  const rgb = overlayHeatmap(map, image, opts);
  try {
    return await encodePng(rgb);
  } finally {
    rgb.dispose();
  }
}

/** PNG bytes of a signed attribution shown with {@link gradientImage}. */
export async function gradientImagePNG(attribution: tf.Tensor, index = 0): Promise<Uint8Array> {
  await checkFinite('attribution', attribution);
  const rgb = gradientImage(attribution, index);
  try {
    return await encodePng(rgb);
  } finally {
    rgb.dispose();
  }
}

/**
 * PNG bytes of an image (`[H, W, C]`, or a batch with `index`) with values in `valueRange`
 * (default [0, 1]); images with other than 3 channels are drawn gray (their channel mean).
 */
export async function imagePNG(image: tf.Tensor, opts: { index?: number; valueRange?: [number, number] } = {}): Promise<Uint8Array> {
  checkMapRank(image, [3, 4]);
  await checkFinite('image', image);
  const rgb = tf.tidy(() => displayRGB(pick(image, 3, opts.index ?? 0), opts.valueRange ?? [0, 1]));
  try {
    return await encodePng(rgb);
  } finally {
    rgb.dispose();
  }
}

/** A map ready to draw: colour-mapped RGBA bytes, raw float32 values (for hover), its range. */
export interface DrawnMap {
  /** RGBA bytes of `[h, w]`. */
  rgba: Uint8Array;
  /** float32 values (row-major `[h, w]`) as bytes. */
  values: Uint8Array;
  shape: [number, number];
  min: number;
  max: number;
}

/** Colour-map a map `[h, w]` (tensor ops) into {@link DrawnMap}; 'coolwarm' gets a range symmetric around 0. */
export async function drawMap(map: tf.Tensor2D, colormap: ColormapName): Promise<DrawnMap> {
  const raw = Float32Array.from(await map.data());
  let [min, max] = await valuesOf(() => tf.stack([tf.min(map), tf.max(map)]));
  if (colormap === 'coolwarm') [min, max] = [-Math.max(Math.abs(min), Math.abs(max)), Math.max(Math.abs(min), Math.abs(max))];
  const rgb = tf.tidy(() => tf.expandDims<tf.Tensor4D>(colorize(map, { colormap, range: [min, max] }), 0));
  try {
    return { rgba: await rgbaBytes(rgb), values: new Uint8Array(raw.buffer), shape: [map.shape[0], map.shape[1]], min, max };
  } finally {
    rgb.dispose();
  }
}

/** RGBA bytes of one image `[H, W, C]` (values in `valueRange`), for the base of an overlay. */
export async function imageBytes(image: tf.Tensor3D, valueRange: [number, number] = [0, 1]): Promise<Uint8Array> {
  const rgb = tf.tidy(() => tf.expandDims<tf.Tensor4D>(displayRGB(image, valueRange), 0));
  try {
    return await rgbaBytes(rgb);
  } finally {
    rgb.dispose();
  }
}
