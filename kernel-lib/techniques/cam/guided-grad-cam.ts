/**
 * Guided Grad-CAM (Selvaraju et al. 2017): guided backpropagation (fine, class-agnostic detail)
 * multiplied pixel by pixel with the upsampled Grad-CAM (coarse, class-discriminative).
 */
import { tf } from '../../tf';
import type { RunProgress } from '../../core/run-control';
import { guidedBackprop } from '../attribution/guided-backprop';
import type { BackpropAttribution } from '../attribution/modified-backprop';
import { type ChannelReduction, checkReduction, type PixelAttribution, reduceChannels, withDispose } from '../common/attribution';
import { gradCam, type GradCamOptions } from './grad-cam';

/** Options of {@link guidedGradCam}. */
export interface GuidedGradCamOptions extends GradCamOptions {
  /** How channels become one value per pixel in `map` (default 'maxAbs'). */
  reduce?: ChannelReduction;
}

/** Guided Grad-CAM result; `gradCam` is the upsampled Grad-CAM map used as the weight. */
export interface GuidedGradCamAttribution extends PixelAttribution {
  /** `[N, H, W]`: the Grad-CAM map at the image size. */
  gradCam: tf.Tensor3D;
}

/**
 * Guided Grad-CAM of each image for its target: guided backprop × Grad-CAM at `layer`.
 *
 * @example
 * const gg = await lens.guidedGradCam(model, image, { target: 3 });
 */
export async function guidedGradCam(model: tf.LayersModel, images: tf.Tensor, opts: GuidedGradCamOptions = {}): Promise<GuidedGradCamAttribution> {
  checkReduction(opts.reduce);
  const { layer: _layer, relu: _relu, ...backpropOpts } = opts;
  // Progress: Grad-CAM is the first half of the work, guided backprop the second.
  const half = (offset: number) =>
    opts.onProgress && ((p: RunProgress) => opts.onProgress!({ done: offset + p.done, total: 2 * p.total, fraction: (offset + p.done) / (2 * p.total) }));
  const cam = await gradCam(model, images, { ...opts, onProgress: half(0) });
  // Explain the classes Grad-CAM explained, so 'predicted' or a function resolves once.
  const target = cam.classes ?? opts.target;
  let guided: BackpropAttribution;
  try {
    const n = cam.map.shape[0];
    guided = await guidedBackprop(model, images, { ...backpropOpts, target, onProgress: half(n) });
  } catch (e) {
    cam.dispose();
    throw e;
  }
  const attribution = tf.tidy(() => tf.mul<tf.Tensor4D>(guided.attribution, tf.expandDims(cam.map, 3)));
  guided.dispose();
  cam.raw.dispose();
  return withDispose({ map: reduceChannels(attribution, opts.reduce), attribution, classes: cam.classes, gradCam: cam.map });
}
