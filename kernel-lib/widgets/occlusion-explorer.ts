/**
 * The OcclusionExplorer widget, kernel side (state: state/occlusion-explorer.ts, view:
 * widgets/occlusion-explorer.ts): an image with its occlusion map as a heatmap overlay, sliders
 * for the patch size and stride, a class dropdown with the model's probabilities, and the value
 * under the pointer. Moving a control recomputes the map on
 * the kernel latest-wins (a newer setting aborts the run in flight).
 */
import { tf } from '../tf';
import { checkInteger } from '../core/checks';
import type { WidgetOptions } from '../ipywidgets/widget';
import type { ColormapName } from '../render/colormaps';
import { drawMap } from '../render/heatmap';
import { occlusion, type OcclusionFill } from '../techniques/attribution/occlusion';
import { widgetImage, type WidgetImage } from './class-choices';
import type { ConvlensState } from './convlens-widget';
import { checkOpacity, RecomputingWidget, withRunStatus } from './recompute';
import { OCCLUSION_EXPLORER, type OcclusionExplorerState, type OcclusionQuantity } from './state/occlusion-explorer';

export type { OcclusionExplorerState, OcclusionQuantity };

/** Options of {@link occlusionExplorer}. */
export interface OcclusionExplorerOptions {
  /** Initial patch size (default a quarter of the image side). */
  patchSize?: number;
  /** Initial stride (default half the patch). */
  stride?: number;
  /** Initial class: index, name or 'predicted' (default). */
  target?: number | string;
  /** Class names (default: the model's metadata). */
  classNames?: string[];
  /** Patch fill (default 'gray'). */
  fill?: OcclusionFill;
  /** Pixel value range of the image (default [0, 1]). */
  valueRange?: [number, number];
  /** Dataset mean for `fill: 'mean'`. */
  mean?: number | number[];
  /** 'probability' (default) or 'drop'. */
  quantity?: OcclusionQuantity;
  /** Heatmap opacity (default 0.6). */
  opacity?: number;
  /** Displayed image size in CSS pixels (default 280). */
  displaySize?: number;
}

/** The OcclusionExplorer widget; build it with {@link occlusionExplorer}. */
export class OcclusionExplorer extends RecomputingWidget<OcclusionExplorerState> {
  private readonly image: tf.Tensor3D;

  constructor(
    private readonly model: tf.LayersModel,
    prepared: WidgetImage,
    private readonly opts: OcclusionExplorerOptions = {},
    options: WidgetOptions = {},
  ) {
    const { image: single, bytes, choices } = prepared;
    const [h, w] = single.shape;
    const classIndex = choices.initial;
    const side = Math.max(h, w);
    const patch = opts.patchSize ?? Math.max(1, Math.floor(Math.min(h, w) / 4));
    super(
      OCCLUSION_EXPLORER,
      {
        image: bytes,
        image_shape: [1, h, w],
        patch_size: patch,
        stride: opts.stride ?? Math.max(1, Math.floor(patch / 2)),
        patch_max: side,
        stride_max: side,
        class_index: classIndex,
        class_labels: choices.labels,
        quantity: opts.quantity ?? 'probability',
        opacity: opts.opacity ?? 0.6,
        display_size: opts.displaySize ?? 280,
      },
      options,
    );
    this.image = single;
    this.recomputeOn(['patch_size', 'stride', 'class_index', 'quantity'], (signal) => this.compute(signal), [single]);
  }

  private compute(signal: AbortSignal): Promise<void> {
    const s = this.getState();
    return withRunStatus(this, signal, async () => {
      const result = await occlusion(this.model, this.image, {
        patchSize: s.patch_size,
        stride: s.stride,
        target: s.class_index,
        classNames: this.opts.classNames,
        fill: this.opts.fill,
        valueRange: this.opts.valueRange,
        mean: this.opts.mean,
        signal,
        onProgress: (p) => {
          if (!this.closed) this.set({ progress: p.fraction });
        },
      });
      try {
        if (this.closed || signal.aborted) return;
        const map = tf.tidy(() => tf.squeeze<tf.Tensor2D>(s.quantity === 'drop' ? result.drop : result.map, [0]));
        const colormap: ColormapName = s.quantity === 'drop' ? 'coolwarm' : 'viridis';
        const drawn = await drawMap(map, colormap);
        map.dispose();
        const name = s.class_labels[s.class_index].replace(/:[^:]*$/, '');
        this.set({
          heatmap: drawn.rgba,
          heatmap_shape: [1, ...drawn.shape],
          values: drawn.values,
          value_min: drawn.min,
          value_max: drawn.max,
          colormap,
          value_label: s.quantity === 'drop' ? `drop in P(${name})` : `P(${name}) with the patch here`,
          shown_patch: result.patchSize,
          shown_stride: result.stride,
        });
      } finally {
        result.dispose();
      }
    });
  }

  /** Validates the controls (patch size, stride, class, quantity, opacity). */
  protected coerce(s: ConvlensState<OcclusionExplorerState>): ConvlensState<OcclusionExplorerState> {
    checkInteger('patch_size', s.patch_size, 1, s.patch_max);
    checkInteger('stride', s.stride, 1, s.stride_max);
    checkInteger('class_index', s.class_index, 0, s.class_labels.length - 1);
    if (s.quantity !== 'probability' && s.quantity !== 'drop') throw new Error(`quantity must be 'probability' or 'drop'; got ${JSON.stringify(s.quantity)}`);
    checkOpacity(s.opacity);
    return s;
  }

  protected reprKeys(): string[] {
    return ['patch_size', 'stride', 'class_index', 'quantity'];
  }
}

/**
 * An interactive occlusion explorer for one image: display it (last expression of a cell or
 * `.display()`), drag the sliders, pick a class, hover for values.
 *
 * @example
 * const ex = await lens.occlusionExplorer(model, image, { patchSize: 6, stride: 2 });
 * await ex.ready();
 * ex
 */
export async function occlusionExplorer(model: tf.LayersModel, image: tf.Tensor, opts: OcclusionExplorerOptions = {}, options: WidgetOptions = {}): Promise<OcclusionExplorer> {
  const prepared = await widgetImage(model, image, opts);
  try {
    return new OcclusionExplorer(model, prepared, opts, options);
  } catch (e) {
    prepared.image.dispose();
    throw e;
  }
}
