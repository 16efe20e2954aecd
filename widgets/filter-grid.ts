/**
 * FilterGrid: every filter of a conv layer (or any stack of images: activations, patches) as a
 * grid of tiles. Hover zooms a tile; clicking one sets `selected`, which syncs to the kernel so a
 * notebook cell can react. The kernel side is `filterGrid` / `imageGrid` in kernel-lib.
 */
import { FILTER_GRID, type FilterGridState } from '../kernel-lib/widgets/state/filter-grid';
import { ConvlensView, convlensModel } from './convlens-view';
import { decodeImages, type WireBuffer } from './image-buffer';
import { applyThemeClass } from './theme';
import { TileGrid } from './tile-grid';

/** The FilterGrid state as the page sees it. */
type State = FilterGridState<WireBuffer>;

/** Model of a FilterGrid: the state declared in kernel-lib/widgets/state/filter-grid.ts. */
export const FilterGridModel = convlensModel(FILTER_GRID);

/** View of a FilterGrid: title, tile grid with hover zoom, caption. */
export class FilterGridView extends ConvlensView<State> {
  private grid: TileGrid | undefined;
  private titleEl!: HTMLDivElement;
  private captionEl!: HTMLDivElement;
  private renderToken = 0;

  /** Build the DOM and subscribe to model changes. */
  render(): void {
    applyThemeClass(this.el);
    this.el.classList.add('convlens-filter-grid');
    this.titleEl = document.createElement('div');
    this.titleEl.className = 'cl-title';
    this.captionEl = document.createElement('div');
    this.captionEl.className = 'cl-caption';
    this.grid = new TileGrid({ ...this.layoutOptions(), onSelect: (i) => this.select(i) });
    this.el.append(this.titleEl, this.grid.element, this.captionEl);
    this.onChange(['images', 'image_shape', 'image_format', 'labels', 'indices'], () => this.drawTiles());
    this.onChange(['selected'], () => this.drawSelection());
    this.onChange(['tile_size', 'columns', 'zoom'], () => this.drawLayout());
    this.onChange(['title', 'caption'], () => this.drawText());
    this.drawText();
    void this.drawTiles();
  }

  /** Remove the grid's handlers with the view. */
  remove(): void {
    this.grid?.dispose();
    super.remove();
  }

  private layoutOptions() {
    return {
      tileSize: this.state('tile_size') || 48,
      columns: this.state('columns') || 0,
      zoom: this.state('zoom') || 0,
    };
  }

  /** Item index shown by tile `position` (`indices` maps tiles to filters/images). */
  private itemAt(position: number): number {
    const indices = this.state('indices') ?? [];
    return indices.length > position ? indices[position] : position;
  }

  private select(position: number): void {
    this.setState({ selected: this.itemAt(position) });
  }

  private drawText(): void {
    this.titleEl.textContent = this.state('title') || '';
    this.titleEl.style.display = this.titleEl.textContent ? '' : 'none';
    this.captionEl.textContent = this.state('caption') || '';
    this.captionEl.style.display = this.captionEl.textContent ? '' : 'none';
  }

  private drawLayout(): void {
    this.grid?.setOptions(this.layoutOptions());
  }

  /** Under each tile, the item index it shows (the filter number). */
  private drawIndices(): void {
    for (let i = 0; i < (this.grid?.count ?? 0); i++) {
      const badge = document.createElement('span');
      badge.className = 'cl-tile-index';
      badge.textContent = String(this.itemAt(i));
      this.grid!.tile(i)!.appendChild(badge);
    }
  }

  private drawSelection(): void {
    const selected = this.state('selected');
    const count = this.grid?.count ?? 0;
    const position = Array.from({ length: count }, (_, i) => i).find((i) => this.itemAt(i) === selected);
    this.grid?.setSelected(typeof selected === 'number' && position !== undefined ? position : null);
  }

  private async drawTiles(): Promise<void> {
    const token = ++this.renderToken;
    const images = this.state('images');
    if (!images || !this.grid) return;
    try {
      const canvases = await decodeImages(this.state('image_format'), images, this.state('image_shape'));
      if (token !== this.renderToken) return;
      this.grid.setImages(canvases, this.state('labels'));
      this.drawIndices();
      this.drawSelection();
    } catch (err) {
      this.captionEl.textContent = String(err);
      this.captionEl.style.display = '';
    }
  }
}
