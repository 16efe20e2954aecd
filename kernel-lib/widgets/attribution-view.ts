/**
 * The AttributionView widget, kernel side (state: state/attribution-view.ts, view:
 * widgets/attribution-view.ts): one image and several attribution methods from the registry side
 * by side for a class chosen in a dropdown. Heatmap methods are drawn over the image, 'image'
 * methods (guided backprop, deconvnet, guided Grad-CAM) as signed gradient images. Changing the
 * class recomputes every panel on the kernel, latest-wins.
 */
import { tf } from '../tf';
import type { WidgetOptions } from '../ipywidgets/widget';
import { checkInteger } from '../core/checks';
import type { RunControl } from '../core/run-control';
import type { ColormapName } from '../render/colormaps';
import { gradientImage } from '../render/heatmap';
import { rgbaBytes } from '../render/rgba';
import { upsampleMaps, type PixelAttribution } from '../techniques/common/attribution';
import { attributionMethod, DEFAULT_ATTRIBUTION_METHODS, type AttributionMethod } from '../techniques/registry';
import { drawMap } from '../render/heatmap';
import { widgetImage, type WidgetImage } from './class-choices';
import type { ConvlensState } from './convlens-widget';
import { checkOpacity, RecomputingWidget, withRunStatus } from './recompute';
import { ATTRIBUTION_VIEW, type AttributionViewState } from './state/attribution-view';

export type { AttributionViewState };

/** Options of {@link attributionView}. */
export interface AttributionViewOptions {
  /**
   * Methods to show: names from the registry (`ATTRIBUTION_METHODS`) or your own
   * `{ name, title, kind, run }` entries (default: saliency, SmoothGrad, IG, guided backprop,
   * Grad-CAM, guided Grad-CAM, occlusion, and CAM for GAP nets).
   */
  methods?: Array<string | AttributionMethod>;
  /** Initial class: index, name or 'predicted' (default). */
  target?: number | string;
  /** Class names (default: the model's metadata). */
  classNames?: string[];
  /** Conv layer for Grad-CAM (default the last conv layer). */
  layer?: string;
  /** Pixel value range of the image (default [0, 1]). */
  valueRange?: [number, number];
  /** Heatmap colormap (default 'jet'). */
  colormap?: ColormapName;
  /** Heatmap opacity (default 0.5). */
  opacity?: number;
  /** Displayed panel size in CSS pixels (default 160). */
  panelSize?: number;
  /** Noisy copies of smoothed methods (default 16). */
  samples?: number;
  /** Integrated Gradients path points (default 32). */
  steps?: number;
}

function defaultMethods(model: tf.LayersModel): AttributionMethod[] {
  return DEFAULT_ATTRIBUTION_METHODS.map(attributionMethod).filter((m) => m.appliesTo?.(model) ?? true);
}

/** The AttributionView widget; build it with {@link attributionView}. */
export class AttributionView extends RecomputingWidget<AttributionViewState> {
  private readonly image: tf.Tensor3D;
  private readonly methods: AttributionMethod[];

  constructor(
    private readonly model: tf.LayersModel,
    prepared: WidgetImage,
    private readonly opts: AttributionViewOptions = {},
    options: WidgetOptions = {},
  ) {
    const methods = opts.methods ? opts.methods.map(attributionMethod) : defaultMethods(model);
    if (methods.length === 0) throw new Error('methods is empty; choose from the registry (ATTRIBUTION_METHODS) or pass { name, title, kind, run } entries');
    const { image: single, bytes, choices } = prepared;
    const [h, w] = single.shape;
    const classIndex = choices.initial;
    const n = methods.length;
    super(
      ATTRIBUTION_VIEW,
      {
        image: bytes,
        image_shape: [1, h, w],
        titles: methods.map((m) => m.title),
        kinds: methods.map((m) => m.kind),
        panels: new Uint8Array(n * h * w * 4),
        values: new Uint8Array(n * h * w * 4),
        mins: new Array<number>(n).fill(0),
        maxs: new Array<number>(n).fill(0),
        colormaps: methods.map((m) => m.colormap ?? opts.colormap ?? 'jet'),
        class_index: classIndex,
        class_labels: choices.labels,
        opacity: opts.opacity ?? 0.5,
        panel_size: opts.panelSize ?? 160,
      },
      options,
    );
    this.image = single;
    this.methods = methods;
    this.recomputeOn(['class_index'], (signal) => this.compute(signal), [single]);
  }

