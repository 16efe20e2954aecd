/**
 * UnitExplorer: a layer's units as tiles of their strongest patch; clicking one shows its top-k
 * patches and the images they came from with the receptive field outlined; a probe image's
 * activation maps, where hovering a position outlines that unit's field on the probe. Tiles are
 * the shared TileGrid. The kernel side is `unitExplorer` in kernel-lib.
 */
import { UNIT_EXPLORER, type UnitExplorerState } from '../kernel-lib/widgets/state/unit-explorer';
import { ConvlensView, convlensModel } from './convlens-view';
import { decodeImages, isEmptyBuffer, makeCanvas, type WireBuffer } from './image-buffer';
import { applyThemeClass } from './theme';
import { TileGrid } from './tile-grid';
import './unit-explorer.css';

type State = UnitExplorerState<WireBuffer>;
type Box = [number, number, number, number];

/** Model of a UnitExplorer: the state declared in kernel-lib/widgets/state/unit-explorer.ts. */
export const UnitExplorerModel = convlensModel(UNIT_EXPLORER);

const OUTLINE = '#ff3b30';

/** A copy of `image` with `box` outlined (1 image pixel wide). */
export function outlined(image: HTMLCanvasElement, box: Box | null): HTMLCanvasElement {
  const canvas = makeCanvas(image.width, image.height);
  const ctx = canvas.getContext('2d')!;
  ctx.drawImage(image, 0, 0);
  if (box) {
    const [y0, x0, y1, x1] = box;
    ctx.strokeStyle = OUTLINE;
    ctx.lineWidth = 1;
    ctx.strokeRect(x0 + 0.5, y0 + 0.5, Math.max(0, x1 - x0 - 1), Math.max(0, y1 - y0 - 1));
  }
  return canvas;
}

/** View of a UnitExplorer: unit grid | selected unit's patches and sources | probe and its maps. */
export class UnitExplorerView extends ConvlensView<State> {
  private units!: TileGrid;
  private patches!: TileGrid;
  private sources!: TileGrid;
  private maps!: TileGrid;
  private titleEl!: HTMLDivElement;
  private captionEl!: HTMLDivElement;
  private probeEl!: HTMLDivElement;
  private probeImage: HTMLCanvasElement | null = null;
  private probeShown!: HTMLCanvasElement;
  private token = 0;

  /** Build the DOM and subscribe to model changes. */
  render(): void {
    applyThemeClass(this.el);
    this.el.classList.add('convlens-unit-explorer');
    const size = () => ({ tileSize: this.state('tile_size') || 48, columns: 0, zoom: 4 });
    this.titleEl = document.createElement('div');
    this.titleEl.className = 'cl-title';
    this.captionEl = document.createElement('div');
    this.captionEl.className = 'cl-caption';
    this.units = new TileGrid({ ...size(), onSelect: (i) => this.setState({ selected: this.state('unit_indices')[i] ?? null }) });
    this.patches = new TileGrid({ ...size(), columns: 9 });
    this.sources = new TileGrid({ ...size(), columns: 9 });
    this.maps = new TileGrid({ ...size(), onSelect: (i) => this.setState({ selected: this.state('unit_indices')[i] ?? null }) });
    this.probeShown = makeCanvas(1, 1);
    this.probeShown.className = 'cl-pixelated cl-unit-probe';
    this.probeEl = document.createElement('div');
    this.probeEl.className = 'cl-unit-probe-row';
    this.probeEl.append(this.probeShown, this.maps.element);
    const section = (label: string, ...children: HTMLElement[]) => {
      const box = document.createElement('div');
      box.className = 'cl-unit-section';
      const head = document.createElement('div');
      head.className = 'cl-caption';
      head.textContent = label;
      box.append(head, ...children);
      return box;
    };
    this.el.append(
      this.titleEl,
      section('units (strongest patch each): click one', this.units.element),
      section('selected unit: top patches, and the images they came from', this.patches.element, this.sources.element),
      section('probe image and its activation maps: hover a map to outline a position\'s receptive field', this.probeEl),
      this.captionEl,
    );
    this.onChange(['unit_images', 'unit_shape', 'unit_labels'], () => this.draw());
    this.onChange(['patches', 'sources', 'source_boxes', 'patch_labels'], () => this.drawSelected());
    this.onChange(['probe', 'maps'], () => this.drawProbe());
    this.onChange(['selected'], () => this.drawSelection());
    this.onChange(['title', 'caption'], () => this.drawText());
    this.drawText();
    void this.draw();
    void this.drawSelected();
    void this.drawProbe();
  }

