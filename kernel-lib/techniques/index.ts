/**
 * Which pixels matter: occlusion, saliency (SmoothGrad, Integrated Gradients), guided
 * backpropagation, deconvnet, CAM, Grad-CAM and guided Grad-CAM, with one call shape
 * `method(model, images, { target, layer, ... })`. Drawing their maps is the render layer's.
 */
export { type Attribution, type AttributionOptions, type PixelAttribution, type ChannelReduction, reduceChannels, upsampleMaps } from './attribution';
export { type Target, type TargetFunction, type ResolvedTarget, resolveTarget, classScores } from './target';
export * from './occlusion';
export * from './saliency';
export * from './guided-backprop';
export * from './deconvnet';
export type { BackpropOptions, BackpropAttribution } from './modified-backprop';
export * from './cam';
export * from './grad-cam';
export * from './guided-grad-cam';
export type { ClassActivationMap } from './class-maps';
export { gaussianBlur } from './blur';
