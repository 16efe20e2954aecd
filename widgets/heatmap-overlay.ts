/**
 * A heatmap drawn over an image: the base image, the colour-mapped heatmap on top with adjustable
 * opacity (scaled to the image size without smoothing artefacts at the edges), a colour bar, and a
 * tooltip with the heatmap value under the pointer. The kernel colour-maps the heatmap with tensor
 * ops (`colorize` in kernel-lib) and sends RGBA; the raw values are optional, for the tooltip.
 */
import { ColorBar, formatTick } from './colorbar';
import type { ColormapName } from './colormap';
import { attachTooltip, refreshTooltip } from './tooltip';

/** What the overlay shows besides the pixels. */
export interface HeatmapInfo {
  colormap: ColormapName;
  /** Value at the low end of the colour map. */
  min: number;
  /** Value at the high end of the colour map. */
  max: number;
  /** Name of the quantity, for the colour bar tooltip (e.g. "drop in class score"). */
  label?: string;
  /** Raw heatmap values, row-major `[h, w]`, for the pointer tooltip. */
  values?: Float32Array;
}

/** An image with a heatmap overlay, an opacity and a colour bar. */
export class HeatmapOverlay {
  /** The root element to insert into a view. */
  readonly element: HTMLDivElement;
  /** The stack of base image and heatmap; views add markers (e.g. the occluder) inside it. */
  readonly stack: HTMLDivElement;
  private base: HTMLCanvasElement;
  private heat: HTMLCanvasElement;
  private colorBar: ColorBar;
  private heatSize: [number, number] = [0, 0];
  private info: HeatmapInfo | undefined;
  private detachTooltip: () => void;
  private pointer: [number, number] | undefined;

  constructor(private displaySize = 224) {
    this.element = document.createElement('div');
    this.element.style.whiteSpace = 'nowrap';
    this.stack = document.createElement('div');
    this.stack.className = 'cl-overlay';
    this.base = document.createElement('canvas');
    this.heat = document.createElement('canvas');
    this.heat.className = 'cl-overlay-heat';
    this.stack.append(this.base, this.heat);
    this.colorBar = new ColorBar(displaySize * 0.8);
    this.element.append(this.stack, this.colorBar.element);
    this.stack.addEventListener('mousemove', (e) => (this.pointer = this.toHeatCoords(e)));
    this.detachTooltip = attachTooltip(this.stack, () => this.tooltipText());
  }

  /** Set the base image (any canvas); it is scaled to the display size keeping its aspect. */
  setImage(image: HTMLCanvasElement): void {
    const scale = this.displaySize / Math.max(image.width, image.height);
    const w = Math.round(image.width * scale);
    const h = Math.round(image.height * scale);
    for (const c of [this.base, this.heat]) {
      c.width = w;
      c.height = h;
      c.style.width = `${w}px`;
      c.style.height = `${h}px`;
    }
    const ctx = this.base.getContext('2d')!;
    ctx.imageSmoothingEnabled = image.width < w;
    ctx.drawImage(image, 0, 0, w, h);
  }

  /** Set the colour-mapped heatmap (RGBA canvas of any resolution) and its colour bar. */
  setHeatmap(rgba: HTMLCanvasElement, info: HeatmapInfo, smooth = true): void {
    this.info = info;
    this.heatSize = [rgba.height, rgba.width];
    const ctx = this.heat.getContext('2d')!;
    ctx.clearRect(0, 0, this.heat.width, this.heat.height);
    ctx.imageSmoothingEnabled = smooth;
    ctx.drawImage(rgba, 0, 0, this.heat.width, this.heat.height);
    this.colorBar.update(info.colormap, info.min, info.max, info.label ?? '');
    refreshTooltip(this.stack);
  }

  /** Opacity of the heatmap, 0 (hidden) to 1 (opaque). */
  setOpacity(opacity: number): void {
    this.heat.style.opacity = String(Math.max(0, Math.min(1, opacity)));
  }

  /** Show or hide the colour bar. */
  showColorBar(show: boolean): void {
    this.colorBar.element.style.display = show ? '' : 'none';
  }

  /** Remove handlers and elements. */
  dispose(): void {
    this.detachTooltip();
    this.element.remove();
  }

  private toHeatCoords(e: MouseEvent): [number, number] | undefined {
    const rect = this.heat.getBoundingClientRect();
    const [h, w] = this.heatSize;
    if (!h || !w || rect.width === 0) return undefined;
    const x = Math.floor(((e.clientX - rect.left) / rect.width) * w);
    const y = Math.floor(((e.clientY - rect.top) / rect.height) * h);
    return x >= 0 && y >= 0 && x < w && y < h ? [y, x] : undefined;
  }

  private tooltipText(): string {
    const info = this.info;
    if (!info || !this.pointer) return '';
    const [y, x] = this.pointer;
    const value = info.values?.[y * this.heatSize[1] + x];
    const name = info.label || 'value';
    return value === undefined ? `(${x}, ${y})` : `${name} at (${x}, ${y}): ${formatTick(value)}`;
  }
}
