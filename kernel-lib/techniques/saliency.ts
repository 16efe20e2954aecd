/**
 * Saliency maps (Simonyan, Vedaldi & Zisserman 2014): the gradient of the class score before
 * softmax with respect to the image, shown as max |gradient| over colour channels. Options turn
 * it into SmoothGrad (Smilkov et al. 2017: average over noisy copies) or Integrated Gradients
 * (Sundararajan et al. 2017: (x - baseline) times the gradient averaged along the straight path).
 */
import { tf } from '../tf';
import {
  AttributionOptions,
  ChannelReduction,
  batchBySegments,
  checkReduction,
  PixelAttribution,
  prepare,
  reduceChannels,
  rowImages,
  scoreGradient,
  sliceRows,
  withDispose,
} from './attribution';
import { checkInteger, checkNumber, describeValue } from '../core/checks';
import { oneHotRows } from '../core/tensors';
import { ResolvedTarget } from './target';
import { forEachChunk, type RunControl } from '../core/run-control';
import { chunkSize } from '../models/batch-size';

/** SmoothGrad settings. */
export interface SmoothGradOptions {
  /** Noisy copies per image (default 25). */
  samples?: number;
  /** Noise standard deviation as a fraction of each image's value range max - min (default 0.15). */
  noise?: number;
  /** Seed of the noise, for reproducible maps. */
  seed?: number;
}

/** Integrated Gradients settings. */
export interface IntegratedGradientsOptions {
  /** The reference image: a number (every pixel) or a tensor broadcastable to the images (default 0, black). */
  baseline?: number | tf.Tensor;
  /** Points on the path from baseline to image (midpoint rule; default 32). */
  steps?: number;
}

/** Options of {@link saliency}. */
export interface SaliencyOptions extends AttributionOptions {
  /** Average the gradient over noisy copies (SmoothGrad). */
  smoothGrad?: SmoothGradOptions | boolean;
  /** Integrated Gradients instead of the plain gradient. */
  integratedGradients?: IntegratedGradientsOptions | boolean;
  /** How channels become one value per pixel (default 'maxAbs'). */
  reduce?: ChannelReduction;
}

/** Sum rows of `values` `[B, ...]` into `[N, ...]` by image index (a matrix product; runs on every backend). */
function sumByImage(values: tf.Tensor4D, rows: number[], n: number): tf.Tensor4D {
  return tf.tidy(() => {
    const [b, h, w, c] = values.shape;
    const assign = oneHotRows(rows, n).transpose(); // [N, B]
    return tf.matMul(assign, values.reshape([b, h * w * c])).reshape([n, h, w, c]) as tf.Tensor4D;
  });
}

/** Accumulate `f(start, end)`'s per-image sums over chunks of `total` rows (`perImage` rows per image). */
async function accumulate(
  images: tf.Tensor4D,
  perImage: number,
  size: number,
  control: RunControl,
  f: (rows: number[], start: number) => tf.Tensor4D,
): Promise<tf.Tensor4D> {
  const n = images.shape[0];
  let acc = tf.zerosLike(images);
  try {
    await forEachChunk(n * perImage, size, control, (start, end) => {
      const rows = rowImages(start, end, perImage);
      const next = tf.tidy(() => tf.add(acc, sumByImage(f(rows, start), rows, n)) as tf.Tensor4D);
      acc.dispose();
      acc = next;
    });
  } catch (e) {
    acc.dispose();
    throw e;
  }
  return acc;
}

function plainGradient(model: tf.LayersModel, images: tf.Tensor4D, target: ResolvedTarget, control: RunControl): Promise<tf.Tensor4D> {
  return accumulate(images, 1, chunkSize(model, control, 3), control, (rows) =>
    scoreGradient(model, sliceRows(images, rows[0], rows[rows.length - 1] + 1), target, rows),
  );
}

