/**
 * Grad-CAM++ (Chattopadhay et al. 2018): channel weights that add up positive gradients with
 * per-position coefficients, so several instances of a class all count,
 *   α_k^ij = g² / (2 g² + Σ_ab A_k^ab · g³),  w_k = Σ_ij α_k^ij · relu(g_k^ij),  g = dS/dA_k^ij,
 * the closed form for an exponential of the score, with positions where g = 0 weighted 0 (as
 * pytorch-grad-cam computes it). The map is relu(Σ_k w_k A_k).
 */
import { tf } from '../../tf';
import { spatialLayer } from '../../models/layers';
import { type CamOptions, type CamVariant, type ClassActivationMap, classActivationMaps } from './channel-weights';

/** Guards 0 / 0 in α where the denominator vanishes (the value pytorch-grad-cam uses). */
const EPS = 1e-7;

/** Grad-CAM++'s channel weights. */
export const GRAD_CAM_PLUS_PLUS: CamVariant = {
  name: 'gradCamPlusPlus',
  gradient: true,
  relu: true,
  layer: (model, requested) => spatialLayer(model, requested),
  weights({ features, gradients }) {
    const g = gradients!;
    const g2 = tf.square(g);
    const g3 = tf.mul(g2, g);
    const sumA = tf.sum(features, [1, 2], true);
    const alpha = tf.div(g2, tf.add(tf.add(tf.mul(g2, 2), tf.mul(sumA, g3)), EPS));
    const nonzero = tf.cast(tf.notEqual(g, 0), 'float32');
    return tf.sum<tf.Tensor2D>(tf.mul(tf.mul(alpha, nonzero), tf.relu(g)), [1, 2]);
  },
};

/**
 * Grad-CAM++ of each image for its target at `layer` (default the last conv layer); one forward
 * and one backward pass per chunk, like `gradCam`.
 *
 * @example
 * const g = await lens.gradCamPlusPlus(model, images, { target: 'Sneaker' });
 */
export function gradCamPlusPlus(model: tf.LayersModel, images: tf.Tensor, opts: CamOptions = {}): Promise<ClassActivationMap> {
  return classActivationMaps(model, images, opts, GRAD_CAM_PLUS_PLUS);
}
