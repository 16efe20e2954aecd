/**
 * Image parameterizations: what the optimizer changes to change the image. Pixels (the course's
 * x* = argmax S_c(x) − λ‖x‖², the image itself) or a scaled Fourier spectrum in decorrelated colour
 * (see fourier.ts). Every parameterization describes CENTRED images x (the image is x + mean, so
 * the zero parameter is Simonyan's "zero image with the dataset mean added back") and can be set
 * from an image, so the regularizer operators of Yosinski et al. act on pixels whatever is optimized.
 */
import { tf } from '../../tf';
import { checkNumber, describeValue } from '../inputs';

/** A parameterization of a batch of images `[B, H, W, C]`. */
export interface ImageParam {
  /** What it is, e.g. "pixels" or "fourier (decorrelated colour, decay 1)". */
  readonly description: string;
  /** Shape of the images, `[B, H, W, C]`. */
  readonly shape: [number, number, number, number];
  /** Per-channel mean added to the centred images (length C). */
  readonly mean: number[];
  /** The tensors the optimizer updates; each has the image index as its first dimension. */
  readonly variables: tf.Variable[];
  /** The centred images x (image = x + mean), differentiable with respect to {@link variables}. */
  render(): tf.Tensor4D;
  /** Gradients for each of {@link variables} given the gradient `g` with respect to the centred images (the chain rule through {@link render}). */
  pullback(g: tf.Tensor4D): tf.Tensor[];
  /** Set the variables so that {@link render} returns `x` (centred images `[B, H, W, C]`). */
  set(x: tf.Tensor4D): void;
  /** Free the variables. */
  dispose(): void;
}

/** How a parameterization starts. */
export type ParamInit = 'zeros' | 'noise' | tf.Tensor;

/** Options of {@link pixelParam} (and of the Fourier parameterization). */
export interface ParamOptions {
  /** Per-channel (or one) mean added to the centred image. Default 0.5 (mid-grey for [0, 1] images). */
  mean?: number | number[];
  /** Start: 'zeros' (the mean image), 'noise' (Gaussian, `sd`), or images `[B | 1, H, W, C]` in the model's input range. Default 'noise'. */
  init?: ParamInit;
  /** Standard deviation of the 'noise' start (default 0.01 for Fourier spectra, 0.1 for pixels). */
  sd?: number;
  /** Seed of the noise start. */
  seed?: number;
}

/** Per-channel mean of `channels` entries from a number or a list. */
export function channelMean(mean: number | number[] | undefined, channels: number, fallback = 0.5): number[] {
  const m = mean ?? fallback;
  const list = typeof m === 'number' ? new Array(channels).fill(m) : Array.isArray(m) ? [...m] : undefined;
  if (!list || list.length !== channels || list.some((v) => typeof v !== 'number' || !Number.isFinite(v))) {
    throw new Error(`mean must be a number or ${channels} numbers (one per channel); got ${describeValue(mean)}`);
  }
  return list;
}

/** @throws unless `shape` is `[B, H, W, C]` of positive integers. */
export function checkImageShape(shape: unknown): [number, number, number, number] {
  if (!Array.isArray(shape) || shape.length !== 4 || shape.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new Error(`image shape must be [B, H, W, C] of positive integers; got ${describeValue(shape)}`);
  }
  return shape as [number, number, number, number];
}

/**
 * The centred start images `[B, H, W, C]` for `init` (a new tensor): zeros, seeded Gaussian noise
 * of `sd`, or the given images (one repeated, or one per row) minus the mean.
 */
export function initialImages(shape: [number, number, number, number], mean: number[], init: ParamInit, sd: number, seed?: number): tf.Tensor4D {
  return tf.tidy(() => {
    if (init === 'zeros') return tf.zeros(shape) as tf.Tensor4D;
    if (init === 'noise') return tf.randomNormal(shape, 0, sd, 'float32', seed) as tf.Tensor4D;
    if (!(init instanceof tf.Tensor)) throw new Error(`init must be 'zeros', 'noise' or images [B | 1, H, W, C]; got ${describeValue(init)}`);
    const images = init.rank === 3 ? init.expandDims(0) : init;
    const [b, h, w, c] = shape;
    if (images.rank !== 4 || images.shape[1] !== h || images.shape[2] !== w || images.shape[3] !== c || (images.shape[0] !== 1 && images.shape[0] !== b)) {
      throw new Error(`init images must have shape [${b} | 1, ${h}, ${w}, ${c}]; got ${JSON.stringify(init.shape)}`);
    }
    const centred = tf.sub(tf.cast(images, 'float32'), tf.tensor1d(mean));
    return (images.shape[0] === b ? centred : tf.tile(centred, [b, 1, 1, 1])) as tf.Tensor4D;
  });
}

/**
 * The pixel parameterization: the centred images themselves.
 * @example const p = lens.pixelParam([1, 64, 64, 3], { init: 'zeros', mean: [0.5, 0.45, 0.4] });
 */
export function pixelParam(shape: [number, number, number, number], opts: ParamOptions = {}): ImageParam {
  checkImageShape(shape);
  const mean = channelMean(opts.mean, shape[3]);
  const sd = checkNumber('sd', opts.sd ?? 0.1, 0);
  const start = initialImages(shape, mean, opts.init ?? 'noise', sd, opts.seed);
  const x = tf.variable(start, true);
  start.dispose();
  return {
    description: 'pixels',
    shape: [...shape] as [number, number, number, number],
    mean,
    variables: [x],
    render: () => x.clone() as tf.Tensor4D,
    pullback: (g) => [g.clone()],
    set: (images) => x.assign(images),
    dispose: () => x.dispose(),
  };
}