async function smoothGradient(
  model: tf.LayersModel,
  images: tf.Tensor4D,
  target: ResolvedTarget,
  o: SmoothGradOptions,
  control: RunControl,
): Promise<tf.Tensor4D> {
  const samples = checkInteger('smoothGrad.samples', o.samples ?? 25, 1);
  const noise = checkNumber('smoothGrad.noise', o.noise ?? 0.15, 0);
  const sigma = tf.tidy(() => {
    const r = tf.sub(tf.max(images, [1, 2, 3]), tf.min(images, [1, 2, 3]));
    return tf.mul(tf.where(tf.greater(r, 0), r, tf.onesLike(r)), noise).reshape([-1, 1, 1, 1]);
  });
  try {
    const sum = await accumulate(images, samples, chunkSize(model, control, 3), control, (rows, start) =>
      tf.tidy(() => {
        const seed = o.seed === undefined ? undefined : o.seed + start;
        const [, h, w, c] = images.shape;
        const eps = tf.randomNormal([rows.length, h, w, c], 0, 1, 'float32', seed);
        const noisy = batchBySegments(rows, (image, from, to) =>
          tf.add(sliceRows(images, image, image + 1), tf.mul(sliceRows(eps as tf.Tensor4D, from, to), sliceRows(sigma as tf.Tensor4D, image, image + 1))) as tf.Tensor4D,
        );
        return scoreGradient(model, noisy, target, rows);
      }),
    );
    const mean = tf.tidy(() => tf.div(sum, samples) as tf.Tensor4D);
    sum.dispose();
    return mean;
  } finally {
    sigma.dispose();
  }
}

function baselineTensor(images: tf.Tensor4D, baseline: number | tf.Tensor | undefined): tf.Tensor4D {
  return tf.tidy(() => {
    if (baseline === undefined || typeof baseline === 'number') {
      return tf.fill(images.shape, checkNumber('integratedGradients.baseline', baseline ?? 0, -Infinity)) as tf.Tensor4D;
    }
    if (!(baseline instanceof tf.Tensor)) {
      throw new Error(`integratedGradients.baseline must be a number or a tensor broadcastable to ${JSON.stringify(images.shape)}; got ${describeValue(baseline)}`);
    }
    try {
      return tf.add(tf.zerosLike(images), baseline) as tf.Tensor4D;
    } catch {
      throw new Error(`integratedGradients.baseline of shape ${JSON.stringify(baseline.shape)} does not broadcast to the images ${JSON.stringify(images.shape)}`);
    }
  });
}

async function integratedGradients(
  model: tf.LayersModel,
  images: tf.Tensor4D,
  target: ResolvedTarget,
  o: IntegratedGradientsOptions,
  control: RunControl,
): Promise<tf.Tensor4D> {
  const steps = checkInteger('integratedGradients.steps', o.steps ?? 32, 1);
  const base = baselineTensor(images, o.baseline);
  try {
    const delta = tf.sub(images, base) as tf.Tensor4D;
    try {
      const sum = await accumulate(images, steps, chunkSize(model, control, 3), control, (rows, start) =>
        tf.tidy(() => {
          const alphas = rows.map((_, i) => ((start + i) % steps + 0.5) / steps);
          const a = tf.tensor1d(alphas).reshape([-1, 1, 1, 1]) as tf.Tensor4D;
          const point = batchBySegments(rows, (image, from, to) =>
            tf.add(sliceRows(base, image, image + 1), tf.mul(sliceRows(a, from, to), sliceRows(delta, image, image + 1))) as tf.Tensor4D,
          );
          return scoreGradient(model, point, target, rows);
        }),
      );
      const out = tf.tidy(() => tf.mul(delta, tf.div(sum, steps)) as tf.Tensor4D);
      sum.dispose();
      return out;
    } finally {
      delta.dispose();
    }
  } finally {
    base.dispose();
  }
}

function optionObject<T>(o: T | boolean | undefined): T | undefined {
  if (o === undefined || o === false) return undefined;
  return o === true ? ({} as T) : o;
}

/**
 * Saliency map of each image for its target: |d score / d pixel| (max over channels), with the
 * score taken before softmax. `attribution` holds the signed per-channel gradient (SmoothGrad: its
 * mean over noisy copies; Integrated Gradients: (x - baseline) · mean path gradient, whose sum over
 * pixels approximates score(x) - score(baseline)).
 *
 * @example
 * const s = await lens.saliency(model, image, { target: 'predicted', smoothGrad: { samples: 20 } });
 */
export async function saliency(model: tf.LayersModel, images: tf.Tensor, opts: SaliencyOptions = {}): Promise<PixelAttribution> {
  const smooth = optionObject(opts.smoothGrad);
  const integrated = optionObject(opts.integratedGradients);
  if (smooth && integrated) throw new Error('Pick one of smoothGrad and integratedGradients, not both');
  checkReduction(opts.reduce);
  const { images: x, target } = prepare(model, images, opts);
  try {
    const attribution = integrated
      ? await integratedGradients(model, x, target, integrated, opts)
      : smooth
        ? await smoothGradient(model, x, target, smooth, opts)
        : await plainGradient(model, x, target, opts);
    return withDispose({ map: reduceChannels(attribution, opts.reduce), attribution, classes: target.classes });
  } finally {
    x.dispose();
  }
}

