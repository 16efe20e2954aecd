/**
 * AttributionView state, declared once: one image under several attribution methods (from the
 * method registry) side by side, a class dropdown and the heatmap opacity. Its wire names are
 * `AttributionModel` / `AttributionView`. Kernel side `kernel-lib/widgets/attribution-view.ts`,
 * view `widgets/attribution-view.ts`.
 */
import type { ColormapName } from '../../render/colormaps';
import { defineWidget, RUN_STATUS_DEFAULTS, type RunStatusState } from './widget-spec';

/** AttributionView state (`B`: how bytes arrive, see `FilterGridState`). */
export interface AttributionViewState<B = Uint8Array> extends RunStatusState {
  /** RGBA bytes of the image, `[1, H, W]`. */
  image: B;
  image_shape: number[];
  /** Panel titles, one per method. */
  titles: string[];
  /** 'heatmap' (drawn over the image with a colour bar) or 'image' (a gradient image on its own), per panel. */
  kinds: Array<'heatmap' | 'image'>;
  /** RGBA bytes of every panel, `[panels, H, W]`. */
  panels: B;
  /** float32 bytes of every panel's values `[panels, H, W]`, for the hover tooltip. */
  values: B;
  mins: number[];
  maxs: number[];
  /** Colour map of each panel (occlusion drops are diverging: 'coolwarm'). */
  colormaps: ColormapName[];
  class_index: number;
  class_labels: string[];
  opacity: number;
  /** Displayed panel size in CSS pixels. */
  panel_size: number;
}

/** The AttributionView widget (model `AttributionModel`, view `AttributionView`). */
export const ATTRIBUTION_VIEW = defineWidget<AttributionViewState>(
  'Attribution',
  () => ({
    image: new Uint8Array(0),
    image_shape: [0, 0, 0],
    titles: [],
    kinds: [],
    panels: new Uint8Array(0),
    values: new Uint8Array(0),
    mins: [],
    maxs: [],
    colormaps: [],
    class_index: 0,
    class_labels: [],
    opacity: 0.5,
    panel_size: 160,
    ...RUN_STATUS_DEFAULTS,
  }),
  ['image', 'panels', 'values'],
);
