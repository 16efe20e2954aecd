/**
 * Which pixels matter: occlusion, saliency (SmoothGrad, Integrated Gradients), guided
 * backpropagation, deconvnet, CAM, Grad-CAM and guided Grad-CAM, with one call shape
 * `method(model, images, { target, layer, ... })`, and heatmap rendering.
 */
export { Attribution, AttributionOptions, PixelAttribution, ChannelReduction, reduceChannels, upsampleMaps } from './attribution';
export { Target, TargetFunction, ResolvedTarget, resolveTarget, modelLogits, probabilitiesFromLogits, modelClassNames, classScores } from './target';
export { RunControl, RunProgress, defaultBatchSize } from './run-control';
export * from './occlusion';
export * from './saliency';
export * from './guided-backprop';
export * from './deconvnet';
export { BackpropOptions, BackpropAttribution } from './modified-backprop';
export * from './cam';
export * from './grad-cam';
export * from './guided-grad-cam';
export { ClassActivationMap } from './class-maps';
export * from './heatmap';
export { gaussianBlur } from './blur';
export { findLayer, spatialLayer, gapHead, GapHead } from './layer-lookup';
export { runGraph, GraphRunOptions, GraphRunResult, ReluBackward } from './model-graph';
export * from './feature-vis';
