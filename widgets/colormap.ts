/**
 * Colour maps in the browser: 256-entry uint8 lookup tables (for colour bars), CSS colours and
 * Plotly colourscales, from the stops shared with the kernel (kernel-lib/render/colormaps.ts).
 */
import { COLORMAP_NAMES, colormapTable, type ColormapName } from '../kernel-lib/render/colormaps';

export type { ColormapName };

/** All colour map names. */
export const COLORMAPS = COLORMAP_NAMES;

const cache = new Map<ColormapName, Uint8Array>();

/** The 256 x 3 uint8 lookup table of a colour map (index 0 = low end). */
export function colormapLut(name: ColormapName): Uint8Array {
  let lut = cache.get(name);
  if (!lut) {
    lut = Uint8Array.from(colormapTable(name).flat(), (v) => Math.round(v * 255));
    cache.set(name, lut);
  }
  return lut;
}

/** CSS colour of a colour map at `t` in [0, 1]. */
export function colormapCss(name: ColormapName, t: number): string {
  const lut = colormapLut(name);
  const i = Math.max(0, Math.min(255, Math.round(t * 255))) * 3;
  return `rgb(${lut[i]}, ${lut[i + 1]}, ${lut[i + 2]})`;
}

/** Plotly colorscale (`[[0, css], ..., [1, css]]`) of a colour map. */
export function plotlyColorscale(name: ColormapName, steps = 11): Array<[number, string]> {
  return Array.from({ length: steps }, (_, i) => [i / (steps - 1), colormapCss(name, i / (steps - 1))]);
}
