/**
 * Network dissection workload (issue 15): `dissect` of the shapes-cnn architecture's `conv3`
 * (64 units, 8x8 maps upsampled to 64x64) over shapes concept images of 64 px with their object,
 * colour, texture (pixel) and scene (image-level) labels: both streamed passes (exact top-0.5 %
 * thresholds, IoU counts). `BENCH_DISSECT_N` images per run (default 1000; the figure is
 * 10 000). Its PyTorch peer `dissection` in bench/peers/torch_workloads.py does the same passes
 * (running top-k, bilinear upsampling, one-hot matrix products) on random weights and labels.
 */
import type { tf as TF } from '../../kernel-lib/tf';
import { shapesDataset } from '../../kernel-lib/data/shapes-dataset';
import { shapesCnnArchitecture } from '../../kernel-lib/models/architectures';
import { dissect } from '../../kernel-lib/techniques/dissection/dissect';
import type { BenchCase, Workload } from '../workload';

const n = Number(process.env.BENCH_DISSECT_N ?? 1000);

function dissectionCase(layer: string): BenchCase {
  return {
    label: `${layer}, ${n} images, 64 px`,
    peer: { name: 'dissection', args: { n, size: 64, layer } },
    setup(_tf: typeof TF) {
      const ds = shapesDataset({ n, size: 64, seed: 1 }); // generated during the untimed warm-up
      const model = shapesCnnArchitecture(8, 64, 1);
      return {
        run: async () => {
          await dissect(model, layer, await ds, { batchSize: 64 });
        },
        dispose: () => {
          void ds.then((d) => d.dispose());
          model.dispose();
        },
      };
    },
  };
}

export const dissection: Workload = {
  name: 'dissection',
  description: `dissect shapes-cnn conv3 over ${n} concept images of 64 px (thresholds + IoU passes)`,
  cases: [dissectionCase('conv3')],
};
