/**
 * convlens: see inside convolutional networks from a Jupyter notebook.
 *
 * This is the notebook namespace (`import * as lens from "convlens"`): the techniques, models,
 * data, drawing helpers, the convlens widgets and the standard controls a notebook needs. The
 * widget protocol (`Widget`, `DOMWidget`, wire encoding, the offline transport) is behind
 * `convlens/widgets`, the kernel behind `convlens/kernel`. `docs/architecture.md` says which
 * folder owns what.
 */
export { tf } from './tf';
export { initBackend, type BackendInfo } from './backend';
export { page } from './kernel/pager';
export { toMimeBundle } from './comm/mime-bundle';

// Techniques: one call shape `method(model, images, { target, ...RunControl })`.
export type { Attribution, AttributionOptions, PixelAttribution } from './techniques/common/attribution';
export type { Target } from './techniques/common/target';
export type { RunControl, RunProgress } from './core/run-control';
export { occlusion } from './techniques/attribution/occlusion';
export { saliency } from './techniques/attribution/saliency';
export { integratedGradients } from './techniques/attribution/integrated-gradients';
export { guidedBackprop } from './techniques/attribution/guided-backprop';
export { deconvnet } from './techniques/attribution/deconvnet';
export { smooth } from './techniques/attribution/smooth';
export { cam } from './techniques/cam/cam';
export { gradCam } from './techniques/cam/grad-cam';
export { gradCamPlusPlus } from './techniques/cam/grad-cam-plus-plus';
export { guidedGradCam } from './techniques/cam/guided-grad-cam';
export { ATTRIBUTION_METHODS, type AttributionMethod } from './techniques/registry';

// Drawing: colour maps, heatmaps, PNG, RGBA, stretch, tiling (no model knowledge).
export { colorize, overlayHeatmap, heatmapPNG, gradientImage, gradientImagePNG, imagePNG } from './render/heatmap';
export { decodeImage, encodePng, encodeJpeg } from './render/image-codec';
export { tensorToRgba, rgbaToTensor } from './render/rgba';
export { toDisplayRange } from './render/normalize';
export { tileImages } from './render/tile-images';

// Data.
export { readImage, writeImage } from './data/image-files';
export { resizeImages } from './data/image-transform';
export { channelStats, normalize, denormalize, IMAGENET_STATS } from './data/normalization';
export { loadFashionMnist, FASHION_MNIST_CLASSES } from './data/fashion-mnist';
export { shapesDataset } from './data/shapes-dataset';

// Models.
export { loadModel, zoo } from './models/zoo';
export { loadLayersModel, loadGraphModel } from './models/load-model';
export { fileSystem } from './models/file-io';
export { listLayers, getLayer } from './models/layers';
export { tap, activations, activationBatches } from './models/activations';
export { modelLogits } from './models/logits';
export { receptiveField, receptiveFields, receptiveFieldBox } from './models/receptive-field';
export { train, evaluate, accuracy } from './models/train';

// The convlens widgets.
export { FilterGrid, filterGrid, imageGrid } from './widgets/filter-grid';
export { filterTiles } from './widgets/filter-tiles';
export { occlusionExplorer } from './widgets/occlusion-explorer';
export { attributionView } from './widgets/attribution-view';

// The standard controls (ipywidgets 8), Output, interact and progress.
export { IntSlider, FloatSlider, FloatLogSlider, IntRangeSlider } from './ipywidgets/sliders';
export { Dropdown, ToggleButtons } from './ipywidgets/selection';
export { Checkbox } from './ipywidgets/checkbox';
export { Button } from './ipywidgets/button';
export { Text, Label, HTML } from './ipywidgets/text';
export { Image } from './ipywidgets/image';
export { IntProgress } from './ipywidgets/int-progress';
export { Play } from './ipywidgets/play';
export { HBox, VBox, Tab } from './ipywidgets/boxes';
export { Output } from './ipywidgets/output';
export { Layout } from './ipywidgets/layout';
export { jslink, jsdlink } from './ipywidgets/link';
export { interact } from './ipywidgets/interact';
export { progress } from './ipywidgets/progress';
export { clearOutput, publishDisplayData } from './ipywidgets/output-capture';
