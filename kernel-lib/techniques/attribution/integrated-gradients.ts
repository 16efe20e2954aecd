/**
 * Integrated Gradients (Sundararajan, Taly & Yan 2017): (x - baseline) times the gradient of the
 * score averaged along the straight path from the baseline to the image. The attributions of an
 * image sum to score(x) - score(baseline) (completeness), up to the midpoint-rule error.
 */
import { tf } from '../../tf';
import { checkInteger, checkNumber, describeValue } from '../../core/checks';
import { forEachChunk, type RunControl } from '../../core/run-control';
import { oneHotRows } from '../../core/tensors';
import { chunkSize } from '../../models/batch-size';
import {
  type AttributionOptions,
  batchBySegments,
  type ChannelReduction,
  checkReduction,
  type PixelAttribution,
  prepare,
  reduceChannels,
  rowImages,
  scoreGradient,
  sliceRows,
  withDispose,
} from '../common/attribution';
import type { ResolvedTarget } from '../common/target';
import { checkFinite } from '../../models/validate';

/** Options of {@link integratedGradients}. */
export interface IntegratedGradientsOptions extends AttributionOptions {
  /** The reference image: a number (every pixel) or a tensor broadcastable to the images (default 0, black). */
  baseline?: number | tf.Tensor;
  /** Points on the path from baseline to image (midpoint rule; default 32). */
  steps?: number;
  /** How channels become one value per pixel in `map` (default 'maxAbs'). */
  reduce?: ChannelReduction;
}

/** Sum rows of `values` `[B, ...]` into `[N, ...]` by image index (a matrix product; runs on every backend). */
function sumByImage(values: tf.Tensor4D, rows: number[], n: number): tf.Tensor4D {
  return tf.tidy(() => {
    const [b, h, w, c] = values.shape;
    const assign = oneHotRows(rows, n).transpose(); // [N, B]
    return tf.matMul(assign, values.reshape([b, h * w * c])).reshape<tf.Tensor4D>([n, h, w, c]);
  });
}

/** Accumulate `f(rows, start)`'s per-image sums over chunks of `n · perImage` rows. */
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
      const next = tf.tidy(() => tf.add<tf.Tensor4D>(acc, sumByImage(f(rows, start), rows, n)));
      acc.dispose();
      acc = next;
    });
  } catch (e) {
    acc.dispose();
    throw e;
  }
  return acc;
}

function baselineTensor(images: tf.Tensor4D, baseline: number | tf.Tensor | undefined): tf.Tensor4D {
  return tf.tidy(() => {
    if (baseline === undefined || typeof baseline === 'number') {
      return tf.fill<tf.Rank.R4>(images.shape, checkNumber('baseline', baseline ?? 0, -Infinity));
    }
    if (!(baseline instanceof tf.Tensor)) {
      throw new Error(`baseline must be a number or a tensor broadcastable to ${JSON.stringify(images.shape)}; got ${describeValue(baseline)}`);
    }
    try {
      return tf.add<tf.Tensor4D>(tf.zerosLike(images), baseline);
    } catch {
      throw new Error(`baseline of shape ${JSON.stringify(baseline.shape)} does not broadcast to the images ${JSON.stringify(images.shape)}`);
    }
  });
}

async function pathIntegral(model: tf.LayersModel, images: tf.Tensor4D, target: ResolvedTarget, steps: number, baseline: number | tf.Tensor | undefined, control: RunControl): Promise<tf.Tensor4D> {
  const base = baselineTensor(images, baseline);
  const delta = tf.sub<tf.Tensor4D>(images, base);
  try {
    const sum = await accumulate(images, steps, chunkSize(model, control, 3), control, (rows, start) =>
      tf.tidy(() => {
        const alphas = rows.map((_, i) => (((start + i) % steps) + 0.5) / steps);
        const a = tf.tensor1d(alphas).reshape<tf.Tensor4D>([-1, 1, 1, 1]);
        const point = batchBySegments(rows, (image, from, to) =>
          tf.add<tf.Tensor4D>(sliceRows(base, image, image + 1), tf.mul(sliceRows(a, from, to), sliceRows(delta, image, image + 1))),
        );
        return scoreGradient(model, point, target, rows);
      }),
    );
    const out = tf.tidy(() => tf.mul<tf.Tensor4D>(delta, tf.div(sum, steps)));
    sum.dispose();
    return out;
  } finally {
    tf.dispose([base, delta]);
  }
}

/**
 * Integrated Gradients of each image for its target: `attribution` `[N, H, W, C]` is
 * (x - baseline) · the mean gradient at `steps` points of the path (its sum over pixels
 * approximates score(x) - score(baseline)); `map` its max |value| over channels.
 *
 * @example
 * const ig = await lens.integratedGradients(model, images, { steps: 64, baseline: 0, target: 'Sneaker' });
 */
export async function integratedGradients(model: tf.LayersModel, images: tf.Tensor, opts: IntegratedGradientsOptions = {}): Promise<PixelAttribution> {
  await checkFinite('baseline', opts.baseline);
  checkReduction(opts.reduce);
  const steps = checkInteger('steps', opts.steps ?? 32, 1);
  const { images: x, target } = await prepare(model, images, opts);
  try {
    const attribution = await pathIntegral(model, x, target, steps, opts.baseline, opts);
    return withDispose({ map: reduceChannels(attribution, opts.reduce), attribution, classes: target.classes });
  } finally {
    x.dispose();
  }
}
