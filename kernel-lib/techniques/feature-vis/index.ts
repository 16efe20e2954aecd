/**
 * Images the network wants to see (course techniques 10 to 14): gradient ascent on the input with
 * the weights fixed, from four small parts that never import each other's internals: objectives
 * (what to maximise), parameterizations (pixels, Fourier in decorrelated colour), transforms
 * (jitter, scale, rotate, pad), regularizer operators (Yosinski et al.), run by
 * {@link optimizeImage}; and the presets that reproduce the course.
 */
export {
  Objective, objective, sumOf, classLogit, classLogProbability, channel, unit, neuron, layerL2, featureMatch, gramMatrix,
  gramMatch, l2Penalty, totalVariation, tvPenalty, type ObjectiveContext, type PerImage,
} from './objectives';
export { pixelParam, type ImageParam, type ParamInit, type ParamOptions } from './param';
export { fourierParam, irfft2d, rfft2d, dftTables, spectrumScale, type DftTables, type FourierParamOptions } from './fourier';
export { toCorrelatedColors, toDecorrelatedColors, COLOR_CORRELATION_SQRT } from './color';
export { transform, jitter, pad, scale, rotate, roll, rotateImages, fitImages, standardTransforms, type Transform, type FitMode } from './transforms';
export { regularizer, l2Decay, blur, clipNorm, clipContribution, tvStep, clipRange, rowPercentiles, type Regularizer, type RegularizerContext } from './regularizers';
export { optimizeImage, makeParam, type OptimizeImageOptions, type FeatureVisResult, type StepInfo, type Live, type ParamSpec } from './optimize';
export { classModel, yosinskiDefaults, yosinskiRegularizers, type ClassModelOptions, type ClassModelResult, type ClassModelMethod, type YosinskiSettings } from './presets/class-model';
export { layerOutputs, featureMatchTo, gramMatchTo } from './presets/targets';
export { deepDream, octaveSizes, type DeepDreamOptions, type DeepDreamResult } from './presets/deep-dream';
export { invertFeatures, type InvertFeaturesOptions, type InversionResult } from './presets/inversion';
export { synthesizeTexture, styleTransfer, type TextureOptions, type StyleTransferOptions, type StyleResult } from './presets/style';
export { adversarial, foolingImages, type AdversarialOptions, type AdversarialResult, type FoolingOptions, type FoolingResult } from './presets/adversarial';
