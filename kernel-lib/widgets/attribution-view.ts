/**
 * The AttributionView widget (view: widgets/attribution-view.ts): one image and several
 * attribution methods side by side for a class chosen in a dropdown. Heatmap methods are drawn
 * over the image; guided backprop, deconvnet and guided Grad-CAM as signed gradient images.
 * Changing the class recomputes every panel on the kernel, latest-wins.
 */
import { tf } from '../tf';
import type { DOMWidgetState } from '../ipywidgets/dom-widget';
import type { WidgetOptions } from '../ipywidgets/widget';
import { upsampleMaps, type Attribution } from '../techniques/attribution';
import { cam } from '../techniques/cam';
import { deconvnet } from '../techniques/deconvnet';
import { gradCam } from '../techniques/grad-cam';
import { guidedBackprop } from '../techniques/guided-backprop';
import { guidedGradCam } from '../techniques/guided-grad-cam';
import { gradientImage } from '../render/heatmap';
import { checkInteger } from '../core/checks';
import { gapHead } from '../models/layers';
import { occlusion } from '../techniques/occlusion';
import type { RunControl } from '../core/run-control';
import { saliency } from '../techniques/saliency';
import { checkOpacity, drawMap, imageBytes, RecomputingWidget, widgetImage, withRunStatus } from './attribution-widget-support';
import type { ColormapName } from '../render/colormaps';
import { convlensIdentity } from './convlens-module';
import { rgbaBytes } from '../render/rgba';

/** The methods an AttributionView can show. */
export const ATTRIBUTION_METHODS = ['saliency', 'smoothGrad', 'integratedGradients', 'guidedBackprop', 'deconvnet', 'cam', 'gradCam', 'guidedGradCam', 'occlusion'] as const;
/** One of {@link ATTRIBUTION_METHODS}. */
export type AttributionMethod = (typeof ATTRIBUTION_METHODS)[number];

const TITLES: Record<AttributionMethod, string> = {
  saliency: 'Saliency |∂S/∂x|',
  smoothGrad: 'SmoothGrad',
  integratedGradients: 'Integrated Gradients',
  guidedBackprop: 'Guided backprop',
  deconvnet: 'Deconvnet',
  cam: 'CAM',
  gradCam: 'Grad-CAM',
  guidedGradCam: 'Guided Grad-CAM',
  occlusion: 'Occlusion (drop)',
};
const GRADIENT_IMAGES = new Set<AttributionMethod>(['guidedBackprop', 'deconvnet', 'guidedGradCam']);

/** AttributionViewModel state. */
export interface AttributionViewState extends DOMWidgetState {
  /** RGBA bytes of the image, `[1, H, W]`. */
  image: Uint8Array;
  image_shape: number[];
  /** Panel titles, one per method. */
  titles: string[];
  /** 'heatmap' (drawn over the image with a colour bar) or 'image' (a gradient image on its own). */
  kinds: string[];
  /** RGBA bytes of every panel, `[panels, H, W]`. */
  panels: Uint8Array;
  /** float32 bytes of every panel's values `[panels, H, W]`, for the hover tooltip. */
  values: Uint8Array;
  mins: number[];
  maxs: number[];
  /** Colormap of each panel (occlusion drops are diverging: 'coolwarm'). */
  colormaps: ColormapName[];
  class_index: number;
  class_labels: string[];
  opacity: number;
  busy: boolean;
  progress: number;
  error: string;
  panel_size: number;
}

/** Options of {@link attributionView}. */
export interface AttributionViewOptions {
  /** Methods to show (default: saliency, SmoothGrad, IG, guided backprop, Grad-CAM, guided Grad-CAM, occlusion, and CAM for GAP nets). */
  methods?: AttributionMethod[];
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
  /** SmoothGrad samples (default 16) and Integrated Gradients steps (default 32). */
  samples?: number;
  steps?: number;
}

function defaultMethods(model: tf.LayersModel): AttributionMethod[] {
  let gap = true;
  try {
    gapHead(model);
  } catch {
    gap = false;
  }
  const methods: AttributionMethod[] = ['saliency', 'smoothGrad', 'integratedGradients', 'guidedBackprop', 'gradCam', 'guidedGradCam', 'occlusion'];
  if (gap) methods.splice(4, 0, 'cam');
  return methods;
}

/** The AttributionView widget; build it with {@link attributionView}. */
export class AttributionView extends RecomputingWidget<AttributionViewState> {
  private readonly image: tf.Tensor3D;
  private readonly methods: AttributionMethod[];

