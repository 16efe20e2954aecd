/**
 * The optimization loop of feature visualization (Lucid's `render`): gradient ascent on the input
 * with the weights fixed. Each step renders the images from their parameterization, applies the
 * random transforms, runs the model, takes the gradient of the objective with respect to the
 * image, (optionally) normalises it, updates the parameters (SGD or Adam, one learning rate per
 * image), and then applies the regularizer operators, x ← r(x + η ∂f/∂x). Learning rate,
 * transforms and regularizers may change from one step to the next (pass functions of the step),
 * which is how the RegularizationLab applies a slider move from the next step.
 */
import { tf } from '../../tf';
import { mulberry32 } from '../../data/random';
import { checkInteger, describeValue } from '../../core/checks';
import { checkModel } from '../../models/validate';
import { getLayer } from '../../models/layers';
import { runGraph } from '../../models/graph';
import { throwIfStopped, type RunControl } from '../../core/run-control';
import { modelClassNames } from '../../models/logits';
import { fourierParam, type FourierParamOptions } from './fourier';
import { Objective, perImageValues, rowValues, type ObjectiveContext, type PerImage } from './objectives';
import { pixelParam, type ImageParam } from './param';
import type { Regularizer, RegularizerContext } from './regularizers';
import { fitImages, type FitMode, type Transform } from './transforms';

/** A setting fixed for the run, or a function of the step (read before every step). */
export type Live<T> = T | ((step: number) => T);

/** A parameterization by name, or with options. */
export type ParamSpec = 'pixels' | 'fourier' | ({ type: 'pixels' | 'fourier' } & FourierParamOptions);

/** What {@link optimizeImage} reports after a step. */
export interface StepInfo {
  /** The step just taken (0-based). */
  step: number;
  /** Steps in the run. */
  steps: number;
  /** The objective of every image at this step (with that step's transforms). */
  scores: number[];
  /** The images after the step, in the model's input range `[B, H, W, C]`; valid until the callback returns (or its promise settles). */
  images: tf.Tensor4D;
}

/** Options of {@link optimizeImage}. */
export interface OptimizeImageOptions extends Omit<RunControl, 'batchSize' | 'onProgress'> {
  /** Gradient steps (default 200). */
  steps?: number;
  /** Learning rate: one, one per image, or a function of the step (default 0.05). */
  lr?: Live<PerImage>;
  /** 'sgd' (x ← x + η g, the course's rule) or 'adam' (default; Lucid's choice, insensitive to the gradient's scale). */
  optimizer?: 'sgd' | 'adam';
  /** Divide the gradient of each image by its mean |g| ('l1', DeepDream) or its RMS ('l2') before the step (default 'none'). */
  normalizeGradient?: 'none' | 'l1' | 'l2';
  /** The parameterization: 'pixels' (default), 'fourier', a spec with options, or an {@link ImageParam} you own (it is updated in place and not disposed). */
  param?: ParamSpec | ImageParam;
  /** Images optimized at once (default: the param's, or the objective's per-image values, or 1). */
  batch?: number;
  /** Size of the optimized images `[H, W]` (default the model's input size). */
  size?: [number, number];
  /** Random transforms before every forward pass. */
  transforms?: Live<Transform[]>;
  /** Operators after every step (Yosinski et al.). */
  regularizers?: Live<Regularizer[]>;
  /** How transformed images are brought to the model's input size: 'crop' (default) or 'resize'. */
  fit?: FitMode;
  /** The model's valid input range (default [0, 1]); regularizers such as clipRange read it. */
  range?: [number, number];
  /** Called after every `every`-th step and after the last one; the loop waits for a returned promise. */
  onStep?: (info: StepInfo) => void | Promise<void>;
  /** Steps between onStep calls (default 1). */
  every?: number;
  /** Stop early (normally, not as an abort) after the first step where this returns true, e.g. once every image reaches a confidence. */
  stopWhen?: (scores: number[], step: number) => boolean;
  /** Seed of the random transforms and of the noise start. */
  seed?: number;
  /** Class names for class objectives given by name (default: the model's). */
  classNames?: string[];
  /** Called after every step with the steps done. */
  onProgress?: RunControl['onProgress'];
}

