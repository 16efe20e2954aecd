/**
 * Target resolution: which score an attribution explains. A target is a class index, a class name,
 * 'predicted', one of those per image, or a function of the logits. Scores are always taken before
 * the softmax (see {@link modelLogits}).
 */
import { tf } from '../tf';
import { describeValue } from '../core/checks';
import { finalSquash, runGraph } from './model-graph';
import { oneHotRows, valuesOf } from '../core/tensors';

/**
 * A score defined by the user: receives the logits `[B, classes]` (scores before softmax) and
 * returns either a differentiable score per row (`[B]` tensor) or the class index(es) to explain.
 */
export type TargetFunction = (logits: tf.Tensor2D) => tf.Tensor | number | number[];

/** What to explain: class index, class name, 'predicted', one per image, or a {@link TargetFunction}. */
export type Target = number | string | Array<number | string> | TargetFunction;

/** A resolved target: the class per image (when there is one) and the score function. */
export interface ResolvedTarget {
  /** Class index per image, or null when a {@link TargetFunction} returned its own score. */
  classes: number[] | null;
  /** Score per row of `logits`; `rows[i]` is the image row i belongs to (default: row i is image i). */
  score(logits: tf.Tensor2D, rows?: number[]): tf.Tensor1D;
  /** The user's function when it defines its own score (occlusion needs to know). */
  custom?: TargetFunction;
}

/** Class names of a model: `classNames` in its user-defined metadata, or a `classNames` property. */
export function modelClassNames(model: tf.LayersModel): string[] | undefined {
  const meta = (model.getUserDefinedMetadata?.() ?? {}) as { classNames?: unknown };
  const own = (model as unknown as { classNames?: unknown }).classNames;
  const names = Array.isArray(meta.classNames) ? meta.classNames : Array.isArray(own) ? own : undefined;
  return names?.map(String);
}

/** The scores before softmax `[N, classes]` (the model output when the model has no final softmax/sigmoid). */
export function modelLogits(model: tf.LayersModel, images: tf.Tensor4D): tf.Tensor2D {
  return runGraph(model, images, { logits: true }).output as tf.Tensor2D;
}

/** Class probabilities from scores before softmax: the model's own final squash, softmax when it has none. */
export function probabilitiesFromLogits(model: tf.LayersModel, logits: tf.Tensor2D): tf.Tensor2D {
  return finalSquash(model) === 'sigmoid' ? tf.sigmoid(logits) : tf.softmax(logits);
}

/** The score of class `classes[rows[i]]` in row i of `logits`, as `[B]`. */
export function classScores(logits: tf.Tensor2D, classes: number[], rows?: number[]): tf.Tensor1D {
  return tf.tidy(() => {
    const perRow = rows ? rows.map((r) => classes[r]) : classes;
    const mask = oneHotRows(perRow, logits.shape[1]);
    return tf.sum(tf.mul(logits, mask), 1) as tf.Tensor1D;
  });
}

function classIndex(t: number | string, numClasses: number, names: string[] | undefined): number {
  if (typeof t === 'number') {
    if (!Number.isInteger(t) || t < 0 || t >= numClasses) {
      throw new Error(`target class ${t} is out of range: the model has ${numClasses} classes (0 to ${numClasses - 1})`);
    }
    return t;
  }
  if (typeof t === 'string') {
    if (!names) {
      throw new Error(`target "${t}" is a class name, but the model has no class names; pass opts.classNames or use a class index 0 to ${numClasses - 1}`);
    }
    const i = names.indexOf(t);
    if (i < 0) throw new Error(`Unknown class name "${t}". Classes: ${names.join(', ')}`);
    return i;
  }
  throw new Error(`target must be a class index, a class name, 'predicted' or a function; got ${describeValue(t)}`);
}

/**
 * Resolve `target` against the logits of the (clean) images `[N, classes]`.
 * @throws for an out-of-range index, an unknown class name, or a function returning the wrong shape.
 */
export function resolveTarget(target: Target | undefined, logits: tf.Tensor2D, classNames?: string[]): ResolvedTarget {
  const [n, numClasses] = logits.shape;
  const fromClasses = (classes: number[]): ResolvedTarget => ({
    classes,
    score: (l, rows) => classScores(l, classes, rows),
  });
  if (target === undefined || target === null || target === 'predicted') {
    return fromClasses(valuesOf(() => tf.argMax(logits, 1)));
  }
  if (typeof target === 'function') {
    const probe = tf.tidy(() => target(logits) as tf.TensorContainer) as tf.Tensor | number | number[];
    if (probe instanceof tf.Tensor) {
      const shape = probe.shape;
      tf.dispose(probe);
      if (shape.length !== 1 || shape[0] !== n) {
        throw new Error(`A target function must return one score per image ([${n}]) or class index(es); it returned a tensor of shape ${JSON.stringify(shape)}`);
      }
      const custom = target;
      return {
        classes: null,
        custom,
        score: (l) => tf.tidy(() => tf.reshape(custom(l) as tf.Tensor, [l.shape[0]]) as tf.Tensor1D),
      };
    }
    return resolveTarget(probe, logits, classNames);
  }
  if (Array.isArray(target)) {
    if (target.length !== n) {
      throw new Error(`target has ${target.length} entries but there are ${n} images; give one target per image or a single target`);
    }
    return fromClasses(target.map((t) => classIndex(t, numClasses, classNames)));
  }
  const c = classIndex(target, numClasses, classNames);
  return fromClasses(new Array(n).fill(c));
}
