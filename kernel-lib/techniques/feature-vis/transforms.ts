/**
 * Random transforms applied to the images before every forward pass (Lucid's `transform`;
 * "transformation robustness"): the image must excite the network even when rolled, scaled or
 * rotated a little, which removes much of the high-frequency noise gradient ascent otherwise
 * produces. Every transform is differentiable tensor work; its randomness (shifts, factors,
 * angles: a few numbers per step) comes from the run's seeded generator.
 */
import { tf } from '../../tf';
import { describeValue } from '../inputs';

/** A random, differentiable transform of images `[B, H, W, C]` (the size may change). */
export interface Transform {
  /** What it does, for logs and the lab ("jitter 4 px"). */
  readonly description: string;
  /** Transform `images`; `random()` gives uniform numbers in [0, 1) from the run's seeded generator. */
  apply(images: tf.Tensor4D, random: () => number): tf.Tensor4D;
}

/** A user-defined transform (e.g. a colour shift) with the same call shape as the built-in ones. */
export function transform(description: string, apply: (images: tf.Tensor4D, random: () => number) => tf.Tensor4D): Transform {
  if (typeof apply !== 'function') throw new Error(`transform: apply must be a function (images, random) => images; got ${describeValue(apply)}`);
  return { description: String(description), apply };
}

/** Circular shift of images `[B, H, W, C]` by `dy` rows and `dx` columns (like numpy's roll). */
export function roll(images: tf.Tensor4D, dy: number, dx: number): tf.Tensor4D {
  return tf.tidy(() => {
    const [, h, w] = images.shape;
    const sy = ((Math.round(dy) % h) + h) % h;
    const sx = ((Math.round(dx) % w) + w) % w;
    let out = images;
    if (sy) out = tf.concat([out.slice([0, h - sy, 0, 0], [-1, sy, -1, -1]), out.slice([0, 0, 0, 0], [-1, h - sy, -1, -1])], 1);
    if (sx) out = tf.concat([out.slice([0, 0, w - sx, 0], [-1, -1, sx, -1]), out.slice([0, 0, 0, 0], [-1, -1, w - sx, -1])], 2);
    return out === images ? images.clone() : out;
  });
}

function checkPixels(where: string, d: unknown, min = 0): number {
  if (typeof d !== 'number' || !Number.isInteger(d) || d < min) throw new Error(`${where} must be an integer >= ${min} (pixels); got ${describeValue(d)}`);
  return d;
}

function checkChoices(where: string, list: unknown, ok: (v: number) => boolean, what: string): number[] {
  const values = typeof list === 'number' ? [list] : list;
  if (!Array.isArray(values) || values.length === 0 || values.some((v) => typeof v !== 'number' || !ok(v))) {
    throw new Error(`${where} must be ${what}, or a non-empty list of them to pick from at random; got ${describeValue(list)}`);
  }
  return values as number[];
}

const pick = <T>(list: readonly T[], random: () => number): T => list[Math.min(list.length - 1, Math.floor(random() * list.length))];

/**
 * Jitter (the course's DeepDream trick): roll the images by a random whole number of pixels in
 * [−d, d] along each axis every step.
 */
export function jitter(d: number): Transform {
  checkPixels('jitter', d);
  return {
    description: `jitter ${d} px`,
    apply: (x, random) => roll(x, Math.floor(random() * (2 * d + 1)) - d, Math.floor(random() * (2 * d + 1)) - d),
  };
}

/** Pad the images by `w` pixels on every side: 'reflect' (default) or a constant `value` in the model's input range. */
export function pad(w: number, opts: { mode?: 'reflect' | 'constant'; value?: number } = {}): Transform {
  checkPixels('pad', w);
  const mode = opts.mode ?? 'reflect';
  if (mode !== 'reflect' && mode !== 'constant') throw new Error(`pad: mode must be 'reflect' or 'constant'; got ${describeValue(mode)}`);
  const value = opts.value ?? 0;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`pad: value must be a finite number; got ${describeValue(value)}`);
  return {
    description: `pad ${w} px (${mode})`,
    apply: (x) => (mode === 'reflect' ? mirrorPad(x, w, w, w, w) : tf.pad(x, [[0, 0], [w, w], [w, w], [0, 0]], value)),
  };
}

