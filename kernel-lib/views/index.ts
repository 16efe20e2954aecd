/**
 * convlens's own widgets on the kernel side (views in the `convlens` browser module): the
 * FilterGrid for conv filters and image stacks, and the tensor-op tile helpers other views reuse.
 */
export { convlensModule, convlensIdentity } from './convlens-module';
export { FilterGrid, type FilterGridState, type GridDisplayOptions, type Tiles } from './filter-grid-widget';
export { filterGrid, filterTiles, layerFilters, type FilterGridOptions } from './filter-grid';
export { imageGrid, imageTiles, type ImageGridOptions } from './image-grid';
export { stackTiles, type TileOptions } from './image-tiles';
export { normalizeTiles, rgbaBytes, tileNorms, selectChannels, type TileNormalization } from './tiles';
export { COLORMAP_STOPS, COLORMAP_NAMES } from './colormap-stops';
export { OcclusionExplorer, occlusionExplorer, type OcclusionExplorerOptions, type OcclusionExplorerState, type OcclusionQuantity } from './occlusion-explorer';
export { AttributionView, attributionView, ATTRIBUTION_METHODS, type AttributionMethod, type AttributionViewOptions, type AttributionViewState } from './attribution-view';
export { RegularizationLab, regularizationLab, type RegularizationLabOptions, type RegularizationLabState, type LabSettings, type LabObjectiveKind } from './regularization-lab';
export { framesToGif, framesToPngStrip, type Frames } from './animation-export';
