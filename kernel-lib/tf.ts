/**
 * The one TensorFlow.js instance convlens uses. Every module imports `tf` from here, so the
 * library, its backends and the user's notebook share a single tfjs-core engine.
 *
 * The `@tensorflow/tfjs` umbrella registers every gradient (plain tfjs-core does not).
 */
import * as tf from '@tensorflow/tfjs';

export { tf };
export type Tensor = tf.Tensor;
