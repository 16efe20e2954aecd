/**
 * Regularizers as operators applied after every gradient step, x ← r(x + η ∂f/∂x) (Yosinski et al.
 * 2015, "Understanding Neural Networks Through Deep Visualization"): L2 decay, Gaussian blur every
 * few steps, clipping pixels of small norm and of small contribution to zero, plus a total-variation
 * step and clipping to the valid range. They act on the CENTRED images x (image − mean) of any
 * parameterization, with one setting for all images or one per image (several settings at once).
 */
import { tf } from '../../tf';
import { gaussianBlur } from '../blur';
import { describeValue } from '../inputs';
import { oneHotRows } from '../tensor-helpers';
import { perImageValues, rowValues, totalVariation, type PerImage } from './objectives';

/** What a regularizer knows about the step just taken. */
export interface RegularizerContext {
  /** The step just taken (0-based). */
  readonly step: number;
  /** Images per step. */
  readonly batch: number;
  /** Gradient of the objective with respect to the image at this step (before any normalisation), `[B, H, W, C]`. */
  readonly grad: tf.Tensor4D;
  /** Learning rate of each image at this step. */
  readonly lr: readonly number[];
  /** Per-channel mean: the image is x + mean. */
  readonly mean: readonly number[];
  /** The model's valid input range, e.g. [0, 1]. */
  readonly range: readonly [number, number];
}

/** An operator on the centred images `[B, H, W, C]`, applied after each step. */
export interface Regularizer {
  /** What it does, with its settings ("L2 decay θ=0.01"). */
  readonly description: string;
  /** The regularized centred images (a new tensor). */
  apply(x: tf.Tensor4D, ctx: RegularizerContext): tf.Tensor4D;
}

/** A user-defined regularizer operator with the same call shape as the built-in ones. */
export function regularizer(description: string, apply: (x: tf.Tensor4D, ctx: RegularizerContext) => tf.Tensor4D): Regularizer {
  if (typeof apply !== 'function') throw new Error(`regularizer: apply must be a function (x, ctx) => x; got ${describeValue(apply)}`);
  return { description: String(description), apply };
}

function checked(name: string, v: PerImage, min: number, max: number): number[] {
  const list = perImageValues(name, v);
  const bad = list.find((x) => x < min || x > max);
  if (bad !== undefined) throw new Error(`${name} must be in [${min}, ${max}]; got ${bad}`);
  return list;
}

const label = (list: number[]) => (list.length === 1 ? `${list[0]}` : `[${list.join(', ')}]`);

/** `[B, 1, 1, 1]` per-row values. */
function perRow(values: number[], batch: number, name: string): tf.Tensor4D {
  return tf.tensor4d(rowValues(values, batch, name), [batch, 1, 1, 1]);
}

/** L2 decay: x ← (1 − θ) x, pulling every pixel towards the mean (θ in [0, 1]). */
export function l2Decay(theta: PerImage): Regularizer {
  const t = checked('l2Decay theta', theta, 0, 1);
  return {
    description: `L2 decay θ=${label(t)}`,
    apply: (x, ctx) => tf.tidy(() => tf.mul(x, tf.sub(1, perRow(t, ctx.batch, 'l2Decay theta'))) as tf.Tensor4D),
  };
}

/**
 * Gaussian blur of standard deviation `sigma` pixels every `every` steps (reflected borders;
 * sigma 0 does nothing). Removes the high frequencies gradient ascent tends to amplify.
 */
export function blur(sigma: PerImage, every = 1): Regularizer {
  const s = checked('blur sigma', sigma, 0, 64);
  if (!Number.isInteger(every) || every < 1) throw new Error(`blur every must be an integer >= 1 (steps); got ${describeValue(every)}`);
  return {
    description: `blur σ=${label(s)} every ${every}`,
    apply: (x, ctx) => {
      if (ctx.step % every !== 0) return x.clone();
      const sigmas = rowValues(s, ctx.batch, 'blur sigma');
      return tf.tidy(() => {
        if (new Set(sigmas).size === 1) return gaussianBlur(x, sigmas[0]);
        // One blur per distinct sigma, then each row takes its own.
        const blurred = new Map([...new Set(sigmas)].map((sg) => [sg, gaussianBlur(x, sg)]));
        return tf.concat(sigmas.map((sg, i) => blurred.get(sg)!.slice([i, 0, 0, 0], [1, -1, -1, -1])), 0) as tf.Tensor4D;
      });
    },
  };
}

/**
 * The `percentile`-th percentile (numpy's linear interpolation) of each row of `values` `[B, n]`,
 * one percentile per row, as `[B, 1]`.
 */
