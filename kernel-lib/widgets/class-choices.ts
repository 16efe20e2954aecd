/**
 * The class dropdown of the attribution widgets: one label per class with the model's probability
 * ("Sneaker: 91.2%"), and the widget's one image checked against the model. The initial class is
 * resolved by the one target resolver.
 */
import { tf } from '../tf';
import { valuesOf } from '../core/tensors';
import { imageBytes } from '../render/heatmap';
import { modelClassNames, modelLogits, probabilitiesFromLogits } from '../models/logits';
import { imageBatch, singleImage, checkFinite } from '../models/validate';
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
export async function classChoices(model: tf.LayersModel, image: tf.Tensor, classNames?: string[], target: number | string = 'predicted'): Promise<ClassChoices> {
  const batch = imageBatch(model, image);
  let logits: tf.Tensor2D;
  try {
    logits = tf.tidy(() => modelLogits(model, batch).slice<tf.Tensor2D>([0, 0], [1, -1]));
  } finally {
    batch.dispose();
  }
  try {
    const probabilities = await valuesOf(() => probabilitiesFromLogits(model, logits).reshape([-1]));
    const names = classNames ?? modelClassNames(model) ?? probabilities.map((_, i) => `class ${i}`);
    const labels = probabilities.map((p, i) => `${names[i] ?? `class ${i}`}: ${(100 * p).toFixed(1)}%`);
    const predicted = probabilities.indexOf(Math.max(...probabilities));
    const [initial] = (await resolveTarget(target, logits, names)).classes!;
    return { labels, probabilities, predicted, initial };
  } finally {
    logits.dispose();
  }
}

/** The image of a widget with a class dropdown: the checked image, its RGBA bytes and the dropdown. */
export interface WidgetImage {
  /** `[H, W, C]`, a new tensor the widget owns. */
  image: tf.Tensor3D;
  /** RGBA bytes of the image (values in `valueRange`). */
  bytes: Uint8Array;
  choices: ClassChoices;
}

/** The widget's image `[H, W, C]` (a new tensor), its RGBA bytes and its class dropdown; nothing is left behind on error. */
export async function widgetImage(
  model: tf.LayersModel,
  image: tf.Tensor,
  opts: { classNames?: string[]; target?: number | string; valueRange?: [number, number] } = {},
): Promise<WidgetImage> {
  const single = singleImage(model, image);
  try {
    await checkFinite('image', single);
    return { image: single, bytes: await imageBytes(single, opts.valueRange), choices: await classChoices(model, single, opts.classNames, opts.target) };
  } catch (e) {
    single.dispose();
    throw e;
  }
}
