/**
 * Drawing, the bottom layer (no model knowledge): colour maps, min-max stretch, RGBA bytes, PNG
 * and JPEG codecs, heatmaps over images, signed gradient images, tiling into one grid image.
 */
export * from './colormaps';
export * from './normalize';
export * from './rgba';
export * from './image-codec';
export * from './heatmap';
export * from './tile-images';
