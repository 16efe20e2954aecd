/**
 * Objectives of feature visualization: what gradient ascent on the input maximises. An
 * {@link Objective} is a per-image score `[B]` computed from what the model produced for the
 * (transformed) images: its scores before softmax, the outputs of the layers the objective names,
 * and the image itself. Objectives add, subtract, scale (per image) and negate, so
 * "class score - λ‖x‖²" or "style + 0.01 · content" are one expression; a notebook defines new
 * ones with {@link objective} without touching the optimization loop (Lucid's `objectives`).
 *
 * Conventions: every objective is MAXIMISED; losses (inversion, Gram match, penalties) enter with a
 * minus sign and report their negated value.
 */
import { tf } from '../../tf';
import { describeValue } from '../inputs';
import { classScores } from '../target';

/** What an objective reads in one optimization step. */
export interface ObjectiveContext {
  /** Images per step (rows). */
  readonly batch: number;
  /** The images the model saw this step (after the transforms), `[B, h, w, C]`. */
  readonly input: tf.Tensor4D;
  /** The images being optimized (before the transforms), `[B, H, W, C]`, in the model's input range. */
  readonly image: tf.Tensor4D;
  /** `image` minus the parameterization's mean (the zero image of Simonyan et al.). */
  readonly centered: tf.Tensor4D;
  /** The model's scores before softmax, `[B, classes]`. */
  readonly logits: tf.Tensor2D;
  /** The model's class names, when it has them. */
  readonly classNames?: readonly string[];
  /** Output of a layer the objective listed in {@link Objective.layers}. */
  layer(name: string): tf.Tensor;
}

/** A per-image value: one number for every image, or one per image. */
export type PerImage = number | readonly number[];

type ScoreFunction = (ctx: ObjectiveContext) => tf.Tensor;

/**
 * A differentiable per-image score to maximise. Build one with the functions of this module or
 * {@link objective}; combine with {@link Objective.plus}, {@link Objective.minus},
 * {@link Objective.times} and {@link Objective.negate}. Objectives that hold tensors (targets) free
 * them in {@link Objective.dispose}; a combined objective disposes its parts.
 */
export class Objective {
  /**
   * @param description what it computes, for logs and the lab ("class 3 (Sneaker) score").
   * @param layers layer names whose outputs {@link ObjectiveContext.layer} must provide.
   * @param fn the score `[B]` (a scalar is broadcast to every image).
   * @param rows images it defines values for (a per-image class list of 3 → 3), or undefined.
   * @param owned tensors freed by {@link Objective.dispose}.
   * @param parts objectives combined into this one (disposed with it).
   */
  constructor(
    readonly description: string,
    readonly layers: readonly string[],
    private readonly fn: ScoreFunction,
    readonly rows?: number,
    private readonly owned: tf.Tensor[] = [],
    private readonly parts: Objective[] = [],
  ) {}

  /** The score of every image, `[B]`. */
  value(ctx: ObjectiveContext): tf.Tensor1D {
    const v = this.fn(ctx);
    if (!(v instanceof tf.Tensor)) throw new Error(`objective "${this.description}" must return a tensor; it returned ${describeValue(v)}`);
    if (v.rank === 0) return tf.mul(tf.ones([ctx.batch]), v) as tf.Tensor1D;
    if (v.rank !== 1 || v.shape[0] !== ctx.batch) {
      throw new Error(`objective "${this.description}" must return one value per image ([${ctx.batch}]); it returned shape ${JSON.stringify(v.shape)}`);
    }
    return v as tf.Tensor1D;
  }

  /** This objective plus another (or plus a constant). */
  plus(other: Objective): Objective {
    checkObjective('plus', other);
    return new Objective(`${this.description} + ${other.description}`, union(this.layers, other.layers), (c) => tf.add(this.value(c), other.value(c)), joinRows(this, other), [], [this, other]);
  }

  /** This objective minus another. */
  minus(other: Objective): Objective {
    checkObjective('minus', other);
    return new Objective(`${this.description} - (${other.description})`, union(this.layers, other.layers), (c) => tf.sub(this.value(c), other.value(c)), joinRows(this, other), [], [this, other]);
  }

  /** This objective times a weight: one number, or one per image (several settings at once). */
  times(weight: PerImage): Objective {
    const w = perImageValues('weight', weight);
    const label = w.length === 1 ? `${w[0]}` : `[${w.join(', ')}]`;
    return new Objective(`${label} · (${this.description})`, this.layers, (c) => tf.mul(this.value(c), rowTensor(w, c.batch, 'weight')), joinRows(this, { rows: w.length > 1 ? w.length : undefined }), [], [this]);
  }