export function rowPercentiles(values: tf.Tensor2D, percentiles: number[]): tf.Tensor2D {
  return tf.tidy(() => {
    const [b, n] = values.shape;
    const ascending = tf.reverse(tf.topk(values, n, true).values, 1);
    const pos = percentiles.map((p) => (p / 100) * (n - 1));
    const lo = pos.map(Math.floor);
    const hi = pos.map((p) => Math.min(n - 1, Math.ceil(p)));
    const frac = tf.tensor2d(pos.map((p, i) => p - lo[i]), [b, 1]);
    const weights = tf.add(tf.mul(oneHotRows(lo, n), tf.sub(1, frac)), tf.mul(oneHotRows(hi, n), frac));
    return tf.sum(tf.mul(ascending, weights), 1, true) as tf.Tensor2D;
  });
}

/** Zero the pixels whose `score` `[B, H, W]` is below the row's percentile; `x` `[B, H, W, C]`. */
function zeroBelowPercentile(x: tf.Tensor4D, score: tf.Tensor3D, percentiles: number[]): tf.Tensor4D {
  return tf.tidy(() => {
    const [b, h, w] = score.shape;
    const flat = score.reshape([b, h * w]) as tf.Tensor2D;
    const threshold = rowPercentiles(flat, percentiles);
    const keep = tf.cast(tf.greaterEqual(flat, threshold), 'float32').reshape([b, h, w, 1]);
    return tf.mul(x, keep) as tf.Tensor4D;
  });
}

/**
 * Clip pixels of small norm: the pixels whose norm over channels is below the `percentile`-th
 * percentile of the image become 0 (the mean colour).
 */
export function clipNorm(percentile: PerImage): Regularizer {
  const p = checked('clipNorm percentile', percentile, 0, 100);
  return {
    description: `clip norm < p${label(p)}`,
    apply: (x, ctx) => tf.tidy(() => zeroBelowPercentile(x, tf.sqrt(tf.sum(tf.square(x), 3)) as tf.Tensor3D, rowValues(p, ctx.batch, 'clipNorm percentile'))),
  };
}

/**
 * Clip pixels of small contribution: a pixel's contribution is |Σ_c x · ∂f/∂x| (how much the
 * objective would change, to first order, if the pixel were set to the mean); those below the
 * `percentile`-th percentile become 0.
 */
export function clipContribution(percentile: PerImage): Regularizer {
  const p = checked('clipContribution percentile', percentile, 0, 100);
  return {
    description: `clip contribution < p${label(p)}`,
    apply: (x, ctx) =>
      tf.tidy(() => zeroBelowPercentile(x, tf.abs(tf.sum(tf.mul(x, ctx.grad), 3)) as tf.Tensor3D, rowValues(p, ctx.batch, 'clipContribution percentile'))),
  };
}

/**
 * A total-variation step: x ← x − η · weight · ∂TV_β(x)/∂x (η the step's learning rate), which
 * smooths the image the way the TV penalty of Mahendran & Vedaldi does.
 */
export function tvStep(weight: PerImage, beta = 2): Regularizer {
  const wgt = checked('tvStep weight', weight, 0, Number.POSITIVE_INFINITY);
  if (!(typeof beta === 'number' && beta > 0 && beta <= 4)) throw new Error(`tvStep: beta must be a number in (0, 4]; got ${describeValue(beta)}`);
  return {
    description: `TV step ${label(wgt)}${beta === 2 ? '' : ` β=${beta}`}`,
    apply: (x, ctx) =>
      tf.tidy(() => {
        const g = tf.grad((im: tf.Tensor) => tf.sum(totalVariation(im as tf.Tensor4D, beta)))(x);
        const lr = rowValues([...ctx.lr], ctx.batch, 'lr');
        const steps = rowValues(wgt, ctx.batch, 'tvStep weight').map((v, i) => v * lr[i]);
        return tf.sub(x, tf.mul(g, perRow(steps, ctx.batch, 'tvStep weight'))) as tf.Tensor4D;
      }),
  };
}

/** Clip the image (x + mean) to the valid range (default the model's, e.g. [0, 1]). */
export function clipRange(range?: [number, number]): Regularizer {
  if (range !== undefined && !(Array.isArray(range) && range.length === 2 && range.every(Number.isFinite) && range[0] < range[1])) {
    throw new Error(`clipRange: range must be [low, high] with low < high; got ${describeValue(range)}`);
  }
  return {
    description: `clip to [${range ? range.join(', ') : 'valid range'}]`,
    apply: (x, ctx) =>
      tf.tidy(() => {
        const [lo, hi] = range ?? ctx.range;
        const mean = tf.tensor1d([...ctx.mean]);
        return tf.sub(tf.clipByValue(tf.add(x, mean), lo, hi), mean) as tf.Tensor4D;
      }),
  };
}
