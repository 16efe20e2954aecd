import { initBackend, describeBackend } from '../backend';
import { tf } from '../tf';
import { valuesOf } from '../core/tensors';
import { zoo } from '../models';
import { shapesDataset } from '../data';
import { gradCam } from '../techniques/cam/grad-cam';

/** What {@link runSmokeCheck} measured. */
export interface SmokeCheckResult {
  /** The backend line (which backend runs, and why). */
  backend: string;
  images: number;
  /** How many of the images shapes-cnn classified right. */
  correct: number;
  /** Share of the Grad-CAM heat that lies on the object's pixels. */
  heatOnObject: number;
  /** Share of the image the objects cover (what a map blind to the object would put there). */
  objectArea: number;
  /** Wall time of the Grad-CAM call. */
  milliseconds: number;
}

/**
 * The end-to-end check `npm start` runs before opening the notebooks: choose the backend, load the
 * shipped shapes-cnn, generate shapes images, run Grad-CAM on the predicted class, and measure how
 * much of the heat lands on the object (its segmentation is known). Prints one line per step.
 */
export async function runSmokeCheck(log: (line: string) => void = console.log, images = 8): Promise<SmokeCheckResult> {
  const backend = describeBackend(await initBackend({ log: false }));
  log(backend);
  const model = await zoo.shapesCnn();
  const data = await shapesDataset({ n: images, seed: 2026 });
  try {
    const started = performance.now();
    const cam = await gradCam(model, data.images, { target: 'predicted' });
    const milliseconds = performance.now() - started;
    try {
      const [correct, heatOnObject, objectArea] = await valuesOf(() => {
        const predicted = (model.predict(data.images) as tf.Tensor).argMax(-1);
        const right = predicted.equal(data.labels).sum();
        const object = tf.tensor(data.segmentation.object, [images, data.size, data.size]).greater(0).toFloat();
        const heat = cam.map.div(cam.map.sum().add(1e-12)).mul(object).sum();
        return tf.stack([right.toFloat(), heat, object.mean()]);
      });
      const result = { backend, images, correct, heatOnObject, objectArea, milliseconds };
      log(
        `convlens: Grad-CAM on shapes-cnn, ${images} generated images in ${milliseconds.toFixed(0)} ms: ` +
          `${correct}/${images} classified right; ${(100 * heatOnObject).toFixed(0)}% of the heat lies on the objects, ` +
          `which cover ${(100 * objectArea).toFixed(0)}% of the pixels.`,
      );
      return result;
    } finally {
      cam.dispose();
    }
  } finally {
    data.dispose();
    model.dispose();
  }
}