  /** Remove the grids' handlers with the view. */
  remove(): void {
    [this.units, this.patches, this.sources, this.maps].forEach((g) => g.dispose());
    super.remove();
  }

  private drawText(): void {
    this.titleEl.textContent = this.state('title') || '';
    this.captionEl.textContent = this.state('caption') || '';
  }

  private drawSelection(): void {
    const i = this.state('unit_indices').indexOf(this.state('selected') ?? -1);
    this.units.setSelected(i >= 0 ? i : null);
    this.maps.setSelected(i >= 0 && this.maps.count > 0 ? i : null);
  }

  private async draw(): Promise<void> {
    try {
      const tiles = await decodeImages('rgba', this.state('unit_images'), this.state('unit_shape'));
      this.units.setImages(tiles, this.state('unit_labels'));
      this.drawSelection();
    } catch (err) {
      this.captionEl.textContent = String(err);
    }
  }

  private async drawSelected(): Promise<void> {
    const token = ++this.token;
    try {
      const patches = await decodeImages('rgba', this.state('patches'), this.state('patch_shape'));
      const sources = await decodeImages('rgba', this.state('sources'), this.state('source_shape'));
      if (token !== this.token) return;
      const boxes = this.state('source_boxes') as Box[];
      const labels = this.state('patch_labels');
      this.patches.setImages(patches, labels);
      this.sources.setImages(sources.map((s, i) => outlined(s, boxes[i] ?? null)), labels);
    } catch (err) {
      this.captionEl.textContent = String(err);
    }
  }

  /** The clipped input box of position (i, j) of the layer's maps. */
  private fieldBox(i: number, j: number): Box {
    const [o0, o1] = this.state('field_origin');
    const [s0, s1] = this.state('field_stride');
    const [z0, z1] = this.state('field_size');
    const [, h, w] = this.state('probe_shape');
    const y0 = o0 + i * s0;
    const x0 = o1 + j * s1;
    return [Math.max(0, y0), Math.max(0, x0), Math.min(h, y0 + z0), Math.min(w, x0 + z1)];
  }

  private showProbe(box: Box | null): void {
    if (!this.probeImage) return;
    const drawn = outlined(this.probeImage, box);
    this.probeShown.width = drawn.width;
    this.probeShown.height = drawn.height;
    this.probeShown.getContext('2d')!.drawImage(drawn, 0, 0);
    this.probeShown.dataset.box = box ? box.join(',') : '';
  }

  private async drawProbe(): Promise<void> {
    const probe = this.state('probe');
    this.probeEl.style.display = isEmptyBuffer(probe) ? 'none' : '';
    if (isEmptyBuffer(probe)) return;
    try {
      [this.probeImage] = await decodeImages('rgba', probe, this.state('probe_shape'));
      this.probeShown.style.width = `${3 * (this.state('tile_size') || 48)}px`;
      this.showProbe(null);
      const maps = await decodeImages('rgba', this.state('maps'), this.state('map_shape'));
      this.maps.setImages(maps, this.state('unit_indices').map((u) => `unit ${u}`));
      const [, mh, mw] = this.state('map_shape');
      for (let t = 0; t < this.maps.count; t++) {
        const tile = this.maps.tile(t)!;
        const canvas = tile.querySelector('canvas') ?? tile;
        tile.addEventListener('mousemove', (e) => {
          const rect = canvas.getBoundingClientRect();
          const i = Math.min(mh - 1, Math.max(0, Math.floor(((e.clientY - rect.top) / rect.height) * mh)));
          const j = Math.min(mw - 1, Math.max(0, Math.floor(((e.clientX - rect.left) / rect.width) * mw)));
          this.showProbe(this.fieldBox(i, j));
        });
        tile.addEventListener('mouseleave', () => this.showProbe(null));
      }
      this.drawSelection();
    } catch (err) {
      this.captionEl.textContent = String(err);
    }
  }
}
