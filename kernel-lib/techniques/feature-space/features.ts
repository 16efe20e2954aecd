/**
 * Feature vectors over a dataset: one layer's activations for every item, reduced batch by batch
 * to one row per item (flattened, or average / max pooled over space), so a whole dataset's
 * features fit in memory. Streams through the one activation path (`models/activations.ts`,
 * `activationBatches`) with progress and Stop. {@link pixelFeatures} gives the pixel-space rows
 * to compare against.
 */
import { tf } from '../../tf';
import { checkOneOf, describeValue, isTensor } from '../../core/checks';
import type { BatchSource } from '../../core/run-control';
import { activationBatches, type ActivationOptions } from '../../models/activations';

/** How a spatial activation `[b, h, w, c]` becomes one row per item. */
export type FeaturePooling = 'flatten' | 'avg' | 'max';

/** The allowed {@link FeaturePooling} values. */
export const FEATURE_POOLINGS: readonly FeaturePooling[] = ['flatten', 'avg', 'max'];

/** Options of {@link datasetFeatures}. */
export interface FeatureOptions extends ActivationOptions {
  /** `'flatten'` (default: every value), `'avg'` or `'max'` over the spatial axes (one value per channel). */
  pool?: FeaturePooling;
}

/** One row per item of a batch of activations `[b, ...]`: `[b, d]` (a new tensor). */
export function toFeatureRows(activation: tf.Tensor, pool: FeaturePooling = 'flatten'): tf.Tensor2D {
  checkOneOf('pool', pool, FEATURE_POOLINGS);
  return tf.tidy(() => {
    const x = tf.cast(activation, 'float32');
    if (x.rank <= 1) return tf.reshape<tf.Rank.R2>(x, [x.shape[0] ?? 1, 1]);
    if (pool === 'flatten' || x.rank === 2) return tf.reshape<tf.Rank.R2>(x, [x.shape[0], -1]);
    const spatial = Array.from({ length: x.rank - 2 }, (_, i) => i + 1);
    return pool === 'avg' ? tf.mean<tf.Tensor2D>(x, spatial) : tf.max<tf.Tensor2D>(x, spatial);
  });
}

/**
 * The features of `layer` for every item of `data` (a tensor `[N, ...]` or an iterable of
 * batches): `[N, d]`, flattened or pooled per batch (`pool`), with progress and Stop. The caller
 * disposes the result.
 *
 * @example const feats = await lens.featureSpace.datasetFeatures(model, 'fc1', test.images, { onProgress });
 */
export async function datasetFeatures(model: tf.LayersModel | tf.GraphModel, layer: string, data: BatchSource, opts: FeatureOptions = {}): Promise<tf.Tensor2D> {
  const pool = checkOneOf('pool', opts.pool ?? 'flatten', FEATURE_POOLINGS);
  if (typeof layer !== 'string') throw new Error(`datasetFeatures: layer must be a layer name (string); got ${describeValue(layer)}`);
  const parts: tf.Tensor2D[] = [];
  try {
    for await (const { activations } of activationBatches(model, [layer], data, opts)) parts.push(toFeatureRows(activations[layer], pool));
  } catch (e) {
    tf.dispose(parts);
    throw e;
  }
  if (parts.length === 0) throw new Error('datasetFeatures: data holds no items');
  if (parts.length === 1) return parts[0];
  const all = tf.concat(parts, 0);
  tf.dispose(parts);
  return all;
}

/** Images `[N, h, w, c]` as pixel-space feature rows `[N, h*w*c]` (a new tensor). */
export function pixelFeatures(images: tf.Tensor): tf.Tensor2D {
  if (!isTensor(images) || images.rank < 2) throw new Error(`pixelFeatures: images must be a tensor [N, ...]; got ${describeValue(images)}`);
  return toFeatureRows(images, 'flatten');
}

/**
 * @throws unless `features` is a float tensor `[N, d]` with N >= `minRows`; `where` prefixes the error.
 */
export function checkFeatureMatrix(features: unknown, where: string, minRows = 1): tf.Tensor2D {
  if (!isTensor(features) || features.rank !== 2 || features.dtype !== 'float32') {
    throw new Error(`${where}: features must be a float32 tensor [N, d]; got ${describeValue(features)}${isTensor(features) ? ` (${features.dtype})` : ''}`);
  }
  if (features.shape[0] < minRows || (features.shape[1] ?? 0) < 1) {
    throw new Error(`${where}: features must have at least ${minRows} row(s) and 1 column; got shape [${features.shape.join(', ')}]`);
  }
  return features as tf.Tensor2D;
}
