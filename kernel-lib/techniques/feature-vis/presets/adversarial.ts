/**
 * Adversarial and fooling images (course technique 14). Adversarial: small gradient-sign steps move
 * an image to another class while it looks unchanged: FGSM (Goodfellow et al. 2015, one step of
 * size ε) and the iterative targeted attack (Kurakin et al. 2017: steps of α, projected back into
 * the L∞ ball of radius ε and the valid range). Fooling images (Nguyen et al. 2015): from noise,
 * ascend the log-probability of a class until the network is more than 99 % sure.
 */
import { tf } from '../../../tf';
import { checkInteger, checkNumber, describeValue } from '../../../core/checks';
import { imageBatch, checkFinite, checkModel } from '../../../models/validate';
import { throwIfStopped, type RunControl } from '../../../core/run-control';
import { modelClassNames, modelLogits } from '../../../models/logits';
import { resolveTarget } from '../../common/target';
import { classLogProbability } from '../objectives';
import { optimizeImage, type FeatureVisResult, type OptimizeImageOptions } from '../optimize';
import { clipRange } from '../regularizers';
import { classify } from './result';

/** Options of {@link adversarial}. */
export interface AdversarialOptions extends Omit<RunControl, 'batchSize'> {
  /** The class to reach (targeted attack): index, name, or one per image. Omit for an untargeted attack away from `label`. */
  target?: number | string | Array<number | string>;
  /** The true class of each image for an untargeted attack (default: the predicted class). */
  label?: number | string | Array<number | string>;
  /** 'iterative' (default) or 'fgsm'. */
  method?: 'fgsm' | 'iterative';
  /** The L∞ bound ε of the change, in input units (default 0.03 ≈ 8/255 for [0, 1] images). */
  epsilon?: number;
  /** Step α of the iterative attack (default ε/8). */
  stepSize?: number;
  /** Maximum steps of the iterative attack (default 50). */
  steps?: number;
  /** Keep going until the target class has at least this probability (targeted; default 0: until it is predicted). */
  confidence?: number;
  /** The valid input range (default [0, 1]). */
  range?: [number, number];
  /** Class names for targets given by name (default the model's). */
  classNames?: string[];
}

/** The result of {@link adversarial}. */
export interface AdversarialResult {
  /** The adversarial images `[N, H, W, C]`. */
  images: tf.Tensor4D;
  /** images − originals. */
  perturbation: tf.Tensor4D;
  /** The class each original was predicted as. */
  originalClasses: number[];
  /** The class each adversarial image is predicted as. */
  predicted: number[];
  /** The class aimed at (targeted) or moved away from (untargeted), per image. */
  classes: number[];
  targeted: boolean;
  /** Probability of `classes[i]` for each adversarial image. */
  probability: number[];
  /** Whether each image reached its goal (targeted: predicted as the target with the asked confidence; untargeted: predicted as another class). */
  reached: boolean[];
  /** max |change| and ‖change‖₂ per image. */
  linf: number[];
  l2: number[];
  /** Steps taken. */
  steps: number;
  dispose(): void;
}

/**
 * Adversarial images: FGSM or the iterative (targeted or untargeted) attack within an L∞ ball.
 * @example const adv = await lens.adversarial(model, image, { target: 'Bag', epsilon: 0.03 });
 * adv.reached; adv.linf; adv.probability
 */
