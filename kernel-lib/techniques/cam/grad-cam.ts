/**
 * Grad-CAM (Selvaraju et al. 2017) for any conv layer: weight each feature map A_k by the mean
 * gradient of the target score (before softmax) over its positions, α_k = mean_ij dS/dA_k(i, j),
 * and keep the positive part of Σ_k α_k A_k. On a GAP + dense net at the last conv layer it
 * equals CAM up to the scale 1 / (h·w).
 */
import { tf } from '../../tf';
import { spatialLayer } from '../../models/layers';
import { type CamOptions, type CamVariant, type ClassActivationMap, classActivationMaps } from './channel-weights';

/** Grad-CAM's channel weights: the gradient averaged over positions. */
export const GRAD_CAM: CamVariant = {
  name: 'gradCam',
  gradient: true,
  relu: true,
  layer: (model, requested) => spatialLayer(model, requested),
  weights: ({ gradients }) => tf.mean<tf.Tensor2D>(gradients!, [1, 2]),
};

/** Options of {@link gradCam}. */
export type GradCamOptions = CamOptions;

/**
 * Grad-CAM of each image for its target at `layer` (default the last conv layer). `raw` is at the
 * layer's resolution, `map` upsampled to the image. One forward and one backward pass per chunk.
 *
 * @example
 * const g = await lens.gradCam(model, images, { layer: 'conv2', target: 'Ankle boot' });
 */
export function gradCam(model: tf.LayersModel, images: tf.Tensor, opts: GradCamOptions = {}): Promise<ClassActivationMap> {
  return classActivationMaps(model, images, opts, GRAD_CAM);
}
