/**
 * The one input validator every technique and widget calls: the model, the images, and class
 * targets (an index or a name). Errors name the argument, the bad value and what is allowed.
 * Layers are looked up in `layers.ts` (`getLayer`, which searches nested models too); plain option
 * values are checked with `core/checks.ts`.
 */
import { tf } from '../tf';
import { describeValue, isTensor } from '../core/checks';

/** The finite-values check lives with the plain value checks; images are checked with it here too. */
export { checkFinite } from '../core/checks';

/** What a caller needs of a model: any tfjs model, a LayersModel, or a LayersModel taking images. */
export type ModelNeed = 'any' | 'layers' | 'images';

/**
 * Check that `model` is a tfjs model; with `need` `'layers'` a `tf.LayersModel`, with `'images'` a
 * LayersModel with one image input `[N, H, W, C]` and one output (what the techniques explain).
 * `where` names the caller in the error.
 * @throws naming the bad value and what the caller needs.
 */
export function checkModel(model: unknown, where: string): tf.LayersModel | tf.GraphModel;
export function checkModel(model: unknown, where: string, need: 'layers' | 'images'): tf.LayersModel;
export function checkModel(model: unknown, where: string, need: ModelNeed = 'any'): tf.LayersModel | tf.GraphModel {
  const isLayers = model instanceof tf.LayersModel;
  if (!isLayers && !(need === 'any' && model instanceof tf.GraphModel)) {
    const allowed = need === 'any' ? 'a tf.LayersModel (tf.sequential, tf.model) or a tf.GraphModel' : 'a tf.LayersModel (tf.sequential or tf.model)';
    const graph = model instanceof tf.GraphModel ? ' (a GraphModel has nodes, not layers)' : '';
    throw new Error(`${where}: expected ${allowed}; got ${describeValue(model)}${graph}`);
  }
  if (need === 'images') {
    const m = model as tf.LayersModel;
    if (m.inputs.length !== 1 || m.outputs.length !== 1) {
      throw new Error(`${where}: only models with one input and one output are supported; this one has ${m.inputs.length} inputs and ${m.outputs.length} outputs`);
    }
    if (m.inputs[0].shape.length !== 4) {
      throw new Error(`${where}: the model input must be images [N, H, W, C]; this model takes ${JSON.stringify(m.inputs[0].shape)}`);
    }
  }
  return model as tf.LayersModel | tf.GraphModel;
}

/**
 * The images as a float32 batch `[N, H, W, C]` that fits the model's input (a new tensor the
 * caller disposes). A single image `[H, W, C]` becomes a batch of one.
 * @throws naming the bad shape and the shape the model takes.
 */
export function imageBatch(model: tf.LayersModel, images: unknown): tf.Tensor4D {
  checkModel(model, 'model', 'images');
  const expected = model.inputs[0].shape;
  const dims = expected.slice(1).map((d) => d ?? 'any').join(', ');
  const want = `[N, ${dims}] or one image [${dims}]`;
  if (!isTensor(images)) throw new Error(`images must be a tf.Tensor ${want}; got ${describeValue(images)}`);
  if (images.rank !== 3 && images.rank !== 4) {
    throw new Error(`images must be ${want}; got rank ${images.rank} with shape ${JSON.stringify(images.shape)}`);
  }
  const s: number[] = images.shape;
  const shape: [number, number, number, number] = images.rank === 3 ? [1, s[0], s[1], s[2]] : [s[0], s[1], s[2], s[3]];
  for (let i = 1; i < 4; i++) {
    const e = expected[i];
    if (e !== null && e !== undefined && e !== shape[i]) {
      throw new Error(`images must be ${want}; got shape ${JSON.stringify(images.shape)}`);
    }
  }
  if (shape[0] === 0) throw new Error('images is an empty batch (N = 0)');
  return tf.tidy(() => tf.reshape<tf.Rank.R4>(tf.cast(images, 'float32'), shape));
}

/**
 * One image `[H, W, C]` from `[H, W, C]` or `[1, H, W, C]`, checked against the model (a new
 * tensor), for widgets that show one image.
 * @throws for a batch of more than one image, and as {@link imageBatch}.
 */
export function singleImage(model: tf.LayersModel, image: unknown): tf.Tensor3D {
  const batch = imageBatch(model, image);
  if (batch.shape[0] !== 1) {
    batch.dispose();
    throw new Error(`The widget shows one image; got a batch of ${batch.shape[0]} (pick one with images.slice([i], [1]))`);
  }
  const single = tf.squeeze<tf.Tensor3D>(batch, [0]);
  batch.dispose();
  return single;
}

/**
 * A class given as an index or a name, as an index: an integer in `[0, numClasses)` or one of
 * `names`.
 * @throws for an out-of-range index, an unknown name (listing the classes), or another value.
 */
export function checkClass(target: unknown, numClasses: number, names: readonly string[] | undefined): number {
  if (typeof target === 'number') {
    if (!Number.isInteger(target)) {
      throw new Error(`target class must be an integer class index 0 to ${numClasses - 1} or a class name; got ${describeValue(target)}`);
    }
    if (target < 0 || target >= numClasses) {
      throw new Error(`target class ${target} is out of range: the model has ${numClasses} classes (0 to ${numClasses - 1})`);
    }
    return target;
  }
  if (typeof target === 'string') {
    if (!names) {
      throw new Error(`target "${target}" is a class name, but the model has no class names; pass opts.classNames or use a class index 0 to ${numClasses - 1}`);
    }
    const i = names.indexOf(target);
    if (i < 0) throw new Error(`Unknown class name "${target}". Classes: ${names.join(', ')}`);
    return i;
  }
  throw new Error(`target must be a class index, a class name, 'predicted' or a function; got ${describeValue(target)}`);
}
