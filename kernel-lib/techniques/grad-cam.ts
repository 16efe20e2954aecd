/**
 * Grad-CAM (Selvaraju et al. 2017) for any conv layer: weight each feature map A_k by the mean
 * gradient of the target score (before softmax) over its positions, α_k = mean_ij dS/dA_k(i, j), and
 * keep the positive part of Σ_k α_k A_k. On a GAP + dense net at the last conv layer it equals CAM up to scale.
 */
import { tf } from '../tf';
import { AttributionOptions, concatChunks, prepare, rowImages, sliceRows } from './attribution';
import { ClassActivationMap, classActivationMap } from './class-maps';
import { runGraph } from '../models/graph';
import { spatialLayer } from '../models/layers';
import { ResolvedTarget } from './target';
import { forEachChunk } from '../core/run-control';
import { chunkSize } from '../models/batch-size';

/** Options of {@link gradCam}. */
export interface GradCamOptions extends AttributionOptions {
  /** The conv layer (name); default the model's last convolutional layer. */
  layer?: string;
  /** Keep only positive evidence (default true, as in the paper). */
  relu?: boolean;
}

/** Σ_k α_k A_k at `layer` for the rows `x`, `[B, h, w]`. */
function gradCamRaw(model: tf.LayersModel, x: tf.Tensor4D, layer: string, target: ResolvedTarget, rows: number[]): tf.Tensor3D {
  return tf.tidy(() => {
    const features = runGraph(model, x, { fetch: [layer] }).outputs[layer] as tf.Tensor4D;
    const score = (a: tf.Tensor) => tf.sum(target.score(runGraph(model, x, { feed: { [layer]: a }, logits: true }).output as tf.Tensor2D, rows));
    const grads = tf.grad(score)(features);
    const alpha = tf.mean(grads, [1, 2], true);
    return tf.sum(tf.mul(features, alpha), 3) as tf.Tensor3D;
  });
}

/**
 * Grad-CAM of each image for its target at `layer` (default the last conv layer). `raw` is at the
 * layer's resolution, `map` upsampled to the image.
 *
 * @example
 * const g = await lens.gradCam(model, images, { layer: 'conv2', target: 'Ankle boot' });
 */
export async function gradCam(model: tf.LayersModel, images: tf.Tensor, opts: GradCamOptions = {}): Promise<ClassActivationMap> {
  const layer = spatialLayer(model, opts.layer).name;
  const { images: x, target } = prepare(model, images, opts);
  const parts: tf.Tensor3D[] = [];
  try {
    await forEachChunk(x.shape[0], chunkSize(model, opts, 3), opts, (start, end) => {
      const rows = rowImages(start, end);
      parts.push(tf.tidy(() => gradCamRaw(model, sliceRows(x, start, end), layer, target, rows)));
    });
    return classActivationMap(concatChunks(parts), [x.shape[1], x.shape[2]], opts.relu ?? true, target.classes, layer);
  } catch (e) {
    tf.dispose(parts);
    throw e;
  } finally {
    x.dispose();
  }
}
