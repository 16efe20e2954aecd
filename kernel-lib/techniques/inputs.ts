/**
 * Checking what the user passes to a technique: the model (one image input, one output) and the
 * images (a batch `[N, H, W, C]` or one image `[H, W, C]` that fits the model's input).
 */
import { tf } from '../tf';

/**
 * @throws unless `model` is a `tf.LayersModel` with one 4-D image input and one output.
 */
export function checkModel(model: tf.LayersModel): void {
  if (!(model instanceof tf.LayersModel)) {
    throw new Error(`Expected a tf.LayersModel (tf.sequential or tf.model); got ${describeValue(model)}`);
  }
  if (model.inputs.length !== 1 || model.outputs.length !== 1) {
    throw new Error(`Only models with one input and one output are supported; this one has ${model.inputs.length} inputs and ${model.outputs.length} outputs`);
  }
  if (model.inputs[0].shape.length !== 4) {
    throw new Error(`The model input must be images [N, H, W, C]; this model takes ${JSON.stringify(model.inputs[0].shape)}`);
  }
}

/**
 * The images as a float32 batch `[N, H, W, C]` (a new tensor the caller disposes). A single image
 * `[H, W, C]` becomes a batch of one.
 * @throws naming the bad shape and the shape the model takes.
 */
export function imageBatch(model: tf.LayersModel, images: tf.Tensor): tf.Tensor4D {
  checkModel(model);
  const expected = model.inputs[0].shape;
  const want = `[N, ${expected.slice(1).map((d) => d ?? 'any').join(', ')}] or one image [${expected.slice(1).map((d) => d ?? 'any').join(', ')}]`;
  if (!(images instanceof tf.Tensor)) throw new Error(`images must be a tf.Tensor ${want}; got ${describeValue(images)}`);
  if (images.rank !== 3 && images.rank !== 4) {
    throw new Error(`images must be ${want}; got rank ${images.rank} with shape ${JSON.stringify(images.shape)}`);
  }
  const shape = images.rank === 3 ? [1, ...images.shape] : images.shape;
  for (let i = 1; i < 4; i++) {
    const e = expected[i];
    if (e !== null && e !== undefined && e !== shape[i]) {
      throw new Error(`images must be ${want}; got shape ${JSON.stringify(images.shape)}`);
    }
  }
  if (shape[0] === 0) throw new Error('images is an empty batch (N = 0)');
  return tf.tidy(() => tf.cast(images, 'float32').reshape(shape) as tf.Tensor4D);
}

/** Short description of any value for error messages. */
export function describeValue(v: unknown): string {
  if (v instanceof tf.Tensor) return `a tensor of shape ${JSON.stringify(v.shape)}`;
  if (v === null || v === undefined) return String(v);
  if (typeof v === 'object') return `an object (${(v as object).constructor?.name ?? 'Object'})`;
  return `${typeof v} ${JSON.stringify(v)}`;
}

/**
 * @throws unless `value` is an integer in [min, max].
 */
export function checkInteger(name: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer in [${min}, ${max}]`;
    throw new Error(`${name} must be ${range}; got ${describeValue(value)}`);
  }
  return value;
}

/**
 * @throws unless `value` is a finite number in [min, max].
 */
export function checkNumber(name: string, value: unknown, min: number, max = Number.POSITIVE_INFINITY): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new Error(`${name} must be a number in [${min}, ${max}]; got ${describeValue(value)}`);
  }
  return value;
}
