/**
 * Dataset mean/std normalisation of image batches and its inverse (for showing normalised
 * inputs, or turning an optimised input back into an image).
 */
import { tf } from '../tf';
import { valuesOf } from '../core/tensors';

/** Per-channel mean and standard deviation. */
export interface ChannelStats {
  mean: number[];
  std: number[];
}

/** ImageNet's per-channel RGB statistics (for images in [0, 1]), used by most ImageNet models. */
export const IMAGENET_STATS: Readonly<ChannelStats> = { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] };

/** Per-channel mean and std over every pixel of a `[n, h, w, c]` (or `[h, w, c]`) batch. */
export async function channelStats(images: tf.Tensor): Promise<ChannelStats> {
  checkImages(images, 'channelStats');
  const c = images.shape[images.rank - 1];
  const both = await valuesOf(() => {
    const m = tf.moments(images.toFloat().reshape([-1, c]), 0);
    return tf.concat([m.mean, m.variance.sqrt()]);
  });
  return { mean: both.slice(0, c), std: both.slice(c) };
}

/** `(images - mean) / std` per channel; `stats` has one entry per channel (std > 0). */
export function normalize<T extends tf.Tensor>(images: T, stats: ChannelStats): T {
  const [mean, std] = statsTensors(images, stats, 'normalize');
  return tf.tidy(() => images.toFloat().sub(mean).div<T>(std));
}

/** The inverse of {@link normalize}: `images * std + mean` per channel. */
export function denormalize<T extends tf.Tensor>(images: T, stats: ChannelStats): T {
  const [mean, std] = statsTensors(images, stats, 'denormalize');
  return tf.tidy(() => images.toFloat().mul(std).add<T>(mean));
}

function checkImages(images: tf.Tensor, where: string): void {
  if (!(images instanceof tf.Tensor) || images.rank < 3) {
    throw new Error(`${where}: expected a [h, w, c] or [n, h, w, c] tensor, got ${images instanceof tf.Tensor ? `shape [${images.shape.join(',')}]` : typeof images}.`);
  }
}

function statsTensors(images: tf.Tensor, stats: ChannelStats, where: string): [number[], number[]] {
  checkImages(images, where);
  const c = images.shape[images.rank - 1];
  if (!stats || !Array.isArray(stats.mean) || !Array.isArray(stats.std) || stats.mean.length !== c || stats.std.length !== c) {
    throw new Error(`${where}: stats must have ${c} means and ${c} stds (one per channel), got ${JSON.stringify(stats)}.`);
  }
  if (stats.std.some((s) => !(s > 0))) throw new Error(`${where}: every std must be > 0, got [${stats.std.join(',')}].`);
  return [stats.mean, stats.std];
}
