/**
 * The partial Plotly build convlens ships: plotly.js core plus only the traces convlens draws
 * (scattergl for t-SNE, bar for dissection histograms, heatmap for matrices). Loaded lazily by
 * plotly-chart.ts so views without charts never pay for it.
 */

/** A Plotly trace, layout or config object. */
export type PlotlyObject = Record<string, unknown>;

/** The part of Plotly's API convlens calls (plotly.js's partial builds ship no TypeScript types). */
export interface PlotlyApi {
  register(modules: unknown[]): void;
  react(el: HTMLElement, data: PlotlyObject[], layout: PlotlyObject, config: PlotlyObject): Promise<unknown>;
  purge(el: HTMLElement): void;
  Plots: { resize(el: HTMLElement): void };
}

/* eslint-disable @typescript-eslint/no-require-imports -- the partial builds are untyped CommonJS modules */
const Plotly = require('plotly.js/lib/core') as PlotlyApi;
Plotly.register([
  require('plotly.js/lib/scattergl') as unknown,
  require('plotly.js/lib/bar') as unknown,
  require('plotly.js/lib/heatmap') as unknown,
]);
/* eslint-enable @typescript-eslint/no-require-imports */

/** The registered Plotly object (`newPlot`, `react`, `purge`, `Plots.resize`, ...). */
export default Plotly;