  /** Minus this objective (maximising it minimises the original). */
  negate(): Objective {
    return new Objective(`-(${this.description})`, this.layers, (c) => tf.neg(this.value(c)), this.rows, [], [this]);
  }

  /** Free the tensors this objective (and its parts) hold. */
  dispose(): void {
    tf.dispose(this.owned);
    this.owned.length = 0;
    for (const p of this.parts) p.dispose();
  }
}

/**
 * A user-defined objective: `fn(ctx)` returns one score per image (`[B]`) to maximise, reading
 * `ctx.logits`, `ctx.layer(name)` for each name in `layers`, `ctx.image` or `ctx.input`.
 * @example
 * // maximise channel 3 of conv2 while keeping channel 5 low
 * const o = lens.objective('c3 - c5', ['conv2'], (ctx) => {
 *   const a = ctx.layer('conv2');
 *   return lens.tf.sub(a.slice([0, 0, 0, 3], [-1, -1, -1, 1]).mean([1, 2, 3]), a.slice([0, 0, 0, 5], [-1, -1, -1, 1]).mean([1, 2, 3]));
 * });
 */
export function objective(description: string, layers: string[], fn: (ctx: ObjectiveContext) => tf.Tensor): Objective {
  if (typeof description !== 'string') throw new Error(`objective: description must be a string; got ${describeValue(description)}`);
  if (!Array.isArray(layers) || layers.some((l) => typeof l !== 'string')) throw new Error(`objective: layers must be an array of layer names; got ${describeValue(layers)}`);
  if (typeof fn !== 'function') throw new Error(`objective: fn must be a function (ctx) => tensor [B]; got ${describeValue(fn)}`);
  return new Objective(description, [...layers], fn);
}

/** The sum of several objectives, each with an optional weight (`sumOf([a, b], [1, 0.1])`). */
export function sumOf(parts: Objective[], weights?: PerImage[]): Objective {
  if (!Array.isArray(parts) || parts.length === 0) throw new Error(`sumOf needs a non-empty array of objectives; got ${describeValue(parts)}`);
  if (weights !== undefined && weights.length !== parts.length) throw new Error(`sumOf: ${weights.length} weights for ${parts.length} objectives`);
  parts.forEach((p) => checkObjective('sumOf', p));
  const weighted = parts.map((p, i) => (weights === undefined || weights[i] === 1 ? p : p.times(weights[i])));
  return weighted.slice(1).reduce((acc, p) => acc.plus(p), weighted[0]);
}

/**
 * The score of a class before softmax (Simonyan et al. 2014): a class index or name, or one per
 * image (`[0, 3, 7]` optimizes three images, one per class).
 */
export function classLogit(target: number | string | ReadonlyArray<number | string>): Objective {
  const list = Array.isArray(target) ? [...target] : [target as number | string];
  if (list.length === 0 || list.some((t) => typeof t !== 'number' && typeof t !== 'string')) {
    throw new Error(`classLogit: target must be a class index, a class name, or an array of them; got ${describeValue(target)}`);
  }
  const label = list.length === 1 ? `class ${list[0]}` : `classes [${list.join(', ')}]`;
  return new Objective(`${label} score`, [], (c) => {
    const classes = list.map((t) => classIndexOf(t, c.logits.shape[1], c.classNames));
    return classScores(c.logits, rowValues(classes, c.batch, 'class'));
  }, list.length > 1 ? list.length : undefined);
}

/** The log-probability of a class (log softmax of the scores): pushes the class up AND the others down. */
export function classLogProbability(target: number | string | ReadonlyArray<number | string>): Objective {
  const score = classLogit(target);
  return new Objective(`log P(${score.description.replace(/ score$/, '')})`, [], (c) => {
    const logZ = tf.logSumExp(c.logits, 1);
    return tf.sub(score.value(c), logZ);
  }, score.rows, [], [score]);
}

/**
 * One channel of a conv layer, averaged over positions (or one unit of a dense layer): one index,
 * or one per image.
 */
export function channel(layer: string, index: number | readonly number[]): Objective {
  checkLayerName('channel', layer);
  const list = perImageIndices('channel', index);
  return new Objective(`${layer}:${list.length === 1 ? list[0] : `[${list.join(', ')}]`} mean`, [layer], (c) => {
    const a = c.layer(layer);
    const picked = pickChannels(a, rowValues(list, c.batch, 'channel'), layer);
    return picked.rank === 1 ? picked : tf.mean(picked, [1, 2]);
  }, list.length > 1 ? list.length : undefined);
}

