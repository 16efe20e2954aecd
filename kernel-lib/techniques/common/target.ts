/**
 * Target resolution, the one owner: which score an attribution explains. A target is a class
 * index, a class name, 'predicted', one of those per image, or a function of the logits. Scores
 * are always taken before the softmax (`modelLogits`). Techniques that run on the clean images
 * evaluate the target inside their own forward pass ({@link planTarget}); the others resolve it
 * first on the clean images' logits ({@link resolveTarget}).
 */
import { tf } from '../../tf';
import { describeValue } from '../../core/checks';
import { oneHotRows, valuesOf } from '../../core/tensors';
import { checkClass } from '../../models/validate';

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

/** The target evaluated on logits with tensor ops only (so it can run inside a gradient). */
export interface TargetValue {
  /** The score of each row `[B]`. */
  score: tf.Tensor1D;
  /** The class of each row (int32 `[B]`), or null when a target function defined its own score. */
  classes: tf.Tensor1D | null;
}

/** A checked target for `n` images and `numClasses` classes, not yet evaluated. */
export interface TargetPlan {
  /** The classes when they are known without the logits (indices, names), else undefined. */
  readonly fixed: number[] | undefined;
  /** Evaluate on the logits `[n, classes]` of the images (no reads from the backend). */
  evaluate(logits: tf.Tensor2D): TargetValue;
}

/** The score of class `classes[rows[i]]` in row i of `logits`, as `[B]`. */
export function classScores(logits: tf.Tensor2D, classes: number[], rows?: number[]): tf.Tensor1D {
  return tf.tidy(() => {
    const perRow = rows ? rows.map((r) => classes[r]) : classes;
    const mask = oneHotRows(perRow, logits.shape[1]);
    return tf.sum<tf.Tensor1D>(tf.mul(logits, mask), 1);
  });
}

/**
 * 1 at each row's largest logit (the first on ties, as `tf.argMax`), 0 elsewhere: a constant for
 * gradients (its own gradient is zero), so a 'predicted' score can be taken inside a backward pass.
 */
const predictedMask = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  // tfjs types a custom gradient's arguments as tensors or the save function; the first is the logits.
  const logits = args[0] as tf.Tensor2D;
  return {
    value: tf.cast(tf.equal(tf.expandDims(tf.argMax(logits, 1), 1), tf.range(0, logits.shape[1], 1, 'int32').reshape([1, -1])), 'float32'),
    gradFunc: () => tf.zerosLike(logits),
  };
});

function fixedValue(logits: tf.Tensor2D, classes: number[]): TargetValue {
  return { score: classScores(logits, classes), classes: tf.tensor1d(classes, 'int32') };
}

/**
 * Check `target` for `n` images of a model with `numClasses` classes (names from `classNames`).
 * @throws for an out-of-range index, an unknown class name, or a list of the wrong length.
 */
export function planTarget(target: Target | undefined, n: number, numClasses: number, classNames?: string[]): TargetPlan {
  if (target === undefined || target === null || target === 'predicted') {
    return {
      fixed: undefined,
      evaluate: (logits) => ({
        score: tf.sum<tf.Tensor1D>(tf.mul(logits, predictedMask(logits)), 1),
        classes: tf.argMax<tf.Tensor1D>(logits, 1),
      }),
    };
  }
  if (typeof target === 'function') {
    return {
      fixed: undefined,
      evaluate: (logits) => {
        const out = target(logits);
        if (out instanceof tf.Tensor) {
          if (out.rank !== 1 || out.shape[0] !== logits.shape[0]) {
            throw new Error(`A target function must return one score per image ([${logits.shape[0]}]) or class index(es); it returned a tensor of shape ${JSON.stringify(out.shape)}`);
          }
          return { score: out as tf.Tensor1D, classes: null };
        }
        let plan: TargetPlan;
        try {
          plan = planTarget(out, logits.shape[0], numClasses, classNames);
        } catch (e) {
          throw new Error(`The target function returned ${describeValue(out)}: ${(e as Error).message}`);
        }
        return fixedValue(logits, plan.fixed!);
      },
    };
  }
  if (Array.isArray(target)) {
    if (target.length !== n) {
      throw new Error(`target has ${target.length} entries but there are ${n} images; give one target per image or a single target`);
    }
    const classes = target.map((t) => checkClass(t, numClasses, classNames));
    return { fixed: classes, evaluate: (logits) => fixedValue(logits, classes) };
  }
  if (typeof target !== 'number' && typeof target !== 'string') {
    throw new Error(`target must be a class index, a class name, 'predicted' or a function; got ${describeValue(target)}`);
  }
  const classes = new Array<number>(n).fill(checkClass(target, numClasses, classNames));
  return { fixed: classes, evaluate: (logits) => fixedValue(logits, classes) };
}

/**
 * Resolve `target` against the logits of the (clean) images `[N, classes]`.
 * @throws for an out-of-range index, an unknown class name, or a function returning the wrong shape.
 */
export async function resolveTarget(target: Target | undefined, logits: tf.Tensor2D, classNames?: string[]): Promise<ResolvedTarget> {
  const [n, numClasses] = logits.shape;
  const plan = planTarget(target, n, numClasses, classNames);
  let classes = plan.fixed;
  if (!classes) {
    let ownScore = false;
    classes = await valuesOf(() => {
      const v = plan.evaluate(logits);
      ownScore = v.classes === null;
      return v.classes ?? tf.zeros([0], 'int32');
    });
    if (ownScore && typeof target === 'function') {
      const custom = target;
      return { classes: null, custom, score: (l) => tf.tidy(() => tf.reshape<tf.Rank.R1>(custom(l) as tf.Tensor, [l.shape[0]])) };
    }
  }
  const fixed = classes;
  return { classes: fixed, score: (l, rows) => classScores(l, fixed, rows) };
}