/** The result of {@link optimizeImage}. */
export interface FeatureVisResult {
  /** The optimized images in the model's input range, `[B, H, W, C]`. */
  images: tf.Tensor4D;
  /** The objective of every image at the end, without transforms. */
  scores: number[];
  /** The objective of every image at each step (with that step's transforms). */
  history: number[][];
  /** Steps taken (fewer than asked when `stopWhen` ended the run early). */
  steps: number;
  /** The parameterization used. */
  param: string;
  /** Free `images`. */
  dispose(): void;
}

const isParam = (p: unknown): p is ImageParam =>
  typeof p === 'object' && p !== null && typeof (p as ImageParam).render === 'function' && typeof (p as ImageParam).set === 'function' && Array.isArray((p as ImageParam).variables);

function resolveLive<T>(v: Live<T> | undefined, step: number, fallback: T): T {
  return typeof v === 'function' ? (v as (s: number) => T)(step) : (v ?? fallback);
}

function nextTick(): Promise<void> {
  return new Promise((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));
}

/** The model's input `[H, W, C]` (H, W null for fully convolutional models). */
export function modelInputShape(model: tf.LayersModel): [number | null, number | null, number] {
  const [, h, w, c] = model.inputs[0].shape;
  if (c === null || c === undefined) throw new Error('The model input must have a known number of channels');
  return [h ?? null, w ?? null, c];
}

/** Make the parameterization `spec` for images `[B, H, W, C]`. */
export function makeParam(spec: ParamSpec | undefined, shape: [number, number, number, number], seed?: number): ImageParam {
  const s = spec ?? 'pixels';
  const o: { type: string } & FourierParamOptions = typeof s === 'string' ? { type: s } : s;
  if (typeof o !== 'object' || o === null || (o.type !== 'pixels' && o.type !== 'fourier')) {
    throw new Error(`param must be 'pixels', 'fourier', { type: 'pixels' | 'fourier', ...options } or an ImageParam; got ${describeValue(spec)}`);
  }
  const withSeed = { ...o, seed: o.seed ?? seed };
  return o.type === 'pixels' ? pixelParam(shape, withSeed) : fourierParam(shape, withSeed);
}

function checkLr(values: number[]): number[] {
  const bad = values.find((v) => v < 0);
  if (bad !== undefined) throw new Error(`lr must be >= 0; got ${bad}`);
  return values;
}

function checkList<T>(name: string, list: unknown, ok: (x: unknown) => boolean, what: string): T[] {
  if (!Array.isArray(list) || !list.every(ok)) throw new Error(`${name} must be an array of ${what}; got ${describeValue(list)}`);
  return list as T[];
}

const isTransform = (t: unknown) => typeof t === 'object' && t !== null && typeof (t as Transform).apply === 'function';

/** Adam moments of one variable. */
interface Moments {
  m: tf.Tensor;
  v: tf.Tensor;
}

/**
 * Gradient ascent on the input: maximise `objective` over images of the model's input size (or
 * `size`), `batch` at once. Returns the images, the final scores and the score history.
 * Rejects with an AbortError when `signal` aborts (checked before every step, so a Stop takes
 * effect within one step); a parameterization you passed keeps the images reached so far.
 *
 * @example
 * const r = await lens.optimizeImage(model, lens.classLogit([0, 1, 2]), {
 *   steps: 200, lr: 0.05, transforms: [lens.jitter(2)], regularizers: [lens.l2Decay(0.01), lens.blur(0.5, 4)],
 * });
 * r.images   // [3, 64, 64, 3]
 */