/** One unit: a channel of a conv layer (averaged over positions) or a unit of a dense layer. Same as {@link channel}. */
export const unit = channel;

/**
 * One neuron: channel `index` of a conv layer at one position (`at`: `{ row, col }` of the feature
 * map; default its centre).
 */
export function neuron(layer: string, index: number | readonly number[], at?: { row: number; col: number }): Objective {
  checkLayerName('neuron', layer);
  const list = perImageIndices('neuron', index);
  return new Objective(`${layer}:${list.length === 1 ? list[0] : `[${list.join(', ')}]`} at ${at ? `(${at.row}, ${at.col})` : 'centre'}`, [layer], (c) => {
    const a = c.layer(layer);
    if (a.rank !== 4) throw new Error(`neuron: layer "${layer}" has output shape ${JSON.stringify(a.shape)}; a neuron needs a feature map [B, h, w, channels] (use channel() for dense layers)`);
    const [, h, w] = a.shape;
    const row = at?.row ?? Math.floor(h / 2);
    const col = at?.col ?? Math.floor(w / 2);
    if (!(Number.isInteger(row) && row >= 0 && row < h && Number.isInteger(col) && col >= 0 && col < w)) {
      throw new Error(`neuron: position (${row}, ${col}) is outside layer "${layer}"'s ${h}x${w} feature map`);
    }
    const at1 = a.slice([0, row, col, 0], [-1, 1, 1, -1]);
    return pickChannels(at1, rowValues(list, c.batch, 'neuron'), layer).reshape([c.batch]);
  }, list.length > 1 ? list.length : undefined);
}

/**
 * DeepDream's objective: the mean square of a layer's activations (its gradient is proportional to
 * the activation itself, Mordvintsev 2015), optionally of some channels only.
 */
export function layerL2(layer: string, channels?: number[]): Objective {
  checkLayerName('layerL2', layer);
  if (channels !== undefined) channels.forEach((ch) => checkIndex('layerL2: channel', ch));
  return new Objective(`mean square of ${layer}${channels ? `[${channels.join(', ')}]` : ''}`, [layer], (c) => {
    let a = c.layer(layer);
    if (channels) a = tf.gather(a, tf.tensor1d(channels.map((ch) => checkChannel(ch, a, layer)), 'int32'), a.rank - 1);
    return tf.mean(tf.square(a.reshape([c.batch, -1])), 1);
  });
}

/**
 * Feature inversion (Mahendran & Vedaldi 2015): minus the relative squared distance of a layer's
 * output to `target`, ‖Φ(x) − Φ₀‖² / ‖Φ₀‖². `target` is `[1 | B, ...layer shape]` (cloned;
 * freed with the objective).
 */
export function featureMatch(layer: string, target: tf.Tensor): Objective {
  checkLayerName('featureMatch', layer);
  if (!(target instanceof tf.Tensor)) throw new Error(`featureMatch: target must be a tensor of layer "${layer}"'s output; got ${describeValue(target)}`);
  const t = tf.keep(target.clone());
  const norm = tf.keep(tf.tidy(() => tf.maximum(tf.sum(tf.square(t.reshape([t.shape[0], -1])), 1), 1e-12)));
  return new Objective(`-‖${layer} − target‖²/‖target‖²`, [layer], (c) => {
    const a = c.layer(layer);
    checkTargetShape('featureMatch', layer, a, t);
    const d = tf.sum(tf.square(tf.sub(a, t).reshape([c.batch, -1])), 1);
    return tf.neg(tf.div(d, norm));
  }, t.shape[0] > 1 ? t.shape[0] : undefined, [t, norm]);
}

/**
 * Gram matrices of feature maps `[B, h, w, c]` → `[B, c, c]`, normalised by the positions:
 * G = FᵀF / (h·w) (Gatys et al. 2015). A dense output `[B, c]` gives the outer product.
 */
export function gramMatrix(features: tf.Tensor): tf.Tensor3D {
  return tf.tidy(() => {
    if (features.rank !== 4 && features.rank !== 2) throw new Error(`gramMatrix needs feature maps [B, h, w, c] or [B, c]; got shape ${JSON.stringify(features.shape)}`);
    const b = features.shape[0];
    const c = features.shape[features.rank - 1];
    const positions = features.rank === 4 ? features.shape[1]! * features.shape[2]! : 1;
    const f = features.reshape([b, positions, c]) as tf.Tensor3D;
    return tf.div(tf.matMul(f, f, true, false), positions) as tf.Tensor3D;
  });
}

