/**
 * FilterGrid: every filter of a conv layer (or any stack of images: activations, patches) as a
 * grid of tiles. Hover zooms a tile; clicking one sets `selected`, which syncs to the kernel so a
 * notebook cell can react. The kernel side is `filterGrid` / `imageGrid` in kernel-lib.
 */
import { DOMWidgetModel, DOMWidgetView, ISerializers } from '@jupyter-widgets/base';
import { BINARY_SERIALIZER, decodeImages, ImageFormat, WireBuffer } from './image-buffer';
import { applyThemeClass } from './theme';
import { TileGrid } from './tile-grid';
import { convlensIdentity } from './version';

/** Model of a FilterGrid; the state mirrors the kernel-side widget. */
export class FilterGridModel extends DOMWidgetModel {
  /** Default state of a new FilterGrid. */
  defaults() {
    return {
      ...super.defaults(),
      ...convlensIdentity('FilterGrid'),
      images: null as WireBuffer | WireBuffer[] | null,
      image_shape: [0, 0, 0] as number[],
      image_format: 'rgba' as ImageFormat,
      labels: [] as string[],
      indices: [] as number[],
      selected: null as number | null,
      tile_size: 48,
      columns: 0,
      zoom: 4,
      title: '',
      caption: '',
    };
  }

  /** `images` stays binary when the state is serialized (e.g. saved into the notebook). */
  static serializers: ISerializers = { ...DOMWidgetModel.serializers, images: BINARY_SERIALIZER };
}

/** View of a FilterGrid: title, tile grid with hover zoom, caption. */
export class FilterGridView extends DOMWidgetView {
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
    this.listenTo(this.model, 'change:images change:image_shape change:image_format change:labels change:indices', this.drawTiles);
    this.listenTo(this.model, 'change:selected', this.drawSelection);
    this.listenTo(this.model, 'change:tile_size change:columns change:zoom', this.drawLayout);
    this.listenTo(this.model, 'change:title change:caption', this.drawText);
    this.drawText();
    void this.drawTiles();
  }

  /** Remove the grid's handlers with the view. */
  remove(): any {
    this.grid?.dispose();
    return super.remove();
  }

  private layoutOptions() {
    return {
      tileSize: Number(this.model.get('tile_size')) || 48,
      columns: Number(this.model.get('columns')) || 0,
      zoom: Number(this.model.get('zoom')) || 0,
    };
  }

  /** Item index shown by tile `position` (`indices` maps tiles to filters/images). */
  private itemAt(position: number): number {
    const indices: number[] = this.model.get('indices') ?? [];
    return indices.length > position ? indices[position] : position;
  }

  private select(position: number): void {
    this.model.set('selected', this.itemAt(position));
    this.touch();
  }

  private drawText(): void {
    this.titleEl.textContent = this.model.get('title') || '';
    this.titleEl.style.display = this.titleEl.textContent ? '' : 'none';
    this.captionEl.textContent = this.model.get('caption') || '';
    this.captionEl.style.display = this.captionEl.textContent ? '' : 'none';
  }

  private drawLayout(): void {
    this.grid?.setOptions(this.layoutOptions());
  }

  private drawSelection(): void {
    const selected = this.model.get('selected');
    const count = this.grid?.count ?? 0;
    const position = Array.from({ length: count }, (_, i) => i).find((i) => this.itemAt(i) === selected);
    this.grid?.setSelected(typeof selected === 'number' && position !== undefined ? position : null);
  }

  private async drawTiles(): Promise<void> {
    const token = ++this.renderToken;
    const images = this.model.get('images');
    if (!images || !this.grid) return;
    try {
      const canvases = await decodeImages(this.model.get('image_format'), images, this.model.get('image_shape'));
      if (token !== this.renderToken) return;
      this.grid.setImages(canvases, this.model.get('labels'));
      this.drawSelection();
    } catch (err) {
      this.captionEl.textContent = String(err);
      this.captionEl.style.display = '';
    }
  }
}
