/**
 * convlens's own widgets on the kernel side (views in the `convlens` browser module): the
 * FilterGrid for conv filters and image stacks, and the tensor-op tile helpers other views reuse.
 */
export { convlensModule, convlensIdentity } from './convlens-module';
export { FilterGrid, type FilterGridState, type GridDisplayOptions, type Tiles } from './filter-grid-widget';
export { filterGrid, filterTiles, layerFilters, type FilterGridOptions } from './filter-grid';
export { imageGrid, imageTiles, type ImageGridOptions } from './image-grid';
export { stackTiles, type TileOptions } from './image-tiles';
export { tileNorms, selectChannels } from './tiles';
export { COLORMAP_STOPS, COLORMAP_NAMES } from '../render/colormaps';
export { OcclusionExplorer, occlusionExplorer, type OcclusionExplorerOptions, type OcclusionExplorerState, type OcclusionQuantity } from './occlusion-explorer';
export { AttributionView, attributionView, type AttributionViewOptions, type AttributionViewState } from './attribution-view';
