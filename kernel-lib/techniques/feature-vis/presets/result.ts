/** What the presets add to an optimization result: the model's verdict on the images. */
import { tf } from '../../../tf';
import { modelLogits, probabilitiesFromLogits } from '../../target';

/** Class probabilities of `images` `[B, ...]` and the predicted class of each, read back as numbers. */
export async function classify(model: tf.LayersModel, images: tf.Tensor4D): Promise<{ probabilities: number[][]; predicted: number[] }> {
  const probs = tf.tidy(() => probabilitiesFromLogits(model, modelLogits(model, images)));
  try {
    const probabilities = (await probs.array()) as number[][];
    return { probabilities, predicted: probabilities.map((row) => row.indexOf(Math.max(...row))) };
  } finally {
    probs.dispose();
  }
}
