/**
 * convlens: see inside convolutional networks from a Jupyter notebook.
 *
 * This is the notebook namespace (`import * as lens from "convlens"`): the techniques, models,
 * data, drawing helpers, the convlens widgets and the standard controls a notebook needs. The
 * widget protocol (`Widget`, `DOMWidget`, wire encoding, the offline transport) is behind
 * `convlens/widgets` (with `publishDisplayData` and `toMimeBundle`), the kernel behind
 * `convlens/kernel` (with `page`). `docs/architecture.md` says which folder owns what.
 */
export { tf } from './tf';
export { initBackend, backendReport, type BackendInfo } from './backend';

// Techniques: one call shape `method(model, images, { target, ...RunControl })`.
export type { Attribution, AttributionOptions } from './techniques/common/attribution';
export type { Target } from './techniques/common/target';
export type { RunControl } from './core/run-control';
export { occlusion } from './techniques/attribution/occlusion';
export { saliency } from './techniques/attribution/saliency';
export { saliencySegmentation, type SaliencySegmentation, type SaliencySegmentationOptions } from './techniques/attribution/saliency-segmentation';
export { integratedGradients } from './techniques/attribution/integrated-gradients';
export { guidedBackprop } from './techniques/attribution/guided-backprop';
export { deconvnet } from './techniques/attribution/deconvnet';
export { smooth } from './techniques/attribution/smooth';
export { cam } from './techniques/cam/cam';
export { gradCam } from './techniques/cam/grad-cam';
export { gradCamPlusPlus } from './techniques/cam/grad-cam-plus-plus';
export { guidedGradCam } from './techniques/cam/guided-grad-cam';
export { ATTRIBUTION_METHODS, type AttributionMethod } from './techniques/registry';

// Feature visualization: optimizeImage composes Lucid-style parts from three namespaces
// (lens.objectives.classLogit, lens.transforms.jitter, lens.regularizers.blur), and the presets.
export * as objectives from './techniques/feature-vis/objectives';
export * as transforms from './techniques/feature-vis/transforms';
export * as regularizers from './techniques/feature-vis/regularizers';
export { optimizeImage } from './techniques/feature-vis/optimize';
export { classModel } from './techniques/feature-vis/presets/class-model';
export { deepDream } from './techniques/feature-vis/presets/deep-dream';
export { invertFeatures } from './techniques/feature-vis/presets/inversion';
export { synthesizeTexture, styleTransfer } from './techniques/feature-vis/presets/style';
export { adversarial, foolingImages } from './techniques/feature-vis/presets/adversarial';

// Feature space: dataset features, neighbours, PCA, t-SNE and the embedding grid
// (lens.featureSpace.datasetFeatures, .pca, .embeddingGrid, ...); the two headline calls at the root.
export * as featureSpace from './techniques/feature-space';
export { tsne } from './techniques/feature-space/tsne';
export { nearestNeighbors } from './techniques/feature-space/neighbors';
// Network dissection: lens.dissect, the rest (reports, comparisons, concept datasets) in lens.dissection.
export { dissect } from './techniques/dissection/dissect';
export * as dissection from './techniques/dissection';

// Units up close: activation maps, maximally activating patches, training snapshots (lens.units.*).
export * as units from './techniques/units';
export { activationMaps } from './techniques/units/activation-maps';
export { maxActivatingPatches } from './techniques/units/max-patches';

// Drawing: colour maps, heatmaps, PNG, stretch, tiling (no model knowledge).
export { colorize, overlayHeatmap, heatmapPNG, gradientImage, gradientImagePNG, imagePNG } from './render/heatmap';
export { decodeImage, encodePng, encodeJpeg } from './render/image-codec';
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
export { modelLogits, modelClassNames } from './models/logits';
export { receptiveField, receptiveFields, receptiveFieldBox } from './models/receptive-field';
export { train, evaluate, accuracy } from './models/train';

// The convlens widgets.
export { FilterGrid, filterGrid, imageGrid } from './widgets/filter-grid';
export { filterTiles } from './widgets/filter-tiles';
export { occlusionExplorer } from './widgets/occlusion-explorer';
export { attributionView } from './widgets/attribution-view';
export { regularizationLab } from './widgets/regularization-lab';
export { tsneScatter } from './widgets/tsne-scatter';
export { neighborsView } from './widgets/neighbors-view';
export { dissectionHistogram } from './widgets/dissection-histogram';
export { dissectionComparison } from './widgets/dissection-comparison';

export { unitExplorer } from './widgets/unit-explorer';
export { epochSlider } from './widgets/epoch-slider';

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
export { clearOutput } from './ipywidgets/output-capture';
