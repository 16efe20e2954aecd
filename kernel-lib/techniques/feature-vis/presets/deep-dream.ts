/**
 * DeepDream (Mordvintsev et al. 2015; course technique 11): forward to a layer, set that layer's
 * gradient equal to its activation (maximise the mean square of the features), backward to the
 * image, step. The tricks: jitter (a random roll of a few pixels), the gradient divided by its mean
 * absolute value (L1-normalised), clipping to the valid range, and octaves: dream on a small copy
 * of the image first, upscale, and continue, adding back the detail the smaller scale could not hold.
 */
import { tf } from '../../../tf';
import { checkInteger, checkNumber, describeValue } from '../../../core/checks';
import { layerL2, type Objective } from '../objectives';
import { optimizeImage, modelInputShape, type OptimizeImageOptions, type StepInfo } from '../optimize';
import { pixelParam } from '../param';
import { clipRange } from '../regularizers';
import { jitter } from '../transforms';
import { checkFinite, checkModel } from '../../../models/validate';

/** Options of {@link deepDream}. */
export interface DeepDreamOptions extends Omit<OptimizeImageOptions, 'steps' | 'param' | 'batch' | 'size' | 'fit' | 'stopWhen'> {
  /** The layer to dream at (required unless `objective` is given). */
  layer?: string;
  /** Only these channels of the layer (default all). */
  channels?: number[];
  /** Any objective instead of the layer's mean square (e.g. a channel). */
  objective?: Objective;
  /** Number of scales (default 3). */
  octaves?: number;
  /** Size ratio between octaves (default 1.4). */
  octaveScale?: number;
  /** Steps per octave (default 20). */
  steps?: number;
  /** Jitter in pixels (default 2). */
  jitter?: number;
  /** Called after steps with the octave too. */
  onOctave?: (octave: number, size: [number, number]) => void;
}

/** The result of {@link deepDream}. */
export interface DeepDreamResult {
  /** The dreamed images `[B, H, W, C]`, in the valid range. */
  images: tf.Tensor4D;
  /** The objective per image at the end. */
  scores: number[];
  /** The objective per image at every step of every octave, in order. */
  history: number[][];
  /** The image size of each octave, smallest first. */
  octaveSizes: Array<[number, number]>;
  dispose(): void;
}

/** Image sizes of `octaves` scales ending at `[h, w]`, smallest first (each at least 8 px). */
export function octaveSizes(h: number, w: number, octaves: number, octaveScale: number): Array<[number, number]> {
  return Array.from({ length: octaves }, (_, i) => {
    const f = octaveScale ** (octaves - 1 - i);
    return [Math.max(8, Math.round(h / f)), Math.max(8, Math.round(w / f))] as [number, number];
  });
}

/**
 * Dream on `images` (`[B, H, W, C]` or one `[H, W, C]` at the model's input size, in the valid range),
 * or on `'noise'` (one mid-grey noisy image).
 * @example const d = await lens.deepDream(model, image, { layer: 'conv2', octaves: 3, steps: 20 });
 */
export async function deepDream(model: tf.LayersModel, images: tf.Tensor | 'noise', opts: DeepDreamOptions = {}): Promise<DeepDreamResult> {
  checkModel(model, 'model', 'images');
  await checkFinite('images', images);
  const [mh, mw, c] = modelInputShape(model);
  if (mh === null || mw === null) throw new Error('deepDream needs a model with a fixed input size');
  const octaves = checkInteger('octaves', opts.octaves ?? 3, 1, 10);
  const octaveScale = checkNumber('octaveScale', opts.octaveScale ?? 1.4, 1, 4);
  const steps = checkInteger('steps', opts.steps ?? 20, 0, 100_000);
  const jitterPx = checkInteger('jitter', opts.jitter ?? 2, 0, 64);
  if (!opts.objective && typeof opts.layer !== 'string') throw new Error(`deepDream needs a layer name (opts.layer) or an objective (opts.objective); got layer ${describeValue(opts.layer)}`);
  const range = opts.range ?? [0, 1];
  const base = tf.tidy(() => {
    if (images === 'noise') return tf.add<tf.Tensor4D>(tf.randomUniform([1, mh, mw, c], -0.1, 0.1, 'float32', opts.seed), (range[0] + range[1]) / 2);
    if (!(images instanceof tf.Tensor) || (images.rank !== 3 && images.rank !== 4)) throw new Error(`images must be 'noise' or a tensor [B, ${mh}, ${mw}, ${c}] / [${mh}, ${mw}, ${c}]; got ${describeValue(images)}`);
    const b = (images.rank === 3 ? images.expandDims(0) : images) as tf.Tensor4D;
    if (b.shape[1] !== mh || b.shape[2] !== mw || b.shape[3] !== c) throw new Error(`images must be [B, ${mh}, ${mw}, ${c}] (the model's input size); got ${JSON.stringify(images.shape)}`);
    if (b.shape[0] === 0) throw new Error('images is an empty batch (B = 0)');
    return tf.cast<tf.Tensor4D>(b, 'float32');
  });
  const objective = opts.objective ?? layerL2(opts.layer as string, opts.channels);
  const sizes = octaveSizes(mh, mw, octaves, octaveScale);
  const history: number[][] = [];
  let detail: tf.Tensor4D = tf.zeros([base.shape[0], sizes[0][0], sizes[0][1], c]);
  let current: tf.Tensor4D | undefined;
  let scores: number[] = [];
  try {
    for (let o = 0; o < octaves; o++) {
      const [h, w] = sizes[o];
      opts.onOctave?.(o, [h, w]);
      const octaveBase = tf.tidy(() => (h === mh && w === mw ? base.clone() : (tf.image.resizeBilinear<tf.Tensor4D>(base, [h, w], false, true))));
      const start = tf.tidy(() => tf.add<tf.Tensor4D>(octaveBase, detail.shape[1] === h ? detail : tf.image.resizeBilinear(detail, [h, w], false, true)));
      const param = pixelParam([base.shape[0], h, w, c], { init: start, mean: 0 });
      start.dispose();
      try {
        const onStep = opts.onStep ? (info: StepInfo) => opts.onStep!({ ...info, step: o * steps + info.step, steps: octaves * steps }) : undefined;
        const r = await optimizeImage(model, objective, {
          optimizer: 'sgd',
          lr: 0.02,
          normalizeGradient: 'l1',
          transforms: jitterPx > 0 ? [jitter(jitterPx)] : [],
          regularizers: [clipRange(range)],
          ...opts,
          steps,
          param,
          size: [h, w],
          fit: 'resize',
          onStep,
          seed: opts.seed === undefined ? undefined : opts.seed + o,
        });
        history.push(...r.history);
        scores = r.scores;
        detail.dispose();
        detail = tf.sub<tf.Tensor4D>(r.images, octaveBase);
        current?.dispose();
        current = r.images;
      } finally {
        octaveBase.dispose();
        param.dispose();
      }
    }
    const out = current!;
    current = undefined;
    return { images: out, scores, history, octaveSizes: sizes, dispose: () => out.dispose() };
  } finally {
    current?.dispose();
    detail.dispose();
    base.dispose();
    if (!opts.objective) objective.dispose();
  }
}
