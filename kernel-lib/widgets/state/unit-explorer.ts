/**
 * UnitExplorer state, declared once: the units of a layer as tiles (each unit's strongest patch
 * over a dataset), the selected unit's top-k patches and the images they came from (with the
 * receptive-field box), and a probe image's activation maps whose hover outlines the field on the
 * probe. Kernel side `kernel-lib/widgets/unit-explorer.ts`, view `widgets/unit-explorer.ts`.
 */
import { defineWidget } from './widget-spec';

/** UnitExplorer state (`B`: how bytes arrive, see `FilterGridState`). */
export interface UnitExplorerState<B = Uint8Array> {
  /** RGBA bytes `[U, ph, pw]`: each unit's strongest patch. */
  unit_images: B;
  unit_shape: number[];
  /** Tooltip and channel index of each unit tile. */
  unit_labels: string[];
  unit_indices: number[];
  /** The channel the user clicked (an entry of `unit_indices`), or null. */
  selected: number | null;
  /** RGBA bytes `[k, ph, pw]`: the selected unit's top-k patches, strongest first. */
  patches: B;
  patch_shape: number[];
  patch_labels: string[];
  /** RGBA bytes `[k, H, W]`: the images those patches came from. */
  sources: B;
  source_shape: number[];
  /** Per patch, its box `[y0, x0, y1, x1]` in the source image (clipped). */
  source_boxes: number[][];
  /** RGBA bytes `[1, H, W]` of the probe image (empty when none). */
  probe: B;
  probe_shape: number[];
  /** RGBA bytes `[U, h, w]`: the probe's activation map per unit, in `unit_indices` order. */
  maps: B;
  map_shape: number[];
  /** Receptive field of the layer's units in input pixels: unit (i, j) sees rows `origin[0] + i * stride[0]` .. `+ size[0]` (clipped). */
  field_origin: number[];
  field_stride: number[];
  field_size: number[];
  /** Displayed tile width in CSS pixels. */
  tile_size: number;
  title: string;
  caption: string;
}

/** The UnitExplorer widget. */
export const UNIT_EXPLORER = defineWidget<UnitExplorerState>(
  'UnitExplorer',
  () => ({
    unit_images: new Uint8Array(0),
    unit_shape: [0, 0, 0],
    unit_labels: [],
    unit_indices: [],
    selected: null,
    patches: new Uint8Array(0),
    patch_shape: [0, 0, 0],
    patch_labels: [],
    sources: new Uint8Array(0),
    source_shape: [0, 0, 0],
    source_boxes: [],
    probe: new Uint8Array(0),
    probe_shape: [0, 0, 0],
    maps: new Uint8Array(0),
    map_shape: [0, 0, 0],
    field_origin: [0, 0],
    field_stride: [1, 1],
    field_size: [1, 1],
    tile_size: 48,
    title: '',
    caption: '',
  }),
  ['unit_images', 'patches', 'sources', 'probe', 'maps'],
);
