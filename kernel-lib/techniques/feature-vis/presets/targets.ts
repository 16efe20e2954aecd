/**
 * Objectives built from images: the layer outputs of a content image (feature inversion, content
 * loss) and the Gram matrices of a style image (texture, style), computed once with the same
 * forward pass the optimization uses.
 */
import { tf } from '../../../tf';
import { imageBatch } from '../../inputs';
import { findLayer } from '../../layer-lookup';
import { runGraph } from '../../model-graph';
import { featureMatch, gramMatch, gramMatrix, type Objective } from '../objectives';

/** The outputs of `layers` for `images` (`[N, H, W, C]` or one image), keyed by name; the caller disposes them. */
export function layerOutputs(model: tf.LayersModel, images: tf.Tensor, layers: string[]): Record<string, tf.Tensor> {
  layers.forEach((l) => findLayer(model, l));
  const batch = imageBatch(model, images);
  try {
    return tf.tidy(() => runGraph(model, batch, { fetch: layers }).outputs);
  } finally {
    batch.dispose();
  }
}

/** {@link featureMatch} to what `layer` outputs for `image` (Mahendran & Vedaldi's Φ₀). */
export function featureMatchTo(model: tf.LayersModel, layer: string, image: tf.Tensor): Objective {
  const outs = layerOutputs(model, image, [layer]);
  try {
    return featureMatch(layer, outs[layer]);
  } finally {
    tf.dispose(Object.values(outs));
  }
}

/** {@link gramMatch} to the Gram matrices of `image` at `layers` (Gatys' style / texture target). */
export function gramMatchTo(model: tf.LayersModel, layers: string[], image: tf.Tensor, weights?: number[]): Objective {
  const outs = layerOutputs(model, image, layers);
  const grams = layers.map((l) => gramMatrix(outs[l]));
  try {
    return gramMatch(layers, grams, weights);
  } finally {
    tf.dispose([...Object.values(outs), ...grams]);
  }
}
