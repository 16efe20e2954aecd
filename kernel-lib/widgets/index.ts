/**
 * convlens's own widgets on the kernel side (views in the `convlens` browser module; state
 * declared once in `state/`): the FilterGrid for conv filters and image stacks, the
 * OcclusionExplorer and the AttributionView, and the base every convlens widget builds on.
 */
export { ConvlensWidget, convlensIdentity, type ConvlensState } from './convlens-widget';
export { RecomputingWidget } from './recompute';
export { FilterGrid, filterGrid, imageGrid, type GridDisplayOptions, type FilterGridOptions, type ImageGridOptions } from './filter-grid';
export { filterTiles, layerFilters, kernelFilters, type FilterTileOptions } from './filter-tiles';
export { imageTiles, type ImageTileOptions } from './image-tiles';
export { stackTiles, tileNorms, selectChannels, type TileOptions, type Tiles } from './tiles';
export { OcclusionExplorer, occlusionExplorer, type OcclusionExplorerOptions, type OcclusionExplorerState, type OcclusionQuantity } from './occlusion-explorer';
export { AttributionView, attributionView, type AttributionViewOptions, type AttributionViewState } from './attribution-view';
export { RegularizationLab, regularizationLab, type RegularizationLabOptions, type RegularizationLabState, type LabSettings, type LabObjectiveKind } from './regularization-lab';
export { TsneScatter, tsneScatter, type TsneScatterOptions, type TsneScatterState, type TsneScatterData } from './tsne-scatter';
export { SCATTER_ALGORITHMS, type ScatterAlgorithm, type ScatterRun } from './tsne-scatter';
export { NeighborsView, neighborsView, type NeighborsViewOptions, type NeighborsViewState } from './neighbors-view';
export { DissectionHistogram, dissectionHistogram, type DissectionHistogramOptions, type DissectionHistogramState } from './dissection-histogram';
export { DissectionComparison, dissectionComparison, type DissectionComparisonState, type ComparisonMeasure } from './dissection-comparison';
export type { WidgetImage, ClassChoices } from './class-choices';
export { UnitExplorer, unitExplorer, type UnitExplorerOptions, type UnitExplorerState } from './unit-explorer';
export { EpochSlider, epochSlider, type EpochSliderOptions, type EpochSliderState } from './epoch-slider';
export { framesToGif, framesToPngStrip, type Frames } from './animation-export';
export type { FilterGridState } from './state/filter-grid';
export { defineWidget, widgetIdentity, WIDGET_MODULE, RUN_STATUS_DEFAULTS, type WidgetSpec, type RunStatusState } from './state/widget-spec';
