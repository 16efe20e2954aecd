/**
 * Colour maps for heatmaps and colour bars, as 256-entry RGB lookup tables built from a few stops
 * (sampled from matplotlib's maps). Pure data and arithmetic: usable in the browser and the kernel.
 */

/** Names of the colour maps convlens knows. */
export type ColormapName = 'viridis' | 'inferno' | 'jet' | 'RdBu' | 'gray';

const STOPS: Record<ColormapName, string[]> = {
  viridis: ['#440154', '#482878', '#3e4989', '#31688e', '#26828e', '#1f9e89', '#35b779', '#6ece58', '#b5de2b', '#fde725'],
  inferno: ['#000004', '#1b0c41', '#4a0c6b', '#781c6d', '#a52c60', '#cf4446', '#ed6925', '#fb9b06', '#f7d13d', '#fcffa4'],
  jet: ['#00007f', '#0000ff', '#007fff', '#00ffff', '#7fff7f', '#ffff00', '#ff7f00', '#ff0000', '#7f0000'],
  // Diverging, negative = blue, zero = white, positive = red (signed attributions).
  RdBu: ['#053061', '#2166ac', '#4393c3', '#92c5de', '#d1e5f0', '#f7f7f7', '#fddbc7', '#f4a582', '#d6604d', '#b2182b', '#67001f'],
  gray: ['#000000', '#ffffff'],
};

/** All colour map names. */
export const COLORMAPS = Object.keys(STOPS) as ColormapName[];

const cache = new Map<ColormapName, Uint8Array>();

function hexToRgb(hex: string): number[] {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
}

/** The 256 x 3 uint8 lookup table of a colour map (index 0 = low end). */
export function colormapLut(name: ColormapName): Uint8Array {
  const stops = STOPS[name];
  if (!stops) {
    throw new Error(`convlens: unknown colour map ${JSON.stringify(name)}; use one of ${COLORMAPS.join(', ')}`);
  }
  let lut = cache.get(name);
  if (!lut) {
    const rgb = stops.map(hexToRgb);
    lut = new Uint8Array(256 * 3);
    for (let i = 0; i < 256; i++) {
      const t = (i / 255) * (rgb.length - 1);
      const k = Math.min(rgb.length - 2, Math.floor(t));
      const f = t - k;
      for (let c = 0; c < 3; c++) lut[i * 3 + c] = Math.round(rgb[k][c] * (1 - f) + rgb[k + 1][c] * f);
    }
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
