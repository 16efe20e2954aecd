/**
 * Class activation maps (Zhou et al. 2016) for global-average-pooled nets: the class's dense
 * weights applied to the last feature maps, CAM_c(i, j) = Σ_k w_kc · A_k(i, j).
 */
import { tf } from '../tf';
import { AttributionOptions, prepare } from './attribution';
import { ClassActivationMap, classActivationMap } from './class-maps';
import { runGraph } from '../models/graph';
import { gapHead } from '../models/layers';

/** Options of {@link cam}. */
export interface CamOptions extends AttributionOptions {
  /** Clip negative evidence to zero (default false: the CAM as Zhou et al. define it). */
  relu?: boolean;
}

/**
 * CAM of each image for its target class. Needs a net ending in
 * `conv features → GlobalAveragePooling2D → Dense`; for others use {@link gradCam}.
 *
 * @example
 * const c = await lens.cam(shapesModel, images, { target: 'predicted' });
 */
export async function cam(model: tf.LayersModel, images: tf.Tensor, opts: CamOptions = {}): Promise<ClassActivationMap> {
  const head = gapHead(model);
  const { images: x, target } = prepare(model, images, opts);
  try {
    const classes = target.classes;
    if (!classes) throw new Error('cam needs class targets (index, name or predicted); for a target function use gradCam');
    const name = head.features.name;
    const raw = tf.tidy(() => {
      const features = runGraph(model, x, { fetch: [name] }).outputs[name] as tf.Tensor4D;
      const kernel = head.dense.getWeights()[0] as tf.Tensor2D; // [k, classes]
      const weights = tf.transpose(tf.gather(kernel, classes, 1)); // [N, k]
      return tf.sum(tf.mul(features, weights.reshape([x.shape[0], 1, 1, -1])), 3) as tf.Tensor3D;
    });
    return classActivationMap(raw, [x.shape[1], x.shape[2]], opts.relu ?? false, classes, name);
  } finally {
    x.dispose();
  }
}
