/**
 * The kernel side of the FilterGrid widget (view: widgets/filter-grid.ts): a grid of image tiles
 * sent as one RGBA buffer, with a `selected` item the user sets by clicking a tile.
 * Build it with {@link filterGrid} (a conv layer's filters) or {@link imageGrid} (any stack).
 */
import { DOMWidget, type DOMWidgetState } from '../ipywidgets/dom-widget';
import type { WidgetOptions } from '../ipywidgets/widget';
import { convlensIdentity } from './convlens-module';

/** Tiles ready to send: RGBA bytes of shape `[n, h, w]` and what each tile shows. */
export interface Tiles {
  /** RGBA bytes, `n * h * w * 4`. */
  images: Uint8Array;
  /** `[n, h, w]`. */
  shape: [number, number, number];
  /** Tooltip of each tile, in display order. */
  labels: string[];
  /** Item index (filter number, image number) of each tile, in display order. */
  indices: number[];
}

/** FilterGridModel state. */
export interface FilterGridState extends DOMWidgetState {
  /** RGBA bytes of all tiles (one binary buffer). */
  images: Uint8Array;
  /** `[n, h, w]` of `images`. */
  image_shape: number[];
  /** `'rgba'` (raw bytes, as sent by convlens) or `'png'`. */
  image_format: 'rgba' | 'png';
  labels: string[];
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

function checkRange(name: string, value: number, lo: number, hi: number, integer = false): void {
  if (typeof value !== 'number' || !(value >= lo && value <= hi) || (integer && !Number.isInteger(value))) {
    throw new Error(`${name} must be ${integer ? 'an integer' : 'a number'} in [${lo}, ${hi}]; got ${JSON.stringify(value)}`);
  }
}

/** A grid of image tiles in the notebook; `selected` follows the user's clicks. */
export class FilterGrid extends DOMWidget<FilterGridState> {
  constructor(tiles: Tiles, display: GridDisplayOptions = {}, options: WidgetOptions = {}) {
    super(
      convlensIdentity('FilterGrid'),
      {
        images: tiles.images,
        image_shape: tiles.shape,
        image_format: 'rgba',
        labels: tiles.labels,
        indices: tiles.indices,
        selected: null,
        tile_size: display.tileSize ?? 48,
        columns: display.columns ?? 0,
        zoom: display.zoom ?? 4,
        title: display.title ?? '',
        caption: display.caption ?? '',
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
  protected coerce(s: FilterGridState): FilterGridState {
    const [n, h, w] = s.image_shape;
    if (!(s.images instanceof Uint8Array) || s.images.byteLength !== n * h * w * 4) {
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

  /** Tile bytes are not echoed back to frontends. */
  protected echoes(key: string): boolean {
    return key !== 'images';
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