export async function adversarial(model: tf.LayersModel, images: tf.Tensor, opts: AdversarialOptions = {}): Promise<AdversarialResult> {
  checkModel(model, 'model', 'images');
  await checkFinite('images', images);
  const method = opts.method ?? 'iterative';
  if (method !== 'fgsm' && method !== 'iterative') throw new Error(`method must be 'fgsm' or 'iterative'; got ${describeValue(method)}`);
  const epsilon = checkNumber('epsilon', opts.epsilon ?? 0.03, 0);
  const stepSize = checkNumber('stepSize', opts.stepSize ?? epsilon / 8, 0);
  const maxSteps = method === 'fgsm' ? 1 : checkInteger('steps', opts.steps ?? 50, 1, 100_000);
  const confidence = checkNumber('confidence', opts.confidence ?? 0, 0, 1);
  const range = opts.range ?? [0, 1];
  if (!(Array.isArray(range) && range.length === 2 && range[0] < range[1])) throw new Error(`range must be [low, high]; got ${describeValue(range)}`);
  const targeted = opts.target !== undefined;
  const names = opts.classNames ?? modelClassNames(model);
  const x0 = imageBatch(model, images);
  let x: tf.Tensor4D = x0.clone();
  try {
    const logits0 = tf.tidy(() => modelLogits(model, x0));
    let classes: number[];
    const numClasses = logits0.shape[1];
    let originalClasses: number[];
    try {
      originalClasses = (await classify(model, x0)).predicted;
      const goal = targeted ? opts.target : opts.label;
      classes = goal === undefined ? originalClasses : (await resolveTarget(goal, logits0, names)).classes!;
    } finally {
      logits0.dispose();
    }
    const n = x0.shape[0];
    const classMask = tf.tidy(() => tf.cast(tf.equal(tf.tensor2d(classes, [n, 1], 'int32'), tf.range(0, numClasses, 1, 'int32').reshape([1, -1])), 'float32'));
    // Cross-entropy of each image's class; the step descends it (targeted) or ascends it (untargeted).
    const lossGrad = tf.grad((xi: tf.Tensor) => tf.neg(tf.sum(tf.mul(tf.logSoftmax(modelLogits(model, xi as tf.Tensor4D)), classMask))));
    const direction = targeted ? -1 : 1;
    const size = method === 'fgsm' ? epsilon : stepSize;
    let steps = 0;
    try {
      for (let s = 0; s < maxSteps; s++) {
        throwIfStopped(opts);
        const next = tf.tidy(() => {
          const g = lossGrad(x);
          const moved = tf.add(x, tf.mul(tf.sign(g), direction * size));
          const inBall = tf.minimum(tf.maximum(moved, tf.sub(x0, epsilon)), tf.add(x0, epsilon));
          return tf.clipByValue(inBall, range[0], range[1]) as tf.Tensor4D;
        });
        x.dispose();
        x = next;
        steps = s + 1;
        opts.onProgress?.({ done: steps, total: maxSteps, fraction: steps / maxSteps });
        if (method === 'iterative') {
          const { reached } = await verdict(model, x, classes, targeted, confidence);
          if (reached.every(Boolean)) break;
          await new Promise((r) => setImmediate(r));
        }
      }
    } finally {
      classMask.dispose();
    }
    const v = await verdict(model, x, classes, targeted, confidence);
    const perturbation = tf.sub<tf.Tensor4D>(x, x0);
    const sizes = tf.tidy(() => tf.stack([tf.max(tf.abs(perturbation), [1, 2, 3]), tf.sqrt(tf.sum(tf.square(perturbation), [1, 2, 3]))]));
    const [linf, l2] = (await sizes.array()) as number[][];
    sizes.dispose();
    const out = x;
    return {
      images: out,
      perturbation,
      originalClasses,
      predicted: v.predicted,
      classes,
      targeted,
      probability: v.probability,
      reached: v.reached,
      linf,
      l2,
      steps,
      dispose: () => tf.dispose([out, perturbation]),
    };
  } catch (e) {
    x.dispose();
    throw e;
  } finally {
    x0.dispose();
  }
}

async function verdict(model: tf.LayersModel, x: tf.Tensor4D, classes: number[], targeted: boolean, confidence: number) {
  const { probabilities, predicted } = await classify(model, x);
  const probability = classes.map((c, i) => probabilities[i][c]);
  const reached = classes.map((c, i) => (targeted ? predicted[i] === c && probability[i] >= confidence : predicted[i] !== c));
  return { predicted, probability, reached };
}

/** Options of {@link foolingImages}. */
export interface FoolingOptions extends Omit<OptimizeImageOptions, 'batch' | 'stopWhen' | 'regularizers'> {
  /** Stop once every image has at least this probability for its class (default 0.99). */
  confidence?: number;
}

/** The result of {@link foolingImages}. */
export interface FoolingResult extends FeatureVisResult {
  classes: number[];
  /** The model's probability of each image's class at the end. */
  probabilities: number[];
  predicted: number[];
}

/**
 * Fooling images: from noise, images the model assigns to `classes` (one image per class) with
 * more than `confidence` (default 99 %), though they look like nothing.
 * @example const f = await lens.foolingImages(model, [0, 1, 2]); f.probabilities  // all > 0.99
 */
export async function foolingImages(model: tf.LayersModel, classes: number | string | Array<number | string>, opts: FoolingOptions = {}): Promise<FoolingResult> {
  const confidence = checkNumber('confidence', opts.confidence ?? 0.99, 0, 1);
  const list = Array.isArray(classes) ? classes : [classes];
  const objective = classLogProbability(list);
  const r = await optimizeImage(model, objective, {
    steps: 500,
    lr: 0.05,
    param: { type: 'pixels', init: 'noise', sd: 0.2 },
    ...opts,
    regularizers: [clipRange(opts.range)],
    stopWhen: (scores) => scores.every((s) => Math.exp(s) > confidence),
  });
  try {
    const { probabilities, predicted } = await classify(model, r.images);
    const names = opts.classNames ?? modelClassNames(model);
    const indices = list.map((c) => (typeof c === 'number' ? c : names!.indexOf(c)));
    return { ...r, classes: indices, probabilities: indices.map((c, i) => probabilities[i][c]), predicted };
  } catch (e) {
    r.dispose();
    throw e;
  }
}
