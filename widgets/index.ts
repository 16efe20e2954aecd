/**
 * The `convlens` widget module: every model and view the kernel can name in `_model_name` /
 * `_view_name`, plus the shared drawing pieces that other convlens views build on.
 * This object is what the JupyterLab plugin, the classic Notebook extension, VS Code and the
 * static HTML embed bundle register under the module name `convlens`.
 */
export { MODULE_NAME, MODULE_VERSION, PACKAGE_VERSION, convlensIdentity } from './version';
export { FilterGridModel, FilterGridView } from './filter-grid';
export { OcclusionExplorerModel, OcclusionExplorerView } from './occlusion-explorer';
export { AttributionModel, AttributionView } from './attribution-view';
export { RegularizationLabModel, RegularizationLabView } from './regularization-lab';
export { TsneScatterModel, TsneScatterView } from './tsne-scatter';
export { NeighborsModel, NeighborsView } from './neighbors-view';
export { DissectionHistogramModel, DissectionHistogramView } from './dissection-histogram';
export { DissectionComparisonModel, DissectionComparisonView } from './dissection-comparison';
export { TileGrid } from './tile-grid';
export type { TileGridOptions } from './tile-grid';
export { HeatmapOverlay } from './heatmap-overlay';
export type { HeatmapInfo } from './heatmap-overlay';
export { ColorBar, formatTick } from './colorbar';
export { colormapLut, colormapCss, plotlyColorscale, COLORMAPS } from './colormap';
export type { ColormapName } from './colormap';
export { showTooltip, hideTooltip, attachTooltip } from './tooltip';
export { applyThemeClass, isDarkTheme, themeColors, onThemeChange } from './theme';
export type { ThemeColors } from './theme';
export { ConvlensView, convlensModel } from './convlens-view';
export { BINARY_SERIALIZER, isEmptyBuffer, decodeImages, rgbaStack, pngCanvas, imageDataCanvas, makeCanvas, bytesOf, float32Of } from './image-buffer';
export { createChart, loadPlotly, themedLayout, PlotlyChart, PLOTLY_TRACES } from './plotly-chart';
export type { PlotlyObject, PlotPoint } from './plotly-chart';
export { UnitExplorerModel, UnitExplorerView } from './unit-explorer';
export { EpochSliderModel, EpochSliderView } from './epoch-slider';
