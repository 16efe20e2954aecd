/**
 * What CAM and Grad-CAM share: a coarse map per image at a conv layer's resolution, shown at the
 * image's resolution.
 */
import { tf } from '../tf';
import { Attribution, upsampleMaps, withDispose } from './attribution';

/** A class activation map: `map` at the image size, `raw` at the conv layer's size. */
export interface ClassActivationMap extends Attribution {
  /** `[N, h, w]`: the map at the resolution of the feature layer. */
  raw: tf.Tensor3D;
  /** The feature layer the map was computed at. */
  layer: string;
}

/** Build the result from a raw map `[N, h, w]` (taken over), optionally rectified, upsampled to `size`. */
export function classActivationMap(raw: tf.Tensor3D, size: [number, number], relu: boolean, classes: number[] | null, layer: string): ClassActivationMap {
  const kept = relu ? tf.tidy(() => tf.relu(raw) as tf.Tensor3D) : raw;
  if (kept !== raw) raw.dispose();
  return withDispose({ map: upsampleMaps(kept, size), raw: kept, classes, layer });
}
