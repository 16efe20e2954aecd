/**
 * An image tile grid: many small images (filters, activations, patches) laid out in a grid,
 * drawn crisp (no smoothing), with a magnified copy under the pointer (hover zoom), a tooltip per
 * tile, keyboard navigation, and one selected tile.
 */
import { attachTooltip } from './tooltip';

/** Options of a {@link TileGrid}. */
export interface TileGridOptions {
  /** Displayed width of one tile in CSS pixels. */
  tileSize: number;
  /** Number of columns; 0 fits as many as the width allows. */
  columns: number;
  /** Magnification of the hover zoom, relative to the displayed tile; 0 or 1 turns it off. */
  zoom: number;
  /** Called when the user clicks a tile (or presses Enter/Space on it). */
  onSelect?: (index: number) => void;
}

/** A grid of canvases with hover zoom and selection. */
export class TileGrid {
  /** The root element to insert into a view. */
  readonly element: HTMLDivElement;
  private tiles: HTMLButtonElement[] = [];
  private images: HTMLCanvasElement[] = [];
  private labels: string[] = [];
  private selected: number | null = null;
  private zoomEl: HTMLDivElement;
  private zoomCanvas: HTMLCanvasElement;
  private detach: Array<() => void> = [];

  constructor(private options: TileGridOptions) {
    this.element = document.createElement('div');
    this.element.className = 'cl-tile-grid';
    this.zoomEl = document.createElement('div');
    this.zoomEl.className = 'cl-zoom';
    this.zoomEl.style.display = 'none';
    this.zoomCanvas = document.createElement('canvas');
    this.zoomEl.appendChild(this.zoomCanvas);
    this.applyLayout();
  }

  /** Change size, columns or zoom. */
  setOptions(options: Partial<TileGridOptions>): void {
    this.options = { ...this.options, ...options };
    this.applyLayout();
  }

  /** Replace the tiles: one canvas per image, with a label used for the tooltip and aria-label. */
  setImages(images: HTMLCanvasElement[], labels: string[] = []): void {
    this.clearTiles();
    this.images = images;
    this.labels = images.map((_, i) => labels[i] ?? `#${i}`);
    images.forEach((image, i) => this.element.appendChild(this.makeTile(image, i)));
    this.element.appendChild(this.zoomEl);
    this.setSelected(this.selected);
  }

  /** Highlight tile `index` (null for none). Does not call onSelect. */
  setSelected(index: number | null): void {
    this.selected = index;
    this.tiles.forEach((tile, i) => {
      tile.classList.toggle('cl-selected', i === index);
      tile.setAttribute('aria-pressed', String(i === index));
    });
  }

  /** Number of tiles shown. */
  get count(): number {
    return this.tiles.length;
  }

  /** The tile element at `index` (for tests and for views that decorate tiles). */
  tile(index: number): HTMLButtonElement | undefined {
    return this.tiles[index];
  }

  /** Remove event handlers and elements. */
  dispose(): void {
    this.clearTiles();
    this.element.remove();
  }

  private applyLayout(): void {
    const { tileSize, columns } = this.options;
    this.element.style.gridTemplateColumns =
      columns > 0 ? `repeat(${columns}, ${tileSize}px)` : `repeat(auto-fill, ${tileSize}px)`;
  }

  private clearTiles(): void {
    this.detach.forEach((f) => f());
    this.detach = [];
    this.tiles.forEach((t) => t.remove());
    this.tiles = [];
  }

  private makeTile(image: HTMLCanvasElement, index: number): HTMLButtonElement {
    const tile = document.createElement('button');
    tile.type = 'button';
    tile.className = 'cl-tile';
    tile.dataset.index = String(index);
    tile.setAttribute('aria-label', this.labels[index]);
    image.classList.add('cl-pixelated');
    tile.appendChild(image);
    const enter = () => this.showZoom(index);
    const leave = () => (this.zoomEl.style.display = 'none');
    const handlers: Array<[string, (e: Event) => void]> = [
      ['mouseenter', enter],
      ['focus', enter],
      ['mouseleave', leave],
      ['blur', leave],
      ['click', () => this.options.onSelect?.(index)],
      ['keydown', (e) => this.moveFocus(index, e as KeyboardEvent)],
    ];
    handlers.forEach(([type, fn]) => tile.addEventListener(type, fn));
    this.detach.push(attachTooltip(tile, () => this.labels[index]), () =>
      handlers.forEach(([type, fn]) => tile.removeEventListener(type, fn)),
    );
    this.tiles.push(tile);
    return tile;
  }

  private showZoom(index: number): void {
    const { zoom, tileSize } = this.options;
    const image = this.images[index];
    if (!(zoom > 1) || !image) return;
    const scale = (tileSize * zoom) / image.width;
    this.zoomCanvas.width = Math.round(image.width * scale);
    this.zoomCanvas.height = Math.round(image.height * scale);
    const ctx = this.zoomCanvas.getContext('2d')!;
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(image, 0, 0, this.zoomCanvas.width, this.zoomCanvas.height);
    // Placed in viewport coordinates (position: fixed, like the tooltip), so output areas that
    // clip or scroll their content cannot cut the magnified copy off.
    const rect = this.tiles[index].getBoundingClientRect();
    const { width, height } = this.zoomCanvas;
    const right = rect.right + 6;
    const left = right + width > window.innerWidth ? rect.left - width - 6 : right;
    this.zoomEl.style.left = `${Math.max(0, left)}px`;
    this.zoomEl.style.top = `${Math.max(0, Math.min(rect.top, window.innerHeight - height - 2))}px`;
    this.zoomEl.style.display = 'block';
  }

  private moveFocus(index: number, e: KeyboardEvent): void {
    const perRow = Math.max(1, Math.round(this.element.clientWidth / (this.options.tileSize + 3)));
    const columns = this.options.columns > 0 ? this.options.columns : perRow;
    const step: Record<string, number> = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: columns, ArrowUp: -columns };
    const next = index + (step[e.key] ?? 0);
    if (next !== index && next >= 0 && next < this.tiles.length) {
      e.preventDefault();
      this.tiles[next].focus();
    }
  }
}
