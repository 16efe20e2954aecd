/**
 * Units workload (issue 14): one `maxActivatingPatches` pass over 10 000 images of 64 px (a
 * 1000-image tensor streamed ten times as an iterable source, so memory stays small) through the
 * shapes-cnn architecture, top-9 patches per unit with receptive-field crops: `conv1` (16 units,
 * 3 px patches) and `conv3` (64 units, 33 px patches). Its PyTorch peer `max_patches` in
 * bench/peers/torch_workloads.py does the same pass (running top-k, gathered crops).
 */
import type { tf as TF } from '../../kernel-lib/tf';
import { shapesCnnArchitecture } from '../../kernel-lib/models/architectures';
import { maxActivatingPatches } from '../../kernel-lib/techniques/units/max-patches';
import type { BenchCase, Workload } from '../workload';

const IMAGES = 10_000;
const CHUNK = 1000;

function maxPatchesCase(layer: string): BenchCase {
  return {
    label: `${layer}, ${IMAGES} images of 64 px, top-9`,
    peer: { name: 'max_patches', args: { images: IMAGES, chunk: CHUNK, layer, k: 9, batch: 200 } },
    setup(tf) {
      const model = shapesCnnArchitecture(8, 64, 1);
      const images = tf.randomUniform([CHUNK, 64, 64, 3], 0, 1, 'float32', 3);
      function* source(): Generator<TF.Tensor> {
        for (let i = 0; i < IMAGES / CHUNK; i++) yield images;
      }
      return {
        run: async () => {
          const r = await maxActivatingPatches(model, layer, source(), { k: 9, batchSize: 200, total: IMAGES });
          const out = [r.values.clone(), r.patches.clone()];
          r.dispose();
          return out;
        },
        dispose: () => {
          images.dispose();
          model.dispose();
        },
      };
    },
  };
}

export const maxPatches: Workload = {
  name: 'max-patches',
  description: 'maxActivatingPatches: one streamed pass over 10 000 images of 64 px, top-9 per unit with crops',
  cases: [maxPatchesCase('conv1'), maxPatchesCase('conv3')],
};
