/**
 * Backward passes with a modified ReLU rule, shared by guided backpropagation and the deconvnet.
 * The signal starts either at a class score (before softmax) or at one feature map of a layer
 * (all other channels zeroed, the map's own activations as the signal, as Zeiler & Fergus do).
 */
import { tf } from '../../tf';
import { AttributionOptions, ChannelReduction, checkReduction, concatChunks, PixelAttribution, prepare, reduceChannels, rowImages, scoreGradient, sliceRows, withDispose } from '../common/attribution';
import { checkInteger } from '../../core/checks';
import { runGraph, type ReluBackward } from '../../models/graph';
import { getLayer, hasSpatialOutput } from '../../models/layers';
import { oneHotRows, valuesOf } from '../../core/tensors';
import { forEachChunk } from '../../core/run-control';
import { chunkSize } from '../../models/batch-size';

/** Options of {@link guidedBackprop} and {@link deconvnet}. */
export interface BackpropOptions extends AttributionOptions {
  /** Start from a feature map of this layer instead of a class score. */
  layer?: string;
  /** The channel of `layer` to project: an index, or 'max' (default) for each image's most active channel. */
  channel?: number | 'max';
  /** Keep the whole feature map ('all', default) or only its strongest activation ('max'). */
  position?: 'all' | 'max';
  /** How channels become one value per pixel in `map` (default 'maxAbs'). */
  reduce?: ChannelReduction;
}

/** A modified-backprop result; `channels` tells which feature map was projected (feature-map runs only). */
export interface BackpropAttribution extends PixelAttribution {
  /** The projected channel per image, when `layer` was given. */
  channels?: number[];
}

/** The starting signal at `layer`: the chosen channel's activations, all else zero. */
function featureSeed(activations: tf.Tensor4D, channels: number[], position: 'all' | 'max'): tf.Tensor4D {
  const k = activations.shape[3];
  return tf.tidy(() => {
    const mask = oneHotRows(channels, k).reshape([-1, 1, 1, k]);
    let s = tf.mul<tf.Tensor4D>(activations, mask);
    if (position === 'max') {
      const peak = tf.max(s, [1, 2, 3], true);
      s = tf.mul<tf.Tensor4D>(s, tf.cast(tf.logicalAnd(tf.equal(s, peak), tf.greater(s, 0)), 'float32'));
    }
    return s;
  });
}

/** The gradient projecting `channel` of `layer` (per image, its strongest channel for 'max') back to the input. */
async function featureGradient(model: tf.LayersModel, x: tf.Tensor4D, layer: string, channel: number | 'max', position: 'all' | 'max', relu: ReluBackward) {
  const activations = tf.tidy(() => runGraph(model, x, { fetch: [layer] }).outputs[layer] as tf.Tensor4D);
  try {
    const channels =
      channel === 'max'
        ? await valuesOf(() => tf.argMax(tf.max(activations, [1, 2]), 1))
        : new Array<number>(activations.shape[0]).fill(channel);
    const grad = tf.tidy(() => {
      const seed = featureSeed(activations, channels, position);
      const objective = (input: tf.Tensor) => tf.sum(tf.mul(runGraph(model, input, { fetch: [layer], relu }).outputs[layer], seed));
      return tf.grad(objective)(x) as tf.Tensor4D;
    });
    return { grad, channels };
  } finally {
    activations.dispose();
  }
}

/**
 * Run the backward pass with ReLU rule `relu` for a class target or a feature map (see {@link BackpropOptions}).
 */
export async function modifiedBackprop(
  model: tf.LayersModel,
  images: tf.Tensor,
  opts: BackpropOptions,
  relu: Exclude<ReluBackward, 'plain'>,
): Promise<BackpropAttribution> {
  checkReduction(opts.reduce);
  const position = opts.position ?? 'all';
  if (position !== 'all' && position !== 'max') throw new Error(`position must be 'all' or 'max'; got ${JSON.stringify(position)}`);
  let layerName: string | undefined;
  if (opts.layer !== undefined) {
    const layer = getLayer(model, opts.layer);
    if (!hasSpatialOutput(layer)) throw new Error(`Layer "${layer.name}" has output shape ${JSON.stringify(layer.outputShape)}; feature maps need a layer with output [N, h, w, channels]`);
    const k = (layer.outputShape as number[])[3];
    if (opts.channel !== undefined && opts.channel !== 'max') checkInteger(`channel of layer "${layer.name}"`, opts.channel, 0, k - 1);
    layerName = layer.name;
  } else if (opts.channel !== undefined) {
    throw new Error('channel needs layer: pass { layer: "<name>", channel } to project one feature map');
  }
  const { images: x, target } = await prepare(model, images, opts);
  const grads: tf.Tensor4D[] = [];
  const channels: number[] = [];
  try {
    await forEachChunk(x.shape[0], chunkSize(model, opts, 3), opts, async (start, end) => {
      const rows = rowImages(start, end);
      const part = sliceRows(x, start, end);
      try {
        if (layerName === undefined) {
          grads.push(scoreGradient(model, part, target, rows, relu));
        } else {
          const r = await featureGradient(model, part, layerName, opts.channel ?? 'max', position, relu);
          grads.push(r.grad);
          channels.push(...r.channels);
        }
      } finally {
        part.dispose();
      }
    });
  } catch (e) {
    tf.dispose(grads);
    x.dispose();
    throw e;
  }
  x.dispose();
  const attribution = concatChunks(grads);
  return withDispose({
    map: reduceChannels(attribution, opts.reduce),
    attribution,
    classes: layerName === undefined ? target.classes : null,
    ...(layerName === undefined ? {} : { channels }),
  });
}
