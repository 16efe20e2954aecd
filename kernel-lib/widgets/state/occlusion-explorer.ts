/**
 * OcclusionExplorer state, declared once: an image with its occlusion map, sliders for the patch
 * size and stride, a class dropdown, probability or drop. Kernel side
 * `kernel-lib/widgets/occlusion-explorer.ts`, view `widgets/occlusion-explorer.ts`.
 */
import type { ColormapName } from '../../render/colormaps';
import { defineWidget, RUN_STATUS_DEFAULTS, type RunStatusState } from './widget-spec';

/** What the map shows: the class probability with the patch there, or its drop from the unoccluded probability. */
export type OcclusionQuantity = 'probability' | 'drop';

/** OcclusionExplorer state (`B`: how bytes arrive, see `FilterGridState`). */
export interface OcclusionExplorerState<B = Uint8Array> extends RunStatusState {
  /** RGBA bytes of the image, shape `[1, H, W]`. */
  image: B;
  image_shape: number[];
  /** RGBA bytes of the colour-mapped map, shape `[1, rows, cols]` (one cell per stride). */
  heatmap: B;
  heatmap_shape: number[];
  /** float32 bytes of the map values (row-major), for the hover tooltip. */
  values: B;
  value_min: number;
  value_max: number;
  value_label: string;
  colormap: ColormapName;
  patch_size: number;
  stride: number;
  /** Largest patch size / stride the sliders offer. */
  patch_max: number;
  stride_max: number;
  /** The class the map is for (an index into class_labels). */
  class_index: number;
  /** "name: probability" per class. */
  class_labels: string[];
  quantity: OcclusionQuantity;
  opacity: number;
  /** Patch size and stride of the map now shown (the view draws the patch outline with these). */
  shown_patch: number;
  shown_stride: number;
  /** Displayed image size in CSS pixels. */
  display_size: number;
}

/** The OcclusionExplorer widget. */
export const OCCLUSION_EXPLORER = defineWidget<OcclusionExplorerState>(
  'OcclusionExplorer',
  () => ({
    image: new Uint8Array(0),
    image_shape: [0, 0, 0],
    heatmap: new Uint8Array(0),
    heatmap_shape: [0, 0, 0],
    values: new Uint8Array(0),
    value_min: 0,
    value_max: 1,
    value_label: '',
    colormap: 'viridis',
    patch_size: 1,
    stride: 1,
    patch_max: 1,
    stride_max: 1,
    class_index: 0,
    class_labels: [],
    quantity: 'probability',
    opacity: 0.6,
    shown_patch: 0,
    shown_stride: 0,
    display_size: 280,
    ...RUN_STATUS_DEFAULTS,
  }),
  ['image', 'heatmap', 'values'],
);
