/**
 * The deconvnet (Zeiler & Fergus 2014): project a class score or one feature map back to pixels
 * by unpooling through the recorded max "switches", rectifying the backward signal (ReLU on the
 * signal, whatever the forward input was), and convolving with the flipped (transposed) learned
 * filters. Nothing is learned; this is the gradient with the ReLU rule replaced.
 */
import { tf } from '../../tf';
import { BackpropAttribution, BackpropOptions, modifiedBackprop } from './modified-backprop';

/**
 * Deconvnet projection of each image's target class, or of one feature map (`layer`, `channel`;
 * `position: 'max'` keeps only its strongest activation, as in Zeiler & Fergus' figures).
 *
 * @example
 * const d = await lens.deconvnet(model, image, { layer: 'conv2', channel: 5 });
 */
export function deconvnet(model: tf.LayersModel, images: tf.Tensor, opts: BackpropOptions = {}): Promise<BackpropAttribution> {
  return modifiedBackprop(model, images, opts, 'deconvnet');
}
