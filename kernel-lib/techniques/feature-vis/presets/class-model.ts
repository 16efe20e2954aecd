/**
 * Class model visualization (course technique 10): x* = argmax_x S_c(x) − λ‖x‖², S_c the class score
 * before softmax, from the zero image (dataset mean subtracted; the mean is added back at the end).
 * Three recipes: Simonyan et al. 2014 (the L2 penalty), Yosinski et al. 2015 (L2 decay, Gaussian
 * blur every few steps, clipping pixels of small norm and small contribution, jitter, as operators
 * after each step), and no regularizer at all, which gives an image the network classifies with
 * near certainty that looks like noise.
 */
import { tf } from '../../../tf';
import { describeValue } from '../../inputs';
import { modelClassNames } from '../../target';
import { classLogit, l2Penalty } from '../objectives';
import { optimizeImage, type FeatureVisResult, type OptimizeImageOptions, type ParamSpec } from '../optimize';
import { blur, clipContribution, clipNorm, clipRange, l2Decay, type Regularizer } from '../regularizers';
import { jitter, type Transform } from '../transforms';
import { classify } from './result';

/** The recipe of {@link classModel}. */
export type ClassModelMethod = 'simonyan' | 'yosinski' | 'none';

/** The four regularizers of Yosinski et al. and the jitter, with their settings. */
export interface YosinskiSettings {
  /** L2 decay θ (default 0.0001). */
  decay?: number;
  /** Gaussian blur σ in pixels (default 0.5; 0 turns it off) ... */
  blurSigma?: number;
  /** ... every this many steps (default 4). */
  blurEvery?: number;
  /** Percentile of pixel norms clipped to the mean (default 50; 0 turns it off). */
  normPercentile?: number;
  /** Percentile of pixel contributions clipped to the mean (default 50; 0 turns it off). */
  contributionPercentile?: number;
  /** Jitter in pixels (default 2). */
  jitter?: number;
}

/** Options of {@link classModel}. */
export interface ClassModelOptions extends Omit<OptimizeImageOptions, 'regularizers' | 'batch' | 'param'> {
  /** 'yosinski' (default), 'simonyan' or 'none'. */
  method?: ClassModelMethod;
  /** The dataset mean (per channel or one number) the zero image stands for (default 0.5). */
  mean?: number | number[];
  /** Simonyan's λ (default 0.05 for 'simonyan', 0 otherwise). */
  lambda?: number;
  /** Yosinski's settings ('yosinski' only). */
  yosinski?: YosinskiSettings;
  /** 'pixels' (default) or 'fourier'. */
  param?: 'pixels' | 'fourier';
}

/** The result of {@link classModel}. */
export interface ClassModelResult extends FeatureVisResult {
  /** The class of each image. */
  classes: number[];
  /** The model's probability of that class for each final image. */
  probabilities: number[];
  /** The class the model predicts for each final image. */
  predicted: number[];
  method: ClassModelMethod;
}

/** The default Yosinski settings, filled in. */
export function yosinskiDefaults(s: YosinskiSettings = {}): Required<YosinskiSettings> {
  return { decay: 0.0001, blurSigma: 0.5, blurEvery: 4, normPercentile: 50, contributionPercentile: 50, jitter: 2, ...s };
}

/** Yosinski's regularizer operators for `settings` (the ones set to 0 left out), then clipping to the valid range. */
export function yosinskiRegularizers(settings: YosinskiSettings = {}, range?: [number, number]): Regularizer[] {
  const s = yosinskiDefaults(settings);
  const out: Regularizer[] = [];
  if (s.decay > 0) out.push(l2Decay(s.decay));
  if (s.blurSigma > 0) out.push(blur(s.blurSigma, s.blurEvery));
  if (s.normPercentile > 0) out.push(clipNorm(s.normPercentile));
  if (s.contributionPercentile > 0) out.push(clipContribution(s.contributionPercentile));
  out.push(clipRange(range));
  return out;
}

/**
 * Class model visualization: one image per class in `classes` (index or name), optimized together.
 * @example
 * const r = await lens.classModel(model, [0, 1, 2], { method: 'yosinski', steps: 200 });
 * r.probabilities   // the model's confidence in each class model
 */
export async function classModel(model: tf.LayersModel, classes: number | string | Array<number | string>, opts: ClassModelOptions = {}): Promise<ClassModelResult> {
  const method = opts.method ?? 'yosinski';
  if (!['simonyan', 'yosinski', 'none'].includes(method)) throw new Error(`method must be 'simonyan', 'yosinski' or 'none'; got ${describeValue(method)}`);
  const list = Array.isArray(classes) ? classes : [classes];
  const lambda = opts.lambda ?? (method === 'simonyan' ? 0.05 : 0);
  if (!(typeof lambda === 'number' && lambda >= 0)) throw new Error(`lambda must be a number >= 0; got ${describeValue(lambda)}`);
  let objective = classLogit(list);
  if (lambda > 0) objective = objective.plus(l2Penalty().times(lambda));
  const transforms: Transform[] = [];
  let regularizers: Regularizer[] = [];
  if (method === 'yosinski') {
    const s = yosinskiDefaults(opts.yosinski);
    if (s.jitter > 0) transforms.push(jitter(s.jitter));
    regularizers = yosinskiRegularizers(s, opts.range);
  }
  const param: ParamSpec = { type: opts.param ?? 'pixels', init: method === 'none' ? 'noise' : 'zeros', mean: opts.mean, sd: 0.01 };
  const result = await optimizeImage(model, objective, {
    optimizer: 'sgd',
    lr: method === 'none' ? 0.1 : 0.5,
    transforms,
    ...opts,
    param,
    regularizers,
    classNames: opts.classNames ?? modelClassNames(model),
  });
  try {
    const verdict = await classify(model, result.images);
    const names = opts.classNames ?? modelClassNames(model);
    const indices = list.map((c) => (typeof c === 'number' ? c : names!.indexOf(c)));
    const perRow = indices.length === 1 ? new Array(result.images.shape[0]).fill(indices[0]) : indices;
    return {
      ...result,
      classes: perRow,
      probabilities: perRow.map((c, i) => verdict.probabilities[i][c]),
      predicted: verdict.predicted,
      method,
    };
  } catch (e) {
    result.dispose();
    throw e;
  }
}