/** Reflect-pad (symmetric, edge included) by any amount, repeating the reflection when the image is smaller than the pad. */
function mirrorPad(x: tf.Tensor4D, top: number, bottom: number, left: number, right: number): tf.Tensor4D {
  return tf.tidy(() => {
    let out = x;
    while (top > 0 || bottom > 0 || left > 0 || right > 0) {
      const [, h, w] = out.shape;
      const t = Math.min(top, h), b = Math.min(bottom, h), l = Math.min(left, w), r = Math.min(right, w);
      out = tf.mirrorPad(out, [[0, 0], [t, b], [l, r], [0, 0]], 'symmetric');
      top -= t; bottom -= b; left -= l; right -= r;
    }
    return out === x ? x.clone() : out;
  });
}

/** Scale the images by a factor picked at random from `factors` (bilinear); the size changes. */
export function scale(factors: number | number[]): Transform {
  const list = checkChoices('scale', factors, (v) => Number.isFinite(v) && v > 0 && v <= 8, 'a factor in (0, 8]');
  return {
    description: `scale ${list.length === 1 ? list[0] : `${Math.min(...list)}..${Math.max(...list)}`}`,
    apply: (x, random) => {
      const f = pick(list, random);
      const [, h, w] = x.shape;
      const size: [number, number] = [Math.max(1, Math.round(h * f)), Math.max(1, Math.round(w * f))];
      return size[0] === h && size[1] === w ? x.clone() : (tf.image.resizeBilinear(x, size) as tf.Tensor4D);
    },
  };
}

/**
 * Rotate the images by `degrees` (counter-clockwise) about their centre with bilinear sampling;
 * the size stays, corners take the nearest edge pixel. Differentiable on every backend.
 */
export function rotateImages(images: tf.Tensor4D, degrees: number): tf.Tensor4D {
  if (degrees === 0) return images.clone();
  return tf.tidy(() => {
    const [b, h, w, c] = images.shape;
    const a = (degrees * Math.PI) / 180;
    const cy = (h - 1) / 2;
    const cx = (w - 1) / 2;
    const ys = tf.sub(tf.range(0, h), cy).reshape([h, 1]);
    const xs = tf.sub(tf.range(0, w), cx).reshape([1, w]);
    // The output pixel (y, x) shows the input at the position rotated back by the angle.
    const sx = tf.clipByValue(tf.add(tf.add(tf.mul(xs, Math.cos(a)), tf.mul(ys, -Math.sin(a))), cx), 0, w - 1).reshape([h * w]);
    const sy = tf.clipByValue(tf.add(tf.add(tf.mul(xs, Math.sin(a)), tf.mul(ys, Math.cos(a))), cy), 0, h - 1).reshape([h * w]);
    const x0 = tf.floor(sx);
    const y0 = tf.floor(sy);
    const wx = tf.sub(sx, x0);
    const wy = tf.sub(sy, y0);
    const x1 = tf.minimum(tf.add(x0, 1), w - 1);
    const y1 = tf.minimum(tf.add(y0, 1), h - 1);
    const index = (yy: tf.Tensor, xx: tf.Tensor) => tf.add(tf.mul(yy, w), xx);
    const indices = tf.cast(tf.concat([index(y0, x0), index(y0, x1), index(y1, x0), index(y1, x1)]), 'int32');
    const one = tf.scalar(1);
    const weights = tf.concat([
      tf.mul(tf.sub(one, wy), tf.sub(one, wx)),
      tf.mul(tf.sub(one, wy), wx),
      tf.mul(wy, tf.sub(one, wx)),
      tf.mul(wy, wx),
    ]).reshape([4, h * w, 1]);
    const flat = images.transpose([1, 2, 0, 3]).reshape([h * w, b * c]) as tf.Tensor2D;
    return bilinearSample(flat, indices as tf.Tensor1D, weights as tf.Tensor3D).reshape([h, w, b, c]).transpose([2, 0, 1, 3]) as tf.Tensor4D;
  });
}