/**
 * Texture / style (Gatys et al.): minus Σ_l w_l · ‖G_l(x) − A_l‖² / ‖A_l‖² over the given layers
 * (each layer's distance relative to its target, so layers of different magnitudes weigh alike),
 * `targets[l]` the Gram matrices `[1 | B, c, c]` of the style image at layer l (see
 * {@link gramMatrix}; cloned, freed with the objective). Weights default to 1 / (number of layers).
 */
export function gramMatch(layers: string[], targets: tf.Tensor[], weights?: number[]): Objective {
  if (!Array.isArray(layers) || layers.length === 0) throw new Error(`gramMatch: layers must be a non-empty array of layer names; got ${describeValue(layers)}`);
  layers.forEach((l) => checkLayerName('gramMatch', l));
  if (!Array.isArray(targets) || targets.length !== layers.length || targets.some((t) => !(t instanceof tf.Tensor) || t.rank !== 3)) {
    throw new Error(`gramMatch: targets must be one Gram matrix [1 | B, c, c] per layer (${layers.length}); got ${describeValue(targets)}`);
  }
  const w = weights ?? layers.map(() => 1 / layers.length);
  if (w.length !== layers.length || w.some((x) => typeof x !== 'number' || !Number.isFinite(x))) throw new Error(`gramMatch: weights must be ${layers.length} finite numbers; got ${describeValue(weights)}`);
  const kept = targets.map((t) => tf.keep(t.clone()));
  const norms = kept.map((t) => tf.keep(tf.tidy(() => tf.maximum(tf.sum(tf.square(t), [1, 2]), 1e-12))));
  return new Objective(`-Gram distance at ${layers.join(', ')}`, layers, (c) => {
    const terms = layers.map((l, i) => {
      const g = gramMatrix(c.layer(l));
      checkTargetShape('gramMatch', l, g, kept[i]);
      return tf.mul(tf.div(tf.sum(tf.square(tf.sub(g, kept[i])), [1, 2]), norms[i]), w[i]);
    });
    return tf.neg(tf.addN(terms));
  }, Math.max(...kept.map((t) => t.shape[0])) > 1 ? Math.max(...kept.map((t) => t.shape[0])) : undefined, [...kept, ...norms]);
}

/** Simonyan's penalty as an objective: −‖x‖² of the centred image (x = image − mean), per image. */
export function l2Penalty(): Objective {
  return new Objective('-‖x‖²', [], (c) => tf.neg(tf.sum(tf.square(c.centered), [1, 2, 3])));
}

/**
 * Total variation of images `[B, H, W, C]`: Σ ((x[i+1,j] − x[i,j])² + (x[i,j+1] − x[i,j])²)^(β/2)
 * per image (Mahendran & Vedaldi; β = 2 sums squared differences, β = 1 is the isotropic TV).
 */
export function totalVariation(images: tf.Tensor4D, beta = 2): tf.Tensor1D {
  return tf.tidy(() => {
    const [b, h, w] = images.shape;
    const dv = tf.sub(images.slice([0, 1, 0, 0], [-1, h - 1, w - 1, -1]), images.slice([0, 0, 0, 0], [-1, h - 1, w - 1, -1]));
    const dh = tf.sub(images.slice([0, 0, 1, 0], [-1, h - 1, w - 1, -1]), images.slice([0, 0, 0, 0], [-1, h - 1, w - 1, -1]));
    const sq = tf.add(tf.square(dv), tf.square(dh));
    const terms = beta === 2 ? sq : tf.pow(tf.add(sq, 1e-8), beta / 2);
    return tf.sum(terms.reshape([b, -1]), 1) as tf.Tensor1D;
  });
}

/** Total variation as a penalty objective: −TV_β(image) per image (see {@link totalVariation}). */
export function tvPenalty(beta = 2): Objective {
  if (!(typeof beta === 'number' && beta > 0)) throw new Error(`tvPenalty: beta must be a number > 0; got ${describeValue(beta)}`);
  return new Objective(`-TV${beta === 2 ? '' : `_${beta}`}(x)`, [], (c) => tf.neg(totalVariation(c.image, beta)));
}

// --- helpers -----------------------------------------------------------------------------------

function checkObjective(where: string, o: unknown): void {
  if (!(o instanceof Objective)) throw new Error(`${where}: expected an Objective (from lens.classLogit, lens.channel, lens.objective, ...); got ${describeValue(o)}`);
}

