/**
 * Texture synthesis and style transfer (Gatys et al. 2015, 2016; course technique 13): match the
 * Gram matrices of the features at several layers to those of a style image (texture), plus the
 * features of a content image at one layer (style transfer).
 */
import { tf } from '../../../tf';
import { checkNumber, describeValue } from '../../../core/checks';
import { imageBatch, checkFinite } from '../../../models/validate';
import type { Objective } from '../objectives';
import { optimizeImage, type FeatureVisResult, type OptimizeImageOptions } from '../optimize';
import { clipRange } from '../regularizers';
import { featureMatchTo, gramMatchTo } from './targets';

/** Options of {@link synthesizeTexture}. */
export interface TextureOptions extends Omit<OptimizeImageOptions, 'regularizers'> {
  /** Weight of each style layer (default equal, summing to 1). */
  weights?: number[];
}

/** Options of {@link styleTransfer}. */
export interface StyleTransferOptions extends TextureOptions {
  /** The layer whose features carry the content (required). */
  contentLayer: string;
  /** Weight of the content term against the style term (default 1; the style term has weight 1). */
  contentWeight?: number;
  /** Start from the content image (default) or from noise. */
  start?: 'content' | 'noise';
}

/** A texture or style-transfer result: the images and the losses at the end. */
export interface StyleResult extends FeatureVisResult {
  /** Σ_l w_l · ‖G_l(x) − A_l‖²/‖A_l‖² per image at the end. */
  styleLoss: number[];
  /** ‖Φ(x) − Φ_content‖²/‖Φ_content‖² per image at the end (style transfer only). */
  contentLoss?: number[];
}

function checkLayers(layers: unknown): string[] {
  if (!Array.isArray(layers) || layers.length === 0 || layers.some((l) => typeof l !== 'string')) throw new Error(`styleLayers must be a non-empty array of layer names; got ${describeValue(layers)}`);
  return layers as string[];
}

function single(model: tf.LayersModel, image: tf.Tensor, what: string): tf.Tensor4D {
  const b = imageBatch(model, image);
  if (b.shape[0] !== 1) {
    b.dispose();
    throw new Error(`${what} must be one image; got a batch of ${b.shape[0]}`);
  }
  return b;
}

/** The value of `objective` for `images` without transforms (one forward pass), per image. */
async function lossOf(model: tf.LayersModel, objective: Objective, images: tf.Tensor4D): Promise<number[]> {
  const r = await optimizeImage(model, objective, { steps: 0, param: { type: 'pixels', init: images, mean: 0 }, batch: images.shape[0] });
  r.dispose();
  return r.scores.map((v) => -v);
}

/**
 * Texture synthesis: images (`batch`, default 1) whose Gram matrices at `styleLayers` match the
 * style image's, from noise.
 * @example const t = await lens.synthesizeTexture(model, style, ['conv1', 'conv2', 'conv3'], { steps: 300 });
 */
export async function synthesizeTexture(model: tf.LayersModel, style: tf.Tensor, styleLayers: string[], opts: TextureOptions = {}): Promise<StyleResult> {
  await checkFinite('style', style);
  const layers = checkLayers(styleLayers);
  const s = single(model, style, 'style');
  let objective: Objective | undefined;
  try {
    objective = gramMatchTo(model, layers, s, opts.weights);
    const r = await optimizeImage(model, objective, { lr: 0.05, param: { type: 'pixels', init: 'noise', sd: 0.1 }, ...opts, regularizers: [clipRange(opts.range)] });
    return { ...r, styleLoss: r.scores.map((v) => -v) };
  } finally {
    objective?.dispose();
    s.dispose();
  }
}

/**
 * Style transfer: the content image redrawn with the style image's Gram statistics at
 * `styleLayers`, keeping its features at `contentLayer`.
 * @example const st = await lens.styleTransfer(model, content, style, ['conv1', 'conv2'], { contentLayer: 'conv3', contentWeight: 5 });
 */
export async function styleTransfer(model: tf.LayersModel, content: tf.Tensor, style: tf.Tensor, styleLayers: string[], opts: StyleTransferOptions): Promise<StyleResult> {
  await checkFinite('content', content);
  await checkFinite('style', style);
  const layers = checkLayers(styleLayers);
  if (!opts || typeof opts.contentLayer !== 'string') throw new Error(`styleTransfer needs opts.contentLayer (a layer name); got ${describeValue(opts?.contentLayer)}`);
  const contentWeight = checkNumber('contentWeight', opts.contentWeight ?? 1, 0);
  const startMode = opts.start ?? 'content';
  if (startMode !== 'content' && startMode !== 'noise') throw new Error(`start must be 'content' or 'noise'; got ${describeValue(startMode)}`);
  const c = single(model, content, 'content');
  const s = single(model, style, 'style');
  let styleTerm: Objective | undefined;
  let contentTerm: Objective | undefined;
  try {
    styleTerm = gramMatchTo(model, layers, s, opts.weights);
    contentTerm = featureMatchTo(model, opts.contentLayer, c);
    const objective = styleTerm.plus(contentTerm.times(contentWeight));
    const r = await optimizeImage(model, objective, {
      lr: 0.02,
      param: { type: 'pixels', init: startMode === 'content' ? c : 'noise', sd: 0.1 },
      ...opts,
      regularizers: [clipRange(opts.range)],
    });
    try {
      return { ...r, styleLoss: await lossOf(model, styleTerm, r.images), contentLoss: await lossOf(model, contentTerm, r.images) };
    } catch (e) {
      r.dispose();
      throw e;
    }
  } finally {
    styleTerm?.dispose();
    contentTerm?.dispose();
    c.dispose();
    s.dispose();
  }
}