/**
 * out[p] = Σ_k weights[k, p] · flat[indices[k·P + p]] for `flat` `[N, D]`, `indices` `[4P]`,
 * `weights` `[4, P, 1]`: a gather whose gradient is a scatter-add (ScatterNd, which every backend
 * has; tf.gather's own gradient needs UnsortedSegmentSum, which tfjs-backend-wasm 4.22 lacks).
 */
function bilinearSample(flat: tf.Tensor2D, indices: tf.Tensor1D, weights: tf.Tensor3D): tf.Tensor2D {
  const [n, d] = flat.shape;
  const k = weights.shape[0];
  const p = weights.shape[1];
  const f = tf.customGrad(((x: tf.Tensor, idx: tf.Tensor, wts: tf.Tensor, save: tf.GradSaveFunc) => {
    save([idx, wts]);
    const value = tf.sum(tf.mul(tf.gather(x, idx as tf.Tensor1D).reshape([k, p, d]), wts), 0);
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [i, wt] = saved;
        const spread = tf.mul(wt, dy.expandDims(0)).reshape([k * p, d]);
        return [tf.scatterND(i.reshape([k * p, 1]), spread, [n, d]), tf.zerosLike(i), tf.zerosLike(wt)];
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return (f as unknown as (...a: tf.Tensor[]) => tf.Tensor)(flat, indices, weights) as tf.Tensor2D;
}

/** Rotate the images by an angle (degrees) picked at random from `angles`. */
export function rotate(angles: number | number[]): Transform {
  const list = checkChoices('rotate', angles, (v) => Number.isFinite(v) && Math.abs(v) <= 360, 'an angle in degrees in [-360, 360]');
  return {
    description: `rotate ${list.length === 1 ? `${list[0]}°` : `${Math.min(...list)}..${Math.max(...list)}°`}`,
    apply: (x, random) => rotateImages(x, pick(list, random)),
  };
}

/** How transformed images are brought back to the model's input size. */
export type FitMode = 'crop' | 'resize';

/**
 * Bring images `[B, h, w, C]` to `height` x `width`: 'crop' cuts the centre out of a larger image and
 * reflect-pads a smaller one; 'resize' rescales bilinearly.
 */
export function fitImages(x: tf.Tensor4D, height: number, width: number, mode: FitMode = 'crop'): tf.Tensor4D {
  const [, h, w] = x.shape;
  if (h === height && w === width) return x.clone();
  if (mode === 'resize') return tf.image.resizeBilinear(x, [height, width]) as tf.Tensor4D;
  if (mode !== 'crop') throw new Error(`fit must be 'crop' or 'resize'; got ${describeValue(mode)}`);
  return tf.tidy(() => {
    const grow = (have: number, want: number) => (want > have ? [Math.floor((want - have) / 2), Math.ceil((want - have) / 2)] : [0, 0]);
    const [top, bottom] = grow(h, height);
    const [left, right] = grow(w, width);
    const padded = mirrorPad(x, top, bottom, left, right);
    const [, ph, pw] = padded.shape;
    return padded.slice([0, Math.floor((ph - height) / 2), Math.floor((pw - width) / 2), 0], [-1, height, width, -1]) as tf.Tensor4D;
  });
}

/**
 * Lucid's standard robustness transforms, scaled to the image size `size` (Lucid's values are for
 * 224 px): pad, jitter, scale by 0.9..1.1, rotate by −10..10°, jitter again.
 */
export function standardTransforms(size = 224): Transform[] {
  const px = (v: number) => Math.max(1, Math.round((v * size) / 224));
  return [
    pad(px(12), { mode: 'constant', value: 0.5 }),
    jitter(px(8)),
    scale(Array.from({ length: 11 }, (_, i) => 1 + (i - 5) / 50)),
    rotate([...Array.from({ length: 21 }, (_, i) => i - 10), 0, 0, 0, 0, 0]),
    jitter(px(4)),
  ];
}
