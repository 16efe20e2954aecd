/**
 * Data workload (issue 5): generating shapesDataset images with their segmentations (object,
 * colour, texture label maps), 1000 images of 64 px per run. Target: 10 000 images in seconds.
 */
import type { tf as TF } from '../../kernel-lib/tf';
import { shapesDataset } from '../../kernel-lib/data/shapes-dataset';
import type { BenchCase, Workload } from '../workload';

function generate(n: number, size: number): BenchCase {
  return {
    label: `${n} images, ${size} px`,
    setup(_tf: typeof TF) {
      let seed = 0;
      return {
        run: async () => {
          const ds = await shapesDataset({ n, size, seed: seed++ });
          const images = ds.images;
          ds.labels.dispose();
          return images;
        },
        dispose: () => undefined,
      };
    },
  };
}

export const shapesGeneration: Workload = {
  name: 'shapes-dataset',
  description: 'shapesDataset generation with segmentations (Broden-lite), 1000 images per run',
  cases: [generate(1000, 64), generate(250, 128)],
};
