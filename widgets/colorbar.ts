/**
 * A vertical colour bar: the colour map as a gradient with its value range written at the ends,
 * themed through CSS.
 */
import { colormapLut, type ColormapName } from './colormap';
import { makeCanvas } from './image-buffer';

/** Format a colour bar tick compactly (3 significant digits). */
export function formatTick(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e4)) return value.toExponential(2);
  return String(Number(value.toPrecision(3)));
}

/** A colour bar element: `update` redraws it for a colour map and value range. */
export class ColorBar {
  /** The root element to insert into a view. */
  readonly element: HTMLDivElement;
  private canvas: HTMLCanvasElement;
  private ticks: HTMLSpanElement[];

  constructor(height = 160) {
    this.element = document.createElement('div');
    this.element.className = 'cl-colorbar';
    this.canvas = makeCanvas(1, 256);
    this.canvas.style.height = `${height}px`;
    this.ticks = [0, 1].map(() => document.createElement('span'));
    this.element.append(this.ticks[0], this.canvas, this.ticks[1]);
  }

  /** Draw `name` from `min` (bottom) to `max` (top); `label` is shown as the tooltip. */
  update(name: ColormapName, min: number, max: number, label = ''): void {
    const lut = colormapLut(name);
    const ctx = this.canvas.getContext('2d')!;
    const image = ctx.createImageData(1, 256);
    // 256 LUT rows, top = max: a fixed-size copy, not an image-sized loop.
    for (let i = 0; i < 256; i++) {
      image.data.set([lut[(255 - i) * 3], lut[(255 - i) * 3 + 1], lut[(255 - i) * 3 + 2], 255], i * 4);
    }
    ctx.putImageData(image, 0, 0);
    this.ticks[0].textContent = formatTick(max);
    this.ticks[1].textContent = formatTick(min);
    this.element.title = label;
  }
}
