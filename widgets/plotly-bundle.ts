/**
 * The partial Plotly build convlens ships: plotly.js core plus only the traces convlens draws
 * (scattergl for t-SNE, bar for dissection histograms, heatmap for matrices). Loaded lazily by
 * plotly-chart.ts so views without charts never pay for it.
 */
/* eslint-disable @typescript-eslint/no-var-requires */
const Plotly = require('plotly.js/lib/core');

Plotly.register([
  require('plotly.js/lib/scattergl'),
  require('plotly.js/lib/bar'),
  require('plotly.js/lib/heatmap'),
]);

/** The registered Plotly object (`newPlot`, `react`, `purge`, `Plots.resize`, ...). */
export default Plotly;
