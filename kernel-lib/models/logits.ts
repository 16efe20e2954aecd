/**
 * A classifier's outputs: scores before the softmax (logits), class probabilities, class names.
 */
import { tf } from '../tf';
import { finalSquash, runGraph } from './graph';
import { imageBatch } from './validate';

/** Class names of a model: `classNames` in its user-defined metadata, or a `classNames` property. */
export function modelClassNames(model: tf.LayersModel): string[] | undefined {
  const meta = (model.getUserDefinedMetadata?.() ?? {}) as { classNames?: unknown };
  const own = (model as tf.LayersModel & { classNames?: unknown }).classNames;
  const names: unknown[] | undefined = Array.isArray(meta.classNames) ? meta.classNames : Array.isArray(own) ? own : undefined;
  return names?.map(String);
}

/**
 * Throw unless `model` is a classifier (its output `[batch, classes]`): class scores, targets and
 * class choices need one. The error names the output shape and what works on any model.
 */
export function checkClassifier(model: tf.LayersModel): void {
  if (!(model instanceof tf.LayersModel)) return; // checkModel's error, where the caller checks it
  const shape = model.outputs[0].shape;
  if (shape.length !== 2) {
    throw new Error(
      `model: this needs a classifier, whose output is [batch, classes]; the model's output is [${shape.map((d) => d ?? 'batch').join(', ')}]. ` +
        'End the model with a Flatten or global pooling and a Dense layer, or use what works on any layer: activations, maxActivatingPatches, featureVis channel objectives.',
    );
  }
}

/** The number of classes of a classifier: the size of its output's last axis. @throws when the model is not a classifier. */
export function numClasses(model: tf.LayersModel): number {
  checkClassifier(model);
  const shape = model.outputs[0].shape;
  return shape[shape.length - 1] ?? 0;
}

/**
 * The scores before softmax `[N, classes]` of images `[N, H, W, C]` (or one image `[H, W, C]`)
 * the model takes (the model output when the model has no final softmax/sigmoid). Only the
 * result is left for the caller to dispose; works inside `tf.grad` too.
 */
export function modelLogits(model: tf.LayersModel, images: tf.Tensor4D): tf.Tensor2D {
  checkClassifier(model);
  return tf.tidy(() => runGraph(model, imageBatch(model, images), { logits: true }).output as tf.Tensor2D);
}

/** Class probabilities from scores before softmax: the model's own final squash, softmax when it has none. */
export function probabilitiesFromLogits(model: tf.LayersModel, logits: tf.Tensor2D): tf.Tensor2D {
  return finalSquash(model) === 'sigmoid' ? tf.sigmoid(logits) : tf.softmax(logits);
}