  /** One method's result as a panel: a map `[H, W]` (heatmap) or RGB `[H, W, 3]` (gradient image). */
  private async panel(method: AttributionMethod, target: number, control: RunControl): Promise<tf.Tensor> {
    const { classNames, layer, valueRange, samples, steps } = this.opts;
    const result = await method.run(this.model, this.image, { ...control, target, classNames, layer, valueRange, samples, steps });
    const [h, w] = this.image.shape;
    try {
      return tf.tidy(() => {
        if (method.kind === 'image') {
          const attribution = (result as PixelAttribution).attribution;
          if (!(attribution instanceof tf.Tensor)) throw new Error(`method "${method.name}" is of kind 'image' but returned no attribution`);
          return gradientImage(attribution, 0);
        }
        return tf.squeeze(upsampleMaps(result.map, [h, w]), [0]);
      });
    } finally {
      result.dispose();
    }
  }

  private compute(signal: AbortSignal): Promise<void> {
    const target = this.get('class_index');
    const n = this.methods.length;
    const [h, w] = this.image.shape;
    return withRunStatus(this, signal, async () => {
      const panels = new Uint8Array(n * h * w * 4);
      const values = new Float32Array(n * h * w);
      const mins: number[] = [];
      const maxs: number[] = [];
      for (let i = 0; i < n; i++) {
        const method = this.methods[i];
        const out = await this.panel(method, target, {
          signal,
          onProgress: (p) => {
            if (!this.closed) this.set({ progress: (i + p.fraction) / n });
          },
        });
        try {
          if (method.kind === 'image') {
            const batch = tf.expandDims<tf.Tensor4D>(out, 0);
            try {
              panels.set(await rgbaBytes(batch), i * h * w * 4);
            } finally {
              batch.dispose();
            }
            mins.push(0);
            maxs.push(0);
          } else {
            const drawn = await drawMap(out as tf.Tensor2D, this.get('colormaps')[i]);
            panels.set(drawn.rgba, i * h * w * 4);
            values.set(new Float32Array(drawn.values.buffer), i * h * w);
            mins.push(drawn.min);
            maxs.push(drawn.max);
          }
        } finally {
          out.dispose();
        }
        signal.throwIfAborted();
      }
      if (!this.closed) this.set({ panels, values: new Uint8Array(values.buffer), mins, maxs });
    });
  }

  /** Validates the class and opacity. */
  protected coerce(s: ConvlensState<AttributionViewState>): ConvlensState<AttributionViewState> {
    checkInteger('class_index', s.class_index, 0, s.class_labels.length - 1);
    checkOpacity(s.opacity);
    return s;
  }

  protected reprKeys(): string[] {
    return ['titles', 'class_index'];
  }
}

/**
 * Several attribution methods for one image side by side, with a class selector.
 *
 * @example
 * const view = await lens.attributionView(model, image, { methods: ['saliency', 'gradCam', 'occlusion'] });
 * await view.ready();
 * view
 */
export async function attributionView(model: tf.LayersModel, image: tf.Tensor, opts: AttributionViewOptions = {}, options: WidgetOptions = {}): Promise<AttributionView> {
  const prepared = await widgetImage(model, image, opts);
  try {
    return new AttributionView(model, prepared, opts, options);
  } catch (e) {
    prepared.image.dispose();
    throw e;
  }
}
