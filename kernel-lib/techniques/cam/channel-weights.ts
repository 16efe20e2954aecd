/**
 * The class-activation-map family from one hook (as pytorch-grad-cam's `BaseCAM.get_cam_weights`):
 * every member computes the feature maps A `[B, h, w, k]` of a conv layer, a weight per channel
 * α `[B, k]`, and the map Σ_k α_k A_k, optionally rectified and upsampled to the image. Members
 * differ only in {@link CamVariant.weights}: CAM reads the dense head, Grad-CAM averages the
 * gradient, Grad-CAM++ weighs its positive part. One forward pass and (for gradient members) one
 * backward pass from the scores to the layer per chunk: the target is evaluated inside the pass.
 */
import { tf } from '../../tf';
import { forEachChunk } from '../../core/run-control';
import { valuesOf } from '../../core/tensors';
import { chunkSize } from '../../models/batch-size';
import { layerOutputs, runGraph } from '../../models/graph';
import { modelClassNames, modelLogits, numClasses } from '../../models/logits';
import { imageBatch, checkFinite } from '../../models/validate';
import { type Attribution, type AttributionOptions, concatChunks, sliceRows, upsampleMaps, withDispose } from '../common/attribution';
import { planTarget, type TargetValue } from '../common/target';

/** A class activation map: `map` at the image size, `raw` at the conv layer's size. */
export interface ClassActivationMap extends Attribution {
  /** `[N, h, w]`: the map at the resolution of the feature layer. */
  raw: tf.Tensor3D;
  /** The feature layer the map was computed at. */
  layer: string;
}

/** Options of every CAM-family method. */
export interface CamOptions extends AttributionOptions {
  /** The conv layer (name); default the model's last convolutional layer (CAM: the layer before the pooling). */
  layer?: string;
  /** Keep only positive evidence (default true for Grad-CAM and Grad-CAM++, false for CAM as Zhou et al. define it). */
  relu?: boolean;
}

/** What a member's channel-weights function receives for a chunk of rows. */
export interface CamInputs {
  model: tf.LayersModel;
  /** The feature layer. */
  layer: tf.layers.Layer;
  /** A: its feature maps `[B, h, w, k]`. */
  features: tf.Tensor4D;
  /** dS/dA `[B, h, w, k]` of the target score before softmax (members with `gradient: true`), else undefined. */
  gradients: tf.Tensor4D | undefined;
  /** The class of each row (int32 `[B]`), or null when a target function gave its own score. */
  classes: tf.Tensor1D | null;
}

/** One member of the CAM family. */
export interface CamVariant {
  /** The method's name, for errors. */
  name: string;
  /** Whether {@link CamVariant.weights} needs the gradient (one backward pass). */
  gradient: boolean;
  /** The default of `relu`. */
  relu: boolean;
  /** The feature layer for the requested one (default when undefined); throws for layers it cannot use. */
  layer(model: tf.LayersModel, requested: string | undefined): tf.layers.Layer;
  /** α `[B, k]`: the weight of each channel for each row. Called inside a tidy. */
  weights(inputs: CamInputs): tf.Tensor2D;
}

/** Σ_k α_k A_k for one chunk, and the rows' classes (int32, empty when a function gave the score). */
function chunkMaps(model: tf.LayersModel, x: tf.Tensor4D, layer: tf.layers.Layer, variant: CamVariant, evaluate: (logits: tf.Tensor2D) => TargetValue, fixed: number[] | undefined): [tf.Tensor3D, tf.Tensor1D] {
  return tf.tidy(() => {
    const { outputs, values } = layerOutputs(model, x, [layer.name]);
    const features = outputs[layer.name] as tf.Tensor4D;
    const scores = (a: tf.Tensor) => evaluate(runGraph(model, x, { feed: { [layer.name]: a }, known: values, logits: true }).output as tf.Tensor2D);
    let classes: tf.Tensor1D | null = null;
    let gradients: tf.Tensor4D | undefined;
    if (variant.gradient) {
      let kept: tf.Tensor1D | null = null;
      try {
        gradients = tf.grad((a: tf.Tensor) => {
          const v = scores(a);
          kept = v.classes ? tf.keep(v.classes) : null;
          return tf.sum(v.score);
        })(features) as tf.Tensor4D;
      } catch (e) {
        if (kept) (kept as tf.Tensor1D).dispose();
        throw e;
      }
      classes = kept;
    } else {
      // Without a gradient the scores are needed only to find the classes ('predicted', a function).
      classes = fixed ? tf.tensor1d(fixed, 'int32') : scores(features).classes;
    }
    try {
      const alpha = variant.weights({ model, layer, features, gradients, classes });
      const raw = tf.sum<tf.Tensor3D>(tf.mul(features, tf.reshape(alpha, [x.shape[0], 1, 1, -1])), 3);
      return [raw, classes ? tf.clone(classes) : tf.zeros([0], 'int32')] as [tf.Tensor3D, tf.Tensor1D];
    } finally {
      if (variant.gradient && classes) classes.dispose();
    }
  });
}

/**
 * Run a CAM-family member on `images` (see the module comment): chunked, with progress and Stop.
 * @throws for bad images, targets or layers (before any computation).
 */
export async function classActivationMaps(model: tf.LayersModel, images: tf.Tensor, opts: CamOptions, variant: CamVariant): Promise<ClassActivationMap> {
  await checkFinite('images', images);
  const x = imageBatch(model, images);
  const rawParts: tf.Tensor3D[] = [];
  const classParts: tf.Tensor1D[] = [];
  try {
    const layer = variant.layer(model, opts.layer);
    const plan = planTarget(opts.target, x.shape[0], numClasses(model), opts.classNames ?? modelClassNames(model));
    // A target function that fails (a bad class) fails here, outside gradient recording, where
    // tfjs would keep the tensors it saved for the backward pass.
    if (typeof opts.target === 'function') tf.tidy(() => void plan.evaluate(modelLogits(model, x)));
    await forEachChunk(x.shape[0], chunkSize(model, opts, variant.gradient ? 3 : 1), opts, (start, end) => {
      const rows = sliceRows(x, start, end);
      const fixed = plan.fixed?.slice(start, end);
      // Rows of a chunk take their classes from the chunk's own logits; fixed classes are sliced.
      const chunkPlan = fixed ? planTarget(fixed, end - start, numClasses(model)) : plan;
      const evaluate = (logits: tf.Tensor2D) => chunkPlan.evaluate(logits);
      try {
        const [raw, classes] = chunkMaps(model, rows, layer, variant, evaluate, fixed);
        rawParts.push(raw);
        classParts.push(classes);
      } finally {
        rows.dispose();
      }
    });
    const raw = concatChunks(rawParts);
    rawParts.length = 0;
    const read = await valuesOf(() => concatChunks(classParts.splice(0)));
    const classes = plan.fixed ?? (read.length === x.shape[0] ? read : null);
    const relu = opts.relu ?? variant.relu;
    const kept = relu ? tf.tidy(() => tf.relu<tf.Tensor3D>(raw)) : raw;
    if (kept !== raw) raw.dispose();
    return withDispose({ map: upsampleMaps(kept, [x.shape[1], x.shape[2]]), raw: kept, classes, layer: layer.name });
  } finally {
    tf.dispose([x, ...rawParts, ...classParts]);
  }
}