  constructor(
    private readonly model: tf.LayersModel,
    image: tf.Tensor,
    private readonly opts: AttributionViewOptions = {},
    options: WidgetOptions = {},
  ) {
    const methods = opts.methods ?? defaultMethods(model);
    for (const m of methods) {
      if (!ATTRIBUTION_METHODS.includes(m)) throw new Error(`Unknown method ${JSON.stringify(m)}; choose from ${ATTRIBUTION_METHODS.join(', ')}`);
    }
    if (methods.length === 0) throw new Error(`methods is empty; choose from ${ATTRIBUTION_METHODS.join(', ')}`);
    const { image: single, choices } = widgetImage(model, image, opts.classNames, opts.target);
    const [h, w] = single.shape;
    const classIndex = choices.initial;
    const n = methods.length;
    super(
      convlensIdentity('AttributionView'),
      {
        image: imageBytes(single, opts.valueRange),
        image_shape: [1, h, w],
        titles: methods.map((m) => TITLES[m]),
        kinds: methods.map((m) => (GRADIENT_IMAGES.has(m) ? 'image' : 'heatmap')),
        panels: new Uint8Array(n * h * w * 4),
        values: new Uint8Array(n * h * w * 4),
        mins: new Array(n).fill(0),
        maxs: new Array(n).fill(0),
        colormaps: methods.map((m) => (m === 'occlusion' ? 'coolwarm' : opts.colormap ?? 'jet')),
        class_index: classIndex,
        class_labels: choices.labels,
        opacity: opts.opacity ?? 0.5,
        busy: false,
        progress: 0,
        error: '',
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
    const o = { ...control, target, classNames: this.opts.classNames };
    const [h, w] = this.image.shape;
    let result: Attribution & { attribution?: tf.Tensor4D; drop?: tf.Tensor3D };
    switch (method) {
      case 'saliency': result = await saliency(this.model, this.image, o); break;
      case 'smoothGrad': result = await saliency(this.model, this.image, { ...o, smoothGrad: { samples: this.opts.samples ?? 16, seed: 1 } }); break;
      case 'integratedGradients': result = await saliency(this.model, this.image, { ...o, integratedGradients: { steps: this.opts.steps ?? 32, baseline: this.opts.valueRange?.[0] ?? 0 } }); break;
      case 'guidedBackprop': result = await guidedBackprop(this.model, this.image, o); break;
      case 'deconvnet': result = await deconvnet(this.model, this.image, o); break;
      case 'cam': result = await cam(this.model, this.image, o); break;
      case 'gradCam': result = await gradCam(this.model, this.image, { ...o, layer: this.opts.layer }); break;
      case 'guidedGradCam': result = await guidedGradCam(this.model, this.image, { ...o, layer: this.opts.layer }); break;
      case 'occlusion': result = await occlusion(this.model, this.image, { ...o, valueRange: this.opts.valueRange }); break;
    }
    try {
      return tf.tidy(() => {
        if (GRADIENT_IMAGES.has(method)) return gradientImage(result.attribution!, 0);
        const map = method === 'occlusion' ? result.drop! : result.map;
        return tf.squeeze(upsampleMaps(map, [h, w]), [0]);
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
          if (GRADIENT_IMAGES.has(method)) {
            const batch = tf.expandDims(out, 0) as tf.Tensor4D;
            panels.set(rgbaBytes(batch), i * h * w * 4);
            batch.dispose();
            mins.push(0);
            maxs.push(0);
          } else {
            const drawn = drawMap(out as tf.Tensor2D, this.get('colormaps')[i]);
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
  protected coerce(s: AttributionViewState): AttributionViewState {
    checkInteger('class_index', s.class_index, 0, s.class_labels.length - 1);
    checkOpacity(s.opacity);
    return s;
  }

  /** Pixel bytes are not echoed back to frontends. */
  protected echoes(key: string): boolean {
    return !['image', 'panels', 'values'].includes(key);
  }

  protected reprKeys(): string[] {
    return ['titles', 'class_index'];
  }
}

/**
 * Several attribution methods for one image side by side, with a class selector.
 *
 * @example
 * const view = lens.attributionView(model, image, { methods: ['saliency', 'gradCam', 'occlusion'] });
 * await view.ready();
 * view
 */
export function attributionView(model: tf.LayersModel, image: tf.Tensor, opts: AttributionViewOptions = {}, options: WidgetOptions = {}): AttributionView {
  return new AttributionView(model, image, opts, options);
}
