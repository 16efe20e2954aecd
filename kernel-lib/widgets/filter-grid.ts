/**
 * The FilterGrid widget, kernel side (state: state/filter-grid.ts, view: widgets/filter-grid.ts):
 * a grid of image tiles sent as one RGBA buffer, with a `selected` item the user sets by clicking
 * a tile. Build it with {@link filterGrid} (a conv layer's filters) or {@link imageGrid} (any stack).
 */
import type { tf } from '../tf';
import type { WidgetOptions } from '../ipywidgets/widget';
import { ConvlensWidget, type ConvlensState } from './convlens-widget';
import { describeFilters, layerFilters, tilesOfFilters, type FilterTileOptions } from './filter-tiles';
import { imageTiles, type ImageTileOptions } from './image-tiles';
import { FILTER_GRID, type FilterGridState } from './state/filter-grid';
import type { Tiles } from './tiles';
import { checkFinite } from '../core/checks';

/** Display options of a FilterGrid. */
export interface GridDisplayOptions {
  /** Displayed tile width in CSS pixels (8..512, default 48). */
  tileSize?: number;
  /** Columns of the grid; 0 (default) fits the width. */
  columns?: number;
  /** Hover magnification, 0 (off) to 16 (default 4). */
  zoom?: number;
  title?: string;
  caption?: string;
}

/** Options of {@link filterGrid}: what the tiles show and how the grid is displayed. */
export interface FilterGridOptions extends FilterTileOptions, GridDisplayOptions {}

/** Options of {@link imageGrid}: what the tiles show and how the grid is displayed. */
export interface ImageGridOptions extends ImageTileOptions, GridDisplayOptions {}

function checkRange(name: string, value: number, lo: number, hi: number, integer = false): void {
  if (typeof value !== 'number' || !(value >= lo && value <= hi) || (integer && !Number.isInteger(value))) {
    throw new Error(`${name} must be ${integer ? 'an integer' : 'a number'} in [${lo}, ${hi}]; got ${JSON.stringify(value)}`);
  }
}

/** A grid of image tiles in the notebook; `selected` follows the user's clicks. */
export class FilterGrid extends ConvlensWidget<FilterGridState> {
  constructor(tiles: Tiles, display: GridDisplayOptions = {}, options: WidgetOptions = {}) {
    const defaults = FILTER_GRID.defaults();
    super(
      FILTER_GRID,
      {
        images: tiles.images,
        image_shape: tiles.shape,
        labels: tiles.labels,
        indices: tiles.indices,
        tile_size: display.tileSize ?? defaults.tile_size,
        columns: display.columns ?? defaults.columns,
        zoom: display.zoom ?? defaults.zoom,
        title: display.title ?? defaults.title,
        caption: display.caption ?? defaults.caption,
      },
      options,
    );
  }

  /** The item index (filter or image number) the user selected, or null. */
  get selected(): number | null {
    return this.get('selected');
  }

  set selected(index: number | null) {
    this.set({ selected: index });
  }

  /** Call `cb` with each newly selected index (null when cleared). Returns a remover. */
  observeSelected(cb: (index: number | null) => void): () => void {
    return this.observe('selected', (c) => cb(c.new));
  }

  /** Replace the tiles (the view redraws); a selection that no longer exists is cleared. */
  setTiles(tiles: Tiles): this {
    const selected = this.selected !== null && tiles.indices.includes(this.selected) ? this.selected : null;
    this.set({ images: tiles.images, image_shape: tiles.shape, labels: tiles.labels, indices: tiles.indices, selected });
    return this;
  }

  /** Validates the tiles, the selection and the display options. */
  protected coerce(s: ConvlensState<FilterGridState>): ConvlensState<FilterGridState> {
    const [n, h, w] = s.image_shape;
    if (!(s.images instanceof Uint8Array) || s.images.byteLength !== n * h * w * 4) { // convlens sends 'rgba' only
      throw new Error(`FilterGrid images must be RGBA bytes of shape [${s.image_shape.join(', ')}] (${n * h * w * 4} bytes)`);
    }
    if (s.labels.length !== n || s.indices.length !== n) {
      throw new Error(`FilterGrid needs one label and one index per tile (${n}); got ${s.labels.length} and ${s.indices.length}`);
    }
    if (s.selected !== null && !s.indices.includes(s.selected)) {
      throw new Error(`selected must be null or one of the shown indices (${describeIndices(s.indices)}); got ${JSON.stringify(s.selected)}`);
    }
    checkRange('tile_size', s.tile_size, 8, 512);
    checkRange('columns', s.columns, 0, 1000, true);
    checkRange('zoom', s.zoom, 0, 16);
    return s;
  }

  protected acceptsNull(key: string): boolean {
    return key === 'selected' || super.acceptsNull(key);
  }

  protected reprKeys(): string[] {
    return ['title', 'image_shape', 'selected'];
  }
}

function describeIndices(indices: number[]): string {
  if (indices.length === 0) return 'none';
  const sorted = [...indices].sort((a, b) => a - b);
  const contiguous = sorted.every((v, i) => v === sorted[0] + i);
  return contiguous ? `${sorted[0]}..${sorted[sorted.length - 1]}` : sorted.join(', ');
}

/**
 * Show every filter of the conv layer `layerName` as a tile (hover zooms; click sets
 * `selected` to the filter number, readable in the kernel with `grid.selected` or
 * `grid.observeSelected(cb)`). Options: `channel` ('rgb' | 'mean' | index; default RGB for 3
 * input channels, else the mean), `sort: 'norm'`, `normalize`, `tileSize`, `columns`, `zoom`, `title`.
 * @throws listing the model's layers when `layerName` is unknown, and the conv layers when it
 * names a layer without filters.
 */
export async function filterGrid(model: tf.LayersModel, layerName: string, opts: FilterGridOptions = {}): Promise<FilterGrid> {
  const stack = layerFilters(model, layerName);
  try {
    const tiles = await tilesOfFilters(stack, opts);
    return new FilterGrid(tiles, {
      ...opts,
      title: opts.title ?? layerName,
      caption: opts.caption ?? describeFilters(layerName, stack, opts.channel, opts.normalize),
    });
  } finally {
    stack.dispose();
  }
}

/**
 * Show a stack of images as a grid of tiles with hover zoom; clicking a tile sets `selected`.
 * `images`: `[n, h, w, c]` (c = 3 drawn as RGB, else the mean or `channel`), `[n, h, w]`, or
 * with `layout: 'channels'` the feature maps `[1, h, w, k]` of one image. The tensor is not disposed.
 *
 * ```ts
 * const maps = await lens.imageGrid(model.layers[0].apply(x) as tf.Tensor, { layout: 'channels' });
 * ```
 */
export async function imageGrid(images: tf.Tensor, opts: ImageGridOptions = {}): Promise<FilterGrid> {
  await checkFinite('images', images);
  return new FilterGrid(await imageTiles(images, opts), opts);
}
