/**
 * The colour stops of convlens's colour maps (sampled from matplotlib), pure data shared by the
 * kernel (tensor-op colouring) and the browser bundle (colour bars, Plotly colourscales). No tfjs here: the browser bundles import this file.
 */

/** Names of the colour maps: sequential 'jet', 'viridis', 'inferno', 'gray'; diverging 'coolwarm'. */
export type ColormapName = 'jet' | 'viridis' | 'inferno' | 'gray' | 'coolwarm';

/** Hex colour stops of each colour map, low end first; interpolate linearly between them. */
export const COLORMAP_STOPS: Readonly<Record<ColormapName, readonly string[]>> = {
  jet: ['#00007f', '#0000ff', '#007fff', '#00ffff', '#7fff7f', '#ffff00', '#ff7f00', '#ff0000', '#7f0000'],
  viridis: ['#440154', '#482878', '#3e4989', '#31688e', '#26828e', '#1f9e89', '#35b779', '#6ece58', '#b5de2b', '#fde725'],
  inferno: ['#000004', '#1b0c41', '#4a0c6b', '#781c6d', '#a52c60', '#cf4446', '#ed6925', '#fb9b06', '#f7d13d', '#fcffa4'],
  gray: ['#000000', '#ffffff'],
  coolwarm: ['#3b4cc0', '#7396f5', '#b0cbfc', '#dddddd', '#f6bfa6', '#ea7b60', '#b40426'],
};

/** All colour map names. */
export const COLORMAP_NAMES = Object.keys(COLORMAP_STOPS) as ColormapName[];

/**
 * 256 RGB entries in [0, 1], linearly interpolated between the stops of `name`.
 * @throws naming the unknown colour map and the known ones.
 */
export function colormapTable(name: ColormapName): number[][] {
  const stops = COLORMAP_STOPS[name];
  if (!stops) throw new Error(`Unknown colormap ${JSON.stringify(name)}; choose one of ${COLORMAP_NAMES.join(', ')}`);
  const rgb = stops.map((h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16) / 255));
  return Array.from({ length: 256 }, (_, i) => {
    const t = (i / 255) * (rgb.length - 1);
    const k = Math.min(rgb.length - 2, Math.floor(t));
    const f = t - k;
    return rgb[k].map((v, ch) => v * (1 - f) + rgb[k + 1][ch] * f);
  });
}
