/**
 * Weakly supervised segmentation from a saliency map (Simonyan, Vedaldi & Zisserman 2014, §3.1):
 * the most salient pixels seed the foreground, the least salient the background, and GrabCut
 * (`grabcut.ts`) spreads the labels along the image's colours. The class model that never saw a
 * mask outlines the object it recognised.
 */
import { tf } from '../../tf';
import { checkNumber } from '../../core/checks';
import { type RunProgress } from '../../core/run-control';
import { gaussianBlur } from '../../data/blur';
import { checkFinite, checkModel, singleImage } from '../../models/validate';
import { colorize, displayRGB } from '../../render/heatmap';
import { type AttributionOptions, type ChannelReduction } from '../common/attribution';
import { grabCut, type GrabCutOptions, grabCutSettings } from './grabcut';
import { saliency } from './saliency';
import { smooth, type SmoothOptions } from './smooth';

/** Options of {@link saliencySegmentation}. */
export interface SaliencySegmentationOptions extends AttributionOptions, GrabCutOptions {
  /** Pixels with saliency at or above this quantile seed the foreground (default 0.95, as the paper). */
  foregroundQuantile?: number;
  /** Pixels with saliency at or below this quantile seed the background (default 0.3, as the paper). */
  backgroundQuantile?: number;
  /** The pixel value range of the image, for its colours (default [0, 1]). */
  valueRange?: [number, number];
  /** How the saliency gradient's channels become one value per pixel (default 'maxAbs'). */
  reduce?: ChannelReduction;
  /**
   * Seed from SmoothGrad's saliency (`smooth(saliency, smoothing)`: the mean over noisy copies)
   * instead of the plain one; less speckled seeds for small networks. Default: plain saliency.
   */
  smoothing?: SmoothOptions;
  /**
   * Standard deviation in pixels of a Gaussian blur of the saliency map before its quantiles are
   * taken (default 0: none, as the paper); a few pixels turn a network's edge-bound gradients
   * into blobs that cover the object.
   */
  blur?: number;
}

/** The result of {@link saliencySegmentation}; dispose it with `dispose()`. */
export interface SaliencySegmentation {
  /** `[H, W]`: 1 on the segmented object, 0 elsewhere. */
  mask: tf.Tensor2D;
  /** `[H, W]`: the saliency map the seeds came from (blurred when `blur` > 0). */
  saliency: tf.Tensor2D;
  /** `[H, W]`: 1 foreground seed, -1 background seed, 0 left to GrabCut. */
  seeds: tf.Tensor2D;
  /** `[H, W, 3]`: the image as RGB in [0, 1] (gray images repeated), as segmented. */
  image: tf.Tensor3D;
  /** The class whose saliency seeded the segmentation (null for a target function). */
  classes: number[] | null;
  /** The GrabCut energy of each round's minimum cut. */
  energies: number[];
  /**
   * The figure `[4, H, W, 3]` in [0, 1]: image | saliency (inferno) | seeds (red foreground, washed-out
   * background) | segmentation (background dimmed, object outlined); show it with
   * `lens.imageGrid(panels, { normalize: 'none' })`. The caller disposes it.
   */
  panels(): tf.Tensor4D;
  /** Dispose every tensor of the result. */
  dispose(): void;
}

/** The seeds `[H, W]` (1 / -1 / 0) of a saliency map: at or above the `hi` quantile, at or below the `lo` one. */
function quantileSeeds(map: tf.Tensor2D, lo: number, hi: number): tf.Tensor2D {
  return tf.tidy(() => {
    const flat = tf.reshape(map, [-1]);
    const n = flat.size;
    const sorted = tf.reverse(tf.topk(flat, n).values);
    // Linear interpolation between order statistics (numpy's default quantile).
    const quantile = (q: number) => {
      const pos = q * (n - 1);
      const [a, b] = [Math.floor(pos), Math.min(n - 1, Math.floor(pos) + 1)];
      const [va, vb] = [tf.slice(sorted, a, 1), tf.slice(sorted, b, 1)];
      return tf.add(va, tf.mul(tf.sub(vb, va), pos - a));
    };
    const [tLo, tHi] = [quantile(lo), quantile(hi)];
    const fg = tf.logicalAnd(tf.greaterEqual(map, tHi), tf.greater(map, tLo));
    return tf.sub<tf.Tensor2D>(tf.cast(fg, 'float32'), tf.cast(tf.lessEqual(map, tLo), 'float32'));
  });
}

