/**
 * Saliency maps (Simonyan, Vedaldi & Zisserman 2014): the gradient of the class score before
 * softmax with respect to the image, shown as max |gradient| over colour channels. SmoothGrad is
 * `smooth(saliency)`; Integrated Gradients is `integratedGradients`.
 */
import { tf } from '../../tf';
import { forEachChunk } from '../../core/run-control';
import { chunkSize } from '../../models/batch-size';
import {
  type AttributionOptions,
  type ChannelReduction,
  checkReduction,
  concatChunks,
  type PixelAttribution,
  prepare,
  reduceChannels,
  rowImages,
  scoreGradient,
  sliceRows,
  withDispose,
} from '../common/attribution';

/** Options of {@link saliency}. */
export interface SaliencyOptions extends AttributionOptions {
  /** How channels become one value per pixel (default 'maxAbs'). */
  reduce?: ChannelReduction;
}

/**
 * Saliency map of each image for its target: |d score / d pixel| (max over channels), with the
 * score taken before softmax. `attribution` holds the signed per-channel gradient. Wrap it in
 * `smooth` for SmoothGrad.
 *
 * @example
 * const s = await lens.saliency(model, image, { target: 'predicted' });
 * const sg = await lens.smooth(lens.saliency, { samples: 20 })(model, image);
 */
export async function saliency(model: tf.LayersModel, images: tf.Tensor, opts: SaliencyOptions = {}): Promise<PixelAttribution> {
  checkReduction(opts.reduce);
  const { images: x, target } = await prepare(model, images, opts);
  const parts: tf.Tensor4D[] = [];
  try {
    await forEachChunk(x.shape[0], chunkSize(model, opts, 3), opts, (start, end) => {
      parts.push(tf.tidy(() => scoreGradient(model, sliceRows(x, start, end), target, rowImages(start, end))));
    });
    const attribution = concatChunks(parts);
    parts.length = 0;
    return withDispose({ map: reduceChannels(attribution, opts.reduce), attribution, classes: target.classes });
  } finally {
    tf.dispose([x, ...parts]);
  }
}
