/**
 * FilterGrid state, declared once: a grid of image tiles sent as one RGBA buffer, with a
 * `selected` item the user sets by clicking a tile. Kernel side `kernel-lib/widgets/filter-grid.ts`,
 * view `widgets/filter-grid.ts`.
 */
import { defineWidget } from './widget-spec';

/** FilterGrid state. `B` is how bytes arrive: `Uint8Array` on the kernel, DataView or ArrayBuffer in the browser. */
export interface FilterGridState<B = Uint8Array> {
  /** RGBA bytes of all tiles (one binary buffer), or one PNG per tile with `image_format: 'png'`. */
  images: B | B[];
  /** `[n, h, w]` of `images`. */
  image_shape: number[];
  /** `'rgba'` (raw bytes, as sent by convlens) or `'png'`. */
  image_format: 'rgba' | 'png';
  /** Tooltip of each tile, in display order. */
  labels: string[];
  /** Item index (filter number, image number) of each tile, in display order. */
  indices: number[];
  /** The item index the user clicked (an entry of `indices`), or null. */
  selected: number | null;
  /** Displayed tile width in CSS pixels. */
  tile_size: number;
  /** Columns of the grid; 0 fits the width. */
  columns: number;
  /** Hover magnification relative to the tile; 0 turns it off. */
  zoom: number;
  title: string;
  caption: string;
}

/** The FilterGrid widget. */
export const FILTER_GRID = defineWidget<FilterGridState>(
  'FilterGrid',
  () => ({
    images: new Uint8Array(0),
    image_shape: [0, 0, 0],
    image_format: 'rgba',
    labels: [],
    indices: [],
    selected: null,
    tile_size: 48,
    columns: 0,
    zoom: 4,
    title: '',
    caption: '',
  }),
  ['images'],
);
