/**
 * The attribution method registry: every method a view can show, as `{ name, title, kind, run }`.
 * AttributionView (and every later view) reads it instead of keeping its own tables; a new method
 * appears in the views with one entry here (or one entry passed to the view by a notebook).
 */
import type { tf } from '../tf';
import type { ColormapName } from '../render/colormaps';
import { hasGapHead } from '../models/layers';
import { deconvnet } from './attribution/deconvnet';
import { guidedBackprop } from './attribution/guided-backprop';
import { integratedGradients } from './attribution/integrated-gradients';
import { occlusion } from './attribution/occlusion';
import { saliency } from './attribution/saliency';
import { smooth } from './attribution/smooth';
import { cam } from './cam/cam';
import { gradCam } from './cam/grad-cam';
import { gradCamPlusPlus } from './cam/grad-cam-plus-plus';
import { guidedGradCam } from './cam/guided-grad-cam';
import type { Attribution, AttributionOptions, PixelAttribution } from './common/attribution';

/** What a view passes to every method: the target and run control, plus the settings methods pick from. */
export interface MethodOptions extends AttributionOptions {
  /** Conv layer for the CAM family (default the last conv layer). */
  layer?: string;
  /** Pixel value range of the images (occlusion's gray fill, Integrated Gradients' black baseline). */
  valueRange?: [number, number];
  /** Noisy copies for smoothed methods (default 16). */
  samples?: number;
  /** Path points for Integrated Gradients (default 32). */
  steps?: number;
}

/** One attribution method as views show it. */
export interface AttributionMethod {
  /** Identifier, e.g. `'gradCam'`. */
  name: string;
  /** Panel title, e.g. `'Grad-CAM'`. */
  title: string;
  /** `'heatmap'`: `map` drawn over the image with a colour bar; `'image'`: the signed `attribution` as a gradient image. */
  kind: 'heatmap' | 'image';
  /** A colour map this method always uses (e.g. diverging 'coolwarm' for signed drops); else the view's. */
  colormap?: ColormapName;
  /** Whether the method applies to `model` (default: always). */
  appliesTo?(model: tf.LayersModel): boolean;
  /** Run on `images`; the result's `map` is what a heatmap shows (a PixelAttribution for `'image'`). */
  run(model: tf.LayersModel, images: tf.Tensor, opts: MethodOptions): Promise<Attribution | PixelAttribution>;
}

const pick = ({ target, classNames, signal, onProgress, batchSize }: MethodOptions): AttributionOptions => ({ target, classNames, signal, onProgress, batchSize });

/** Every registered method, in the order views show them. */
export const ATTRIBUTION_METHODS: readonly AttributionMethod[] = [
  { name: 'saliency', title: 'Saliency |∂S/∂x|', kind: 'heatmap', run: (m, x, o) => saliency(m, x, pick(o)) },
  { name: 'smoothGrad', title: 'SmoothGrad', kind: 'heatmap', run: (m, x, o) => smooth(saliency, { samples: o.samples ?? 16, seed: 1 })(m, x, pick(o)) },
  {
    name: 'integratedGradients',
    title: 'Integrated Gradients',
    kind: 'heatmap',
    run: (m, x, o) => integratedGradients(m, x, { ...pick(o), steps: o.steps ?? 32, baseline: o.valueRange?.[0] ?? 0 }),
  },
  { name: 'guidedBackprop', title: 'Guided backprop', kind: 'image', run: (m, x, o) => guidedBackprop(m, x, pick(o)) },
  { name: 'deconvnet', title: 'Deconvnet', kind: 'image', run: (m, x, o) => deconvnet(m, x, pick(o)) },
  { name: 'cam', title: 'CAM', kind: 'heatmap', appliesTo: hasGapHead, run: (m, x, o) => cam(m, x, pick(o)) },
  { name: 'gradCam', title: 'Grad-CAM', kind: 'heatmap', run: (m, x, o) => gradCam(m, x, { ...pick(o), layer: o.layer }) },
  { name: 'gradCamPlusPlus', title: 'Grad-CAM++', kind: 'heatmap', run: (m, x, o) => gradCamPlusPlus(m, x, { ...pick(o), layer: o.layer }) },
  { name: 'guidedGradCam', title: 'Guided Grad-CAM', kind: 'image', run: (m, x, o) => guidedGradCam(m, x, { ...pick(o), layer: o.layer }) },
  {
    name: 'occlusion',
    title: 'Occlusion (drop)',
    kind: 'heatmap',
    colormap: 'coolwarm',
    run: async (m, x, o) => {
      const r = await occlusion(m, x, { ...pick(o), valueRange: o.valueRange });
      // Show the drop in probability (signed), not the occluded probability.
      r.map.dispose();
      return { map: r.drop, classes: r.classes, dispose: () => r.drop.dispose() };
    },
  },
];

/** The methods views show by default: all but deconvnet and Grad-CAM++, CAM only for global-average-pooled nets. */
export const DEFAULT_ATTRIBUTION_METHODS: readonly string[] = ['saliency', 'smoothGrad', 'integratedGradients', 'guidedBackprop', 'cam', 'gradCam', 'guidedGradCam', 'occlusion'];

/**
 * The registered method called `name`, or `method` itself when an entry is passed.
 * @throws naming the unknown method and listing the registered ones.
 */
export function attributionMethod(method: string | AttributionMethod): AttributionMethod {
  if (typeof method === 'object' && method !== null && typeof method.run === 'function' && typeof method.name === 'string') return method;
  const found = ATTRIBUTION_METHODS.find((m) => m.name === method);
  if (!found) throw new Error(`Unknown method ${JSON.stringify(method)}; choose from ${ATTRIBUTION_METHODS.map((m) => m.name).join(', ')} or pass { name, title, kind, run }`);
  return found;
}
