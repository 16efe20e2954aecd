/**
 * Techniques with one call shape `method(model, images, { target, ...RunControl })` and one
 * result type (`map`, `classes`, `dispose()`): attribution methods (one file each in
 * `attribution/`, `smooth` wrapping any of them), the CAM family (`cam/`, one channel-weights
 * hook), and the registry views read. Drawing their maps is the render layer's.
 */
export { type Attribution, type AttributionOptions, type PixelAttribution, type ChannelReduction, reduceChannels, upsampleMaps } from './common/attribution';
export { type Target, type TargetFunction, type ResolvedTarget, type TargetPlan, type TargetValue, resolveTarget, planTarget, classScores } from './common/target';
export * from './attribution/occlusion';
export * from './attribution/saliency';
export * from './attribution/saliency-segmentation';
export * from './attribution/integrated-gradients';
export * from './attribution/smooth';
export * from './attribution/guided-backprop';
export * from './attribution/deconvnet';
export type { BackpropOptions, BackpropAttribution } from './attribution/modified-backprop';
export type { ClassActivationMap, CamOptions, CamVariant, CamInputs } from './cam/channel-weights';
export * from './cam/cam';
export * from './cam/grad-cam';
export * from './cam/grad-cam-plus-plus';
export * from './cam/guided-grad-cam';
export * from './registry';
export * from './feature-vis';
export * as featureSpace from './feature-space';
export * as units from './units';
