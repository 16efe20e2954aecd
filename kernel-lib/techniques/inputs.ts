/**
 * Checking what the user passes to a technique: the model (one image input, one output) and the
 * images (a batch `[N, H, W, C]` or one image `[H, W, C]` that fits the model's input).
 */
import { tf } from '../tf';
import { describeValue } from '../core/checks';

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
