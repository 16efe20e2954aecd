/**
 * Feature inversion (Mahendran & Vedaldi 2015; course technique 12): from noise, find the image x
 * whose layer output matches the original's, minimising ‖Φ(x) − Φ₀‖²/‖Φ₀‖² + λ·TV(x). Earlier
 * layers give more faithful reconstructions. Several layers run at once, one image per layer.
 */
import { tf } from '../../../tf';
import { checkNumber, describeValue } from '../../../core/checks';
import { imageBatch, checkFinite } from '../../../models/validate';
import { featureMatch, sumOf, tvPenalty, type Objective } from '../objectives';
import { optimizeImage, type OptimizeImageOptions } from '../optimize';
import { clipRange } from '../regularizers';
import { imageActivations } from './targets';

/** Options of {@link invertFeatures}. */
export interface InvertFeaturesOptions extends Omit<OptimizeImageOptions, 'batch' | 'regularizers'> {
  /** Weight λ of the total-variation penalty (default 0.05 / pixels, i.e. `tv` times the mean TV). */
  tv?: number;
  /** Exponent β of the TV penalty (default 2). */
  beta?: number;
}

/** The result of {@link invertFeatures}. */
export interface InversionResult {
  /** One reconstruction per layer, `[layers, H, W, C]`. */
  images: tf.Tensor4D;
  layers: string[];
  /** ‖Φ(x) − Φ₀‖²/‖Φ₀‖² per layer at the end. */
  featureError: number[];
  /** Root mean square difference of each reconstruction from the original image. */
  pixelError: number[];
  /** The objective (−feature error − λ·TV/pixels) per layer at every step. */
  history: number[][];
  dispose(): void;
}

/**
 * Reconstruct `image` (`[H, W, C]` or `[1, H, W, C]`) from what each of `layers` outputs for it,
 * starting from noise.
 * @example const inv = await lens.invertFeatures(model, image, ['conv1', 'conv2', 'conv3'], { steps: 300 });
 */
export async function invertFeatures(model: tf.LayersModel, image: tf.Tensor, layers: string | string[], opts: InvertFeaturesOptions = {}): Promise<InversionResult> {
  await checkFinite('image', image);
  const list = typeof layers === 'string' ? [layers] : layers;
  if (!Array.isArray(list) || list.length === 0 || list.some((l) => typeof l !== 'string')) throw new Error(`layers must be a layer name or a non-empty array of them; got ${describeValue(layers)}`);
  const tv = checkNumber('tv', opts.tv ?? 0.05, 0);
  const beta = checkNumber('beta', opts.beta ?? 2, 0.5, 4);
  const original = imageBatch(model, image);
  if (original.shape[0] !== 1) {
    original.dispose();
    throw new Error(`invertFeatures takes one image; got a batch of ${original.shape[0]}`);
  }
  let objective: Objective | undefined;
  let targets: Record<string, tf.Tensor> = {};
  try {
    targets = imageActivations(model, original, list);
    const [, h, w] = original.shape;
    // Row i matches layer i: a one-hot weight per row selects its term.
    const terms = list.map((l, i) => featureMatch(l, targets[l]).times(list.map((_, j) => (i === j ? 1 : 0))));
    objective = tv > 0 ? sumOf([...terms, tvPenalty(beta).times(tv / (h * w))]) : sumOf(terms);
    const r = await optimizeImage(model, objective, {
      lr: 0.05,
      param: { type: 'pixels', init: 'noise', sd: 0.1 },
      ...opts,
      batch: list.length,
      regularizers: [clipRange(opts.range)],
    });
    let values: number[];
    try {
      const errors = tf.tidy(() => {
        const now = imageActivations(model, r.images, list);
        const feature = list.map((l, i) => tf.div(tf.sum(tf.square(tf.sub(now[l].slice([i], [1]), targets[l]))), tf.sum(tf.square(targets[l]))));
        const pixel = tf.sqrt(tf.mean(tf.square(tf.sub(r.images, original)), [1, 2, 3]));
        return tf.concat([tf.stack(feature), pixel]);
      });
      values = Array.from(await errors.data());
      errors.dispose();
    } catch (e) {
      r.dispose();
      throw e;
    }
    return {
      images: r.images,
      layers: [...list],
      featureError: values.slice(0, list.length),
      pixelError: values.slice(list.length),
      history: r.history,
      dispose: () => r.dispose(),
    };
  } finally {
    objective?.dispose();
    tf.dispose(Object.values(targets));
    original.dispose();
  }
}