export async function optimizeImage(model: tf.LayersModel, objective: Objective, opts: OptimizeImageOptions = {}): Promise<FeatureVisResult> {
  checkModel(model, 'optimizeImage', 'images');
  if (!(objective instanceof Objective)) throw new Error(`objective must be an Objective (lens.classLogit, lens.channel, lens.layerL2, lens.objective, ...); got ${describeValue(objective)}`);
  for (const l of objective.layers) getLayer(model, l);
  const steps = checkInteger('steps', opts.steps ?? 200, 0, 1_000_000);
  const every = checkInteger('every', opts.every ?? 1, 1);
  const optimizer = opts.optimizer ?? 'adam';
  if (optimizer !== 'sgd' && optimizer !== 'adam') throw new Error(`optimizer must be 'sgd' or 'adam'; got ${describeValue(optimizer)}`);
  const normalize = opts.normalizeGradient ?? 'none';
  if (!['none', 'l1', 'l2'].includes(normalize)) throw new Error(`normalizeGradient must be 'none', 'l1' or 'l2'; got ${describeValue(normalize)}`);
  const fit = opts.fit ?? 'crop';
  if (fit !== 'crop' && fit !== 'resize') throw new Error(`fit must be 'crop' or 'resize'; got ${describeValue(fit)}`);
  const range = opts.range ?? [0, 1];
  if (!(Array.isArray(range) && range.length === 2 && range.every(Number.isFinite) && range[0] < range[1])) {
    throw new Error(`range must be [low, high] with low < high; got ${describeValue(range)}`);
  }
  const [mh, mw, channels] = modelInputShape(model);
  const size = opts.size ?? [mh, mw];
  if (!(Array.isArray(size) && size.length === 2 && size.every((d) => Number.isInteger(d) && (d as number) > 0))) {
    throw new Error(`size must be [height, width] in pixels${mh === null ? ' (the model input has no fixed size)' : ''}; got ${describeValue(opts.size)}`);
  }
  const [height, width] = size as [number, number];
  const given = isParam(opts.param) ? opts.param : undefined;
  const batch = checkInteger('batch', opts.batch ?? given?.shape[0] ?? objective.rows ?? 1, 1, 4096);
  if (objective.rows !== undefined && objective.rows !== batch) {
    throw new Error(`the objective defines values for ${objective.rows} images but batch is ${batch}`);
  }
  if (given && (given.shape[0] !== batch || given.shape[1] !== height || given.shape[2] !== width || given.shape[3] !== channels)) {
    throw new Error(`param has shape ${JSON.stringify(given.shape)}; expected [${batch}, ${height}, ${width}, ${channels}]`);
  }
  const inputH = mh ?? height;
  const inputW = mw ?? width;
  const classNames = opts.classNames ?? modelClassNames(model);
  const random = mulberry32(opts.seed ?? Math.floor(Math.random() * 2 ** 31));
  throwIfStopped(opts);

  const param = given ?? makeParam(opts.param as ParamSpec | undefined, [batch, height, width, channels], opts.seed);
  const mean = tf.tensor1d(param.mean);
  const moments: Moments[] = [];
  const history: number[][] = [];
  let images: tf.Tensor4D | undefined;
  try {
    /** The objective per image for centred images `xc` seen through `transforms`. */
    const objectiveOf = (xc: tf.Tensor, transforms: Transform[]) => {
        const image = tf.add<tf.Tensor4D>(xc, mean);
        let input = image;
        for (const t of transforms) input = t.apply(input, random);
        input = fitImages(input, inputH, inputW, fit);
        const run = runGraph(model, input, { fetch: [...objective.layers], logits: true });
        const ctx: ObjectiveContext = {
          batch,
          input,
          image,
          centered: xc as tf.Tensor4D,
          logits: run.output as tf.Tensor2D,
          classNames,
          layer: (name) => {
            const out = run.outputs[name];
            if (!out) throw new Error(`the objective read layer "${name}" without listing it in its layers (${objective.layers.join(', ') || 'none'})`);
            return out;
          },
        };
        return objective.value(ctx);
    };
    /** The objective per image and its gradient with respect to the centred images. */
    const evaluate = (x: tf.Tensor4D, transforms: Transform[]) => tf.valueAndGrad((xc: tf.Tensor) => objectiveOf(xc, transforms))(x, tf.ones([batch]));
    // One forward pass first: an objective that fails (a class or channel out of range) fails here,
    // outside gradient recording, where tfjs would keep the tensors it saved for the backward pass.
    tf.tidy(() => objectiveOf(param.render(), [])).dispose();

    let taken = 0;
    for (let step = 0; step < steps; step++) {
      throwIfStopped(opts);
      const lr = checkLr(rowValues(perImageValues('lr', resolveLive(opts.lr, step, 0.05)), batch, 'lr'));
      const transforms = checkList<Transform>('transforms', resolveLive(opts.transforms, step, []), isTransform, 'transforms (lens.jitter, lens.scale, ...)');
      const regularizers = checkList<Regularizer>('regularizers', resolveLive(opts.regularizers, step, []), isTransform, 'regularizers (lens.l2Decay, lens.blur, ...)');
      const scoreTensor = tf.tidy(() => {
        const x = param.render();
        const { value, grad } = evaluate(x, transforms);
        let g = grad as tf.Tensor4D;
        if (normalize !== 'none') {
          const size = normalize === 'l1' ? tf.mean(tf.abs(g), [1, 2, 3], true) : tf.sqrt(tf.mean(tf.square(g), [1, 2, 3], true));
          g = tf.div(g, tf.add(size, 1e-8));
        }
        const paramGrads = param.pullback(g);
        const rate = (v: tf.Tensor) => tf.tensor1d(lr).reshape([batch, ...new Array<number>(v.rank - 1).fill(1)]);
        param.variables.forEach((v, i) => {
          let update = paramGrads[i];
          if (optimizer === 'adam') {
            if (!moments[i]) moments[i] = { m: tf.keep(tf.zerosLike(v)), v: tf.keep(tf.zerosLike(v)) };
            const { m, v: s } = moments[i];
            const m2 = tf.keep(tf.add(tf.mul(m, 0.9), tf.mul(update, 0.1)));
            const s2 = tf.keep(tf.add(tf.mul(s, 0.999), tf.mul(tf.square(update), 0.001)));
            tf.dispose([m, s]);
            moments[i] = { m: m2, v: s2 };
            const t = step + 1;
            update = tf.div(tf.div(m2, 1 - 0.9 ** t), tf.add(tf.sqrt(tf.div(s2, 1 - 0.999 ** t)), 1e-8));
          }
          v.assign(tf.add(v, tf.mul(update, rate(v))));
        });
        if (regularizers.length > 0) {
          const ctx: RegularizerContext = { step, batch, grad: grad as tf.Tensor4D, lr, mean: param.mean, range: range };
          let xr = param.render();
          for (const r of regularizers) {
            const next = r.apply(xr, ctx);
            if (!(next instanceof tf.Tensor) || next.shape.join() !== xr.shape.join()) {
              throw new Error(`regularizer "${r.description}" must return images of shape ${JSON.stringify(xr.shape)}; got ${describeValue(next)}`);
            }
            xr = next;
          }
          param.set(xr);
        }
        return value;
      });
      const scores = Array.from(await scoreTensor.data());
      scoreTensor.dispose();
      history.push(scores);
      taken = step + 1;
      const done = opts.stopWhen?.(scores, step) === true;
      opts.onProgress?.({ done: step + 1, total: steps, fraction: (step + 1) / steps });
      if (opts.onStep && (step % every === 0 || step === steps - 1 || done)) {
        const current = tf.tidy(() => tf.add<tf.Tensor4D>(param.render(), mean));
        try {
          await opts.onStep({ step, steps, scores, images: current });
        } finally {
          current.dispose();
        }
      }
      if (done) break;
      await nextTick();
    }
    throwIfStopped(opts);
    images = tf.tidy(() => tf.add<tf.Tensor4D>(param.render(), mean));
    const finalImages = images;
    const finalScores = tf.tidy(() => evaluate(param.render(), []).value);
    const scores = Array.from(await finalScores.data());
    finalScores.dispose();
    return { images: finalImages, scores, history, steps: taken, param: param.description, dispose: () => finalImages.dispose() };
  } catch (e) {
    images?.dispose();
    throw e;
  } finally {
    mean.dispose();
    for (const m of moments) tf.dispose([m.m, m.v]);
    if (!given) param.dispose();
  }
}
