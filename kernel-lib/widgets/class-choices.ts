/**
 * The class dropdown of the attribution widgets: one label per class with the model's probability
 * ("Sneaker: 91.2%"), and the widget's one image checked against the model. The initial class is
 * resolved by the one target resolver.
 */
import { tf } from '../tf';
import { valuesOf } from '../core/tensors';
import { modelClassNames, modelLogits, probabilitiesFromLogits } from '../models/logits';
import { imageBatch, singleImage } from '../models/validate';
import { resolveTarget } from '../techniques/common/target';

/** The class dropdown: one label per class ("Sneaker: 91.2%"), the predicted class and the initial one. */
export interface ClassChoices {
  labels: string[];
  probabilities: number[];
  predicted: number;
  /** The class to show first: `target` resolved (index, name or 'predicted'). */
  initial: number;
}

/**
 * Class labels with the model's probabilities for `image` (`[H, W, C]` or `[1, H, W, C]`), and
 * `target` (index, class name or 'predicted', the default) resolved to an index by the one
 * target resolver.
 * @throws naming the bad target and the allowed classes.
 */
export function classChoices(model: tf.LayersModel, image: tf.Tensor, classNames?: string[], target: number | string = 'predicted'): ClassChoices {
  const batch = imageBatch(model, image);
  const logits = tf.tidy(() => modelLogits(model, batch).slice<tf.Tensor2D>([0, 0], [1, -1]));
  batch.dispose();
  try {
    const probabilities = valuesOf(() => probabilitiesFromLogits(model, logits).reshape([-1]));
    const names = classNames ?? modelClassNames(model) ?? probabilities.map((_, i) => `class ${i}`);
    const labels = probabilities.map((p, i) => `${names[i] ?? `class ${i}`}: ${(100 * p).toFixed(1)}%`);
    const predicted = probabilities.indexOf(Math.max(...probabilities));
    const [initial] = resolveTarget(target, logits, names).classes!;
    return { labels, probabilities, predicted, initial };
  } finally {
    logits.dispose();
  }
}

/** The widget's image `[H, W, C]` (a new tensor) and its class dropdown; nothing is left behind on error. */
export function widgetImage(model: tf.LayersModel, image: tf.Tensor, classNames?: string[], target?: number | string): { image: tf.Tensor3D; choices: ClassChoices } {
  const single = singleImage(model, image);
  try {
    return { image: single, choices: classChoices(model, single, classNames, target) };
  } catch (e) {
    single.dispose();
    throw e;
  }
}