/** The 4-panel figure of a segmentation (see {@link SaliencySegmentation.panels}). */
function segmentationPanels(image: tf.Tensor3D, map: tf.Tensor2D, seeds: tf.Tensor2D, mask: tf.Tensor2D): tf.Tensor4D {
  return tf.tidy(() => {
    const heat = colorize(map, { colormap: 'inferno' }) as tf.Tensor3D;
    const tint = (m: tf.Tensor2D, colour: number[], alpha: number) => tf.mul(tf.expandDims(m, 2), tf.mul(tf.sub(tf.tensor1d(colour), image), alpha));
    const fg = tf.cast(tf.greater(seeds, 0), 'float32') as tf.Tensor2D;
    const bg = tf.cast(tf.less(seeds, 0), 'float32') as tf.Tensor2D;
    const seedView = tf.add(tf.add(image, tint(fg, [1, 0.1, 0.1], 0.7)), tint(bg, [1, 1, 1], 0.6));
    // The object's outline: mask pixels with a background 4-neighbour (a 3x3 min-pool of the mask).
    const m4 = tf.reshape<tf.Rank.R4>(mask, [1, ...mask.shape, 1]);
    const eroded = tf.neg(tf.maxPool(tf.neg(m4), 3, 1, 'same'));
    const edge = tf.reshape<tf.Rank.R2>(tf.sub(m4, eroded), mask.shape);
    const dimmed = tf.mul(image, tf.expandDims(tf.add(0.3, tf.mul(mask, 0.7)), 2));
    const segView = tf.add(dimmed, tint(edge, [0.2, 1, 0.2], 1));
    return tf.clipByValue(tf.stack([image, heat, seedView, segView]), 0, 1) as tf.Tensor4D;
  });
}

/**
 * Segment the object of one image from its saliency map (Simonyan et al. 2014, §3.1): the
 * saliency of the target class (one {@link saliency} call), seeds at its quantiles (foreground:
 * at or above `foregroundQuantile`, background: at or below `backgroundQuantile`), then GrabCut
 * on the image's colours (5-component colour GMMs, contrast-sensitive Potts on the 8-connected
 * grid, γ = 50, `iterations` rounds; OpenCV's `grabCut` with `GC_INIT_WITH_MASK` is its check).
 * Progress counts the saliency pass and each GrabCut round; `signal` stops between them.
 *
 * @example
 * const seg = await lens.saliencySegmentation(model, image, { target: 'predicted' });
 * const panels = seg.panels();
 * await lens.imageGrid(panels, { columns: 4, tileSize: 160, normalize: 'none', labels: ['image', 'saliency', 'seeds', 'segmentation'] });
 * panels.dispose(); seg.dispose();
 */
export async function saliencySegmentation(model: tf.LayersModel, image: tf.Tensor, opts: SaliencySegmentationOptions = {}): Promise<SaliencySegmentation> {
  const hi = checkNumber('foregroundQuantile', opts.foregroundQuantile ?? 0.95, 0, 1);
  const lo = checkNumber('backgroundQuantile', opts.backgroundQuantile ?? 0.3, 0, 1);
  if (!(lo < hi)) throw new Error(`backgroundQuantile must be below foregroundQuantile; got ${lo} >= ${hi}`);
  const { iterations } = grabCutSettings(opts);
  const sigma = checkNumber('blur', opts.blur ?? 0, 0, 64);
  checkModel(model, 'model', 'images');
  await checkFinite('image', image);
  const single = singleImage(model, image);
  const owned: tf.Tensor[] = [single];
  try {
    const rgb = displayRGB(single, opts.valueRange ?? [0, 1]);
    owned.push(rgb);
    const total = iterations + 1;
    const progress = (p: RunProgress) => opts.onProgress?.(p);
    const method = opts.smoothing ? smooth(saliency, opts.smoothing) : saliency;
    const s = await method(model, single, { ...opts, onProgress: undefined });
    const map = tf.tidy(() => {
      const [, h, w] = s.map.shape;
      const m = sigma > 0 ? tf.reshape(gaussianBlur(tf.reshape(s.map, [1, h, w, 1]), sigma), [h, w]) : tf.squeeze(s.map, [0]);
      return m as tf.Tensor2D;
    });
    const classes = s.classes;
    s.dispose();
    owned.push(map);
    progress({ done: 1, total, fraction: 1 / total });
    const seeds = quantileSeeds(map, lo, hi);
    owned.push(seeds);
    const counts = tf.tidy(() => tf.stack([tf.sum(tf.greater(seeds, 0).cast('int32')), tf.sum(tf.less(seeds, 0).cast('int32'))]));
    const [fgCount, bgCount] = (await counts.array().finally(() => counts.dispose())) as number[];
    if (fgCount === 0 || bgCount === 0) {
      throw new Error(`the saliency map is flat (no ${fgCount === 0 ? 'foreground' : 'background'} seeds at quantiles ${lo} / ${hi}): pick another target or image`);
    }
    const colours = tf.tidy(() => tf.mul<tf.Tensor3D>(rgb, 255));
    owned.push(colours);
    const { mask, energies } = await grabCut(colours, seeds, {
      ...opts,
      onProgress: (p) => progress({ done: 1 + p.done, total, fraction: (1 + p.done) / total }),
    });
    colours.dispose();
    single.dispose();
    return {
      mask,
      saliency: map,
      seeds,
      image: rgb,
      classes,
      energies,
      panels: () => segmentationPanels(rgb, map, seeds, mask),
      dispose: () => tf.dispose([mask, map, seeds, rgb]),
    };
  } catch (e) {
    tf.dispose(owned);
    throw e;
  }
}
