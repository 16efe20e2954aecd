/**
 * Class activation maps (Zhou et al. 2016) for global-average-pooled nets: the class's dense
 * weights applied to the last feature maps, CAM_c(i, j) = Σ_k w_kc · A_k(i, j). The CAM family
 * member whose channel weights need no gradient.
 */
import { tf } from '../../tf';
import { gapHead } from '../../models/layers';
import { type CamOptions, type CamVariant, type ClassActivationMap, classActivationMaps } from './channel-weights';

/** CAM's channel weights: column `class` of the dense head's kernel. */
export const CAM: CamVariant = {
  name: 'cam',
  gradient: false,
  relu: false,
  layer(model, requested) {
    const features = gapHead(model).features;
    if (requested !== undefined && requested !== features.name) {
      throw new Error(`cam computes its map at "${features.name}", the layer before the global average pooling; got layer "${requested}". Use gradCam for other layers.`);
    }
    return features;
  },
  weights({ model, classes }) {
    if (!classes) throw new Error('cam needs class targets (index, name or predicted); for a target function use gradCam');
    const kernel = gapHead(model).dense.getWeights()[0] as tf.Tensor2D; // [k, classes]
    return tf.gather<tf.Tensor2D>(tf.transpose(kernel), classes);
  },
};

/**
 * CAM of each image for its target class. Needs a net ending in
 * `conv features → GlobalAveragePooling2D → Dense`; for others use `gradCam`. `relu` defaults to
 * false (the CAM as Zhou et al. define it).
 *
 * @example
 * const c = await lens.cam(shapesModel, images, { target: 'predicted' });
 */
export function cam(model: tf.LayersModel, images: tf.Tensor, opts: CamOptions = {}): Promise<ClassActivationMap> {
  return classActivationMaps(model, images, opts, CAM);
}
