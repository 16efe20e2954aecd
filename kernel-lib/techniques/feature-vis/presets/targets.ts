/**
 * Objectives built from images: the layer outputs of a content image (feature inversion, content
 * loss) and the Gram matrices of a style image (texture, style), computed once with the same
 * forward pass the optimization uses.
 */
import { tf } from '../../../tf';
import { tap } from '../../../models/activations';
import { imageBatch } from '../../../models/validate';
import { featureMatch, gramMatch, gramMatrix, type Objective } from '../objectives';

/** The activations of `layers` for `images` (`[N, H, W, C]` or one image), keyed by name, through `tap`; the caller disposes them. */
export function imageActivations(model: tf.LayersModel, images: tf.Tensor, layers: string[]): Record<string, tf.Tensor> {
  const batch = imageBatch(model, images);
  try {
    return tap(model, layers, batch);
  } finally {
    batch.dispose();
  }
}

/** {@link featureMatch} to what `layer` outputs for `image` (Mahendran & Vedaldi's Φ₀). */
export function featureMatchTo(model: tf.LayersModel, layer: string, image: tf.Tensor): Objective {
  const outs = imageActivations(model, image, [layer]);
  try {
    return featureMatch(layer, outs[layer]);
  } finally {
    tf.dispose(Object.values(outs));
  }
}

/** {@link gramMatch} to the Gram matrices of `image` at `layers` (Gatys' style / texture target). */
export function gramMatchTo(model: tf.LayersModel, layers: string[], image: tf.Tensor, weights?: number[]): Objective {
  const outs = imageActivations(model, image, layers);
  const grams = layers.map((l) => gramMatrix(outs[l]));
  try {
    return gramMatch(layers, grams, weights);
  } finally {
    tf.dispose([...Object.values(outs), ...grams]);
  }
}