function checkLayerName(where: string, layer: unknown): void {
  if (typeof layer !== 'string' || layer === '') throw new Error(`${where}: layer must be a layer name; got ${describeValue(layer)}`);
}

function checkIndex(where: string, i: unknown): number {
  if (typeof i !== 'number' || !Number.isInteger(i) || i < 0) throw new Error(`${where} must be an integer >= 0; got ${describeValue(i)}`);
  return i;
}

function perImageIndices(where: string, index: number | readonly number[]): number[] {
  const list = Array.isArray(index) ? [...index] : [index as number];
  if (list.length === 0) throw new Error(`${where}: index must be a number or a non-empty array; got []`);
  list.forEach((i) => checkIndex(`${where}: index`, i));
  return list;
}

/** Values given per image, checked finite. */
export function perImageValues(name: string, v: PerImage): number[] {
  const list = typeof v === 'number' ? [v] : Array.isArray(v) ? [...v] : undefined;
  if (!list || list.length === 0 || list.some((x) => typeof x !== 'number' || !Number.isFinite(x))) {
    throw new Error(`${name} must be a finite number or a non-empty array of them (one per image); got ${describeValue(v)}`);
  }
  return list;
}

/** `values` for `batch` rows: one value repeated, or exactly one per row. */
export function rowValues<T>(values: readonly T[], batch: number, name: string): T[] {
  if (values.length === 1) return new Array(batch).fill(values[0]);
  if (values.length !== batch) throw new Error(`${name}: ${values.length} values given for ${batch} images; give one value or one per image`);
  return [...values];
}

/** A `[B]` tensor of per-row values. */
export function rowTensor(values: readonly number[], batch: number, name: string): tf.Tensor1D {
  return tf.tensor1d(rowValues(values, batch, name), 'float32');
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])];
}

function joinRows(a: { rows?: number }, b: { rows?: number }): number | undefined {
  if (a.rows !== undefined && b.rows !== undefined && a.rows !== b.rows) {
    throw new Error(`objectives with different numbers of per-image values cannot be combined: ${a.rows} and ${b.rows}`);
  }
  return a.rows ?? b.rows;
}

function checkChannel(ch: number, a: tf.Tensor, layer: string): number {
  const n = a.shape[a.rank - 1];
  if (ch >= n) throw new Error(`channel ${ch} is out of range: layer "${layer}" has ${n} channels (0 to ${n - 1})`);
  return ch;
}

/** Channel `perRow[i]` of row i: `[B, h, w]` for feature maps, `[B]` for dense outputs. */
function pickChannels(a: tf.Tensor, perRow: number[], layer: string): tf.Tensor {
  if (a.rank !== 4 && a.rank !== 2) throw new Error(`layer "${layer}" has output shape ${JSON.stringify(a.shape)}; expected feature maps [B, h, w, c] or units [B, c]`);
  perRow.forEach((ch) => checkChannel(ch, a, layer));
  const n = a.shape[a.rank - 1];
  const mask = tf.cast(tf.equal(tf.tensor2d(perRow, [perRow.length, 1], 'int32'), tf.range(0, n, 1, 'int32').reshape([1, n])), 'float32');
  const shaped = a.rank === 4 ? mask.reshape([perRow.length, 1, 1, n]) : mask;
  return tf.sum(tf.mul(a, shaped), a.rank - 1);
}

function classIndexOf(t: number | string, numClasses: number, names: readonly string[] | undefined): number {
  if (typeof t === 'number') {
    if (!Number.isInteger(t) || t < 0 || t >= numClasses) throw new Error(`class ${t} is out of range: the model has ${numClasses} classes (0 to ${numClasses - 1})`);
    return t;
  }
  if (!names) throw new Error(`class "${t}" is a name, but the model has no class names; use a class index 0 to ${numClasses - 1}`);
  const i = names.indexOf(t);
  if (i < 0) throw new Error(`Unknown class name "${t}". Classes: ${names.join(', ')}`);
  return i;
}

function checkTargetShape(where: string, layer: string, got: tf.Tensor, target: tf.Tensor): void {
  const same = got.rank === target.rank && got.shape.slice(1).every((d, i) => d === target.shape[i + 1]);
  if (!same || (target.shape[0] !== 1 && target.shape[0] !== got.shape[0])) {
    throw new Error(`${where}: the target for layer "${layer}" has shape ${JSON.stringify(target.shape)}, but the layer gives ${JSON.stringify(got.shape)} (the target's first dimension must be 1 or ${got.shape[0]})`);
  }
}
