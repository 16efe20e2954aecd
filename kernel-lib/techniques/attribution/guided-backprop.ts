/**
 * Guided backpropagation (Springenberg et al. 2015): the gradient of a class score (or of one
 * feature map) where every ReLU passes back only positive signal, and only where its forward input
 * was positive. On a net without ReLUs it is the plain gradient.
 */
import { tf } from '../../tf';
import { BackpropAttribution, BackpropOptions, modifiedBackprop } from './modified-backprop';

/**
 * Guided backpropagation of each image's target class, or of one feature map (`layer`, `channel`).
 * `attribution` is the signed per-channel image (show it with `lens.gradientImagePNG`); `map` its max |value| over channels.
 *
 * @example
 * const g = await lens.guidedBackprop(model, image, { target: 'Sneaker' });
 */
export function guidedBackprop(model: tf.LayersModel, images: tf.Tensor, opts: BackpropOptions = {}): Promise<BackpropAttribution> {
  return modifiedBackprop(model, images, opts, 'guided');
}
