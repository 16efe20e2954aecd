/**
 * `smooth(method)`: SmoothGrad (Smilkov et al. 2017) for any gradient method, as Captum's
 * NoiseTunnel: the method runs on noisy copies of each image and its results are averaged.
 * `smooth(saliency)` is SmoothGrad; `smooth(guidedBackprop)`, `smooth(integratedGradients)` and
 * `smooth(gradCam)` smooth those methods the same way.
 */
import { tf } from '../../tf';
import { checkInteger, checkNumber, isTensor } from '../../core/checks';
import type { RunProgress } from '../../core/run-control';
import { memoryBudgetBytes } from '../../models/batch-size';
import { type Attribution, type AttributionOptions, type ChannelReduction, checkReduction, prepare, reduceChannels, withDispose } from '../common/attribution';

/** Settings of {@link smooth}. */
export interface SmoothOptions {
  /** Noisy copies per image (default 25). */
  samples?: number;
  /** Noise standard deviation as a fraction of each image's value range max - min (default 0.15). */
  noise?: number;
  /** Seed of the noise, for reproducible maps. */
  seed?: number;
}

/** A method with convlens's one call shape. */
export type AttributionFn<O extends AttributionOptions, R extends Attribution> = (model: tf.LayersModel, images: tf.Tensor, opts?: O) => Promise<R>;

/** Result fields that hold one value per image (averaged or picked per image, not copied). */
const PER_IMAGE_ARRAYS = new Set(['channels', 'baseline']);

/**
 * Wrap a gradient method (`saliency`, `integratedGradients`, `guidedBackprop`, `deconvnet`,
 * `gradCam`, `gradCamPlusPlus`, `guidedGradCam`, ...) so that it averages its results over
 * `samples` noisy copies of each image (Gaussian noise of σ = `noise` · (max - min) of the image).
 * The target is resolved once on the clean images, so 'predicted' explains the clean prediction.
 * Every tensor of the result is the mean over the copies; a pixel attribution's `map` is taken
 * from the mean `attribution` (SmoothGrad as Smilkov et al. define it). Progress, Stop and
 * `batchSize` work as for the method itself.
 *
 * @example
 * const smoothGrad = lens.smooth(lens.saliency, { samples: 25, noise: 0.15 });
 * const s = await smoothGrad(model, image, { target: 'Sneaker' });
 * const g = await lens.smooth(lens.gradCam)(model, image, { layer: 'conv2' });
 */
export function smooth<O extends AttributionOptions & { reduce?: ChannelReduction }, R extends Attribution>(
  method: AttributionFn<O, R>,
  smoothing: SmoothOptions = {},
): AttributionFn<O, R> {
  if (typeof method !== 'function') throw new Error(`smooth needs a method such as lens.saliency; got ${typeof method}`);
  const samples = checkInteger('samples', smoothing.samples ?? 25, 1);
  const noise = checkNumber('noise', smoothing.noise ?? 0.15, 0);
  const seed = smoothing.seed === undefined ? undefined : checkInteger('seed', smoothing.seed, 0);
  const smoothed = async (model: tf.LayersModel, images: tf.Tensor, opts: O = {} as O): Promise<R> => {
    checkReduction(opts.reduce);
    const { images: x, target } = await prepare(model, images, opts);
    const [n, h, w, c] = x.shape;
    const perGroup = Math.max(1, Math.floor(memoryBudgetBytes() / 2 / (samples * h * w * c * 4)));
    const sigma = tf.tidy(() => {
      const range = tf.sub(tf.max(x, [1, 2, 3]), tf.min(x, [1, 2, 3]));
      return tf.mul(tf.where(tf.greater(range, 0), range, tf.onesLike(range)), noise).reshape([-1, 1, 1, 1, 1]);
    });
    const groups: Array<Record<string, unknown>> = [];
    try {
      for (let g = 0; g < n; g += perGroup) {
        const m = Math.min(perGroup, n - g);
        const noisy = tf.tidy(() => {
          const eps = tf.randomNormal([m, samples, h, w, c], 0, 1, 'float32', seed === undefined ? undefined : seed + g);
          const copies = tf.add(tf.expandDims(tf.slice(x, g, m), 1), tf.mul(eps, tf.slice(sigma, g, m)));
          return tf.reshape<tf.Rank.R4>(copies, [m * samples, h, w, c]);
        });
        const rowTarget = target.classes ? target.classes.slice(g, g + m).flatMap((k) => new Array<number>(samples).fill(k)) : target.custom;
        const onProgress = opts.onProgress && ((p: RunProgress) => {
          const done = g * samples + p.done;
          opts.onProgress!({ done, total: n * samples, fraction: done / (n * samples) });
        });
        let result: R;
        try {
          result = await method(model, noisy, { ...opts, target: rowTarget, onProgress });
        } finally {
          noisy.dispose();
        }
        try {
          groups.push(averageCopies(result, m, samples));
        } finally {
          result.dispose();
        }
      }
      const fields = combineGroups(groups);
      groups.length = 0;
      fields.classes = target.classes;
      if (fields.attribution instanceof tf.Tensor) {
        (fields.map as tf.Tensor).dispose();
        fields.map = reduceChannels(fields.attribution as tf.Tensor4D, opts.reduce);
      }
      // The method's own result type, rebuilt field by field (TypeScript cannot follow that).
      return withDispose(fields) as unknown as R;
    } finally {
      tf.dispose([x, sigma]);
      for (const group of groups) tf.dispose(Object.values(group).filter((v): v is tf.Tensor => v instanceof tf.Tensor));
    }
  };
  return smoothed;
}

/** One group's result with `samples` rows per image reduced to one row per image. */
function averageCopies(result: Attribution, images: number, samples: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(result)) {
    if (key === 'dispose' || key === 'classes') continue;
    if (isTensor(value)) {
      if (value.shape[0] !== images * samples) {
        tf.dispose(Object.values(out).filter((v): v is tf.Tensor => v instanceof tf.Tensor));
        throw new Error(`smooth: the method's result field "${key}" has shape ${JSON.stringify(value.shape)}, not one row per image copy (${images * samples}); smooth wraps methods that return one map per image`);
      }
      out[key] = tf.tidy(() => tf.mean(tf.reshape(value, [images, samples, ...value.shape.slice(1)]), 1));
    } else if (Array.isArray(value) && PER_IMAGE_ARRAYS.has(key)) {
      out[key] = value.filter((_, i) => i % samples === 0);
    } else {
      out[key] = value;
    }
  }
  return out;
}

/** Concatenate the groups' per-image fields along the batch. */
function combineGroups(groups: Array<Record<string, unknown>>): Record<string, unknown> {
  if (groups.length === 1) return groups[0];
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(groups[0])) {
    const values = groups.map((g) => g[key]);
    if (values[0] instanceof tf.Tensor) {
      out[key] = tf.concat(values as tf.Tensor[], 0);
      tf.dispose(values as tf.Tensor[]);
    } else if (Array.isArray(values[0]) && PER_IMAGE_ARRAYS.has(key)) {
      out[key] = (values as unknown[][]).flat();
    } else {
      out[key] = values[0];
    }
  }
  return out;
}
