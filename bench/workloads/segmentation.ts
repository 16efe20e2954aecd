/**
 * Segmentation from saliency: GrabCut (5 rounds: colour GMMs as tensor ops, Dinic min-cut over
 * typed arrays) on a noisy synthetic disc with seeds inside it and outside a margin, at 64 and
 * 224 px, and the whole saliencySegmentation of one shapes-cnn image. No PyTorch peer (the
 * reference is OpenCV's cv2.grabCut, checked in test/reference/grabcut.test.ts).
 */
import type { tf as TF } from '../../kernel-lib/tf';
import { grabCut } from '../../kernel-lib/techniques/attribution/grabcut';
import { saliencySegmentation } from '../../kernel-lib/techniques/attribution/saliency-segmentation';
import { loadZooModel } from '../../kernel-lib/models/zoo';
import { shapesDataset } from '../../kernel-lib/data/shapes-dataset';
import type { BenchCase, Workload } from '../workload';

/** A noisy disc (radius size/4) on a gradient, colours 0..255, and seeds: 1 near its centre, -1 outside radius size/3. */
function disc(tf: typeof TF, size: number): { image: TF.Tensor3D; seeds: TF.Tensor2D } {
  return tf.tidy(() => {
    const yy = tf.range(0, size).reshape([size, 1]).tile([1, size]);
    const xx = tf.range(0, size).reshape([1, size]).tile([size, 1]);
    const c = size / 2;
    const r2 = tf.add(tf.square(tf.sub(yy, c)), tf.square(tf.sub(xx, c)));
    const inside = tf.less(r2, (size / 4) ** 2).cast('float32').expandDims(2);
    const bg = tf.stack([tf.mul(xx, 192 / size), tf.add(tf.mul(yy, 128 / size), 40), tf.fill([size, size], 90)], 2);
    const fg = tf.stack([tf.fill([size, size], 200), tf.fill([size, size], 60), tf.add(tf.mul(xx, 64 / size), 120)], 2);
    const noisy = tf.add(tf.add(tf.mul(fg, inside), tf.mul(bg, tf.sub(1, inside))), tf.randomNormal([size, size, 3], 0, 12, 'float32', 3));
    const image = tf.round(tf.clipByValue(noisy, 0, 255)) as TF.Tensor3D;
    const seeds = tf.sub<TF.Tensor2D>(tf.less(r2, (size / 12) ** 2).cast('float32'), tf.greater(r2, (size / 3) ** 2).cast('float32'));
    return { image, seeds };
  });
}

function grabCutCase(size: number): BenchCase {
  return {
    label: `GrabCut, 5 rounds, ${size} px`,
    setup(tf: typeof TF) {
      const { image, seeds } = disc(tf, size);
      return {
        run: async () => (await grabCut(image, seeds, { iterations: 5 })).mask,
        dispose: () => tf.dispose([image, seeds]),
      };
    },
  };
}

const shapesImage: BenchCase = {
  label: 'saliencySegmentation, shapes-cnn, 64 px',
  setup(tf: typeof TF) {
    let state: { model: TF.LayersModel; image: TF.Tensor4D } | null = null;
    return {
      run: async () => {
        if (!state) {
          const data = await shapesDataset({ n: 1, seed: 5 });
          data.labels.dispose();
          state = { model: await loadZooModel('shapes-cnn'), image: data.images };
        }
        const seg = await saliencySegmentation(state.model, state.image, { blur: 3 });
        const { mask } = seg;
        tf.dispose([seg.saliency, seg.seeds, seg.image]);
        return mask;
      },
      dispose: () => {
        state?.model.dispose();
        state?.image.dispose();
      },
    };
  },
};

export const segmentation: Workload = {
  name: 'grabcut',
  description: 'GrabCut from seeds (64 and 224 px) and saliencySegmentation of a shapes-cnn image',
  cases: [grabCutCase(64), grabCutCase(224), shapesImage],
};
