/**
 * Feature visualization (issue 12): steps of the optimization loop (`optimizeImage`: jitter, forward,
 * gradient of a class score with respect to the image, L1-normalised SGD step, L2 decay, Gaussian
 * blur every 4 steps, clipping to [0, 1]) on one image of 64 px and of 224 px. The model is a
 * VGG-style block with a classifier head: conv3x3 16 → conv3x3 16 → pool → conv3x3 32 → conv3x3 32
 * → pool → GAP → dense 10 (He-normal, seeded). Each run takes STEPS steps (default 10,
 * BENCH_FV_STEPS); steps per second = STEPS / median seconds. The same loop in PyTorch:
 * `feature_vis` in bench/peers/torch_workloads.py (`npm run bench -- feature-vis --peers`).
 */
import type { tf as TF } from '../../kernel-lib/tf';
import { blur, classLogit, clipRange, jitter, l2Decay, optimizeImage } from '../../kernel-lib/techniques';
import type { BenchCase, Workload } from '../workload';

const STEPS = Number(process.env.BENCH_FV_STEPS ?? 10);

/** The benchmark net at `size` px. */
export function featureVisNet(tf: typeof TF, size: number): TF.LayersModel {
  const he = (seed: number) => tf.initializers.heNormal({ seed });
  const conv = (filters: number, seed: number, first = false) =>
    tf.layers.conv2d({ ...(first ? { inputShape: [size, size, 3] } : {}), filters, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: he(seed) });
  return tf.sequential({
    layers: [conv(16, 1, true), conv(16, 2), tf.layers.maxPooling2d({ poolSize: 2 }), conv(32, 3), conv(32, 4), tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.globalAveragePooling2d({}), tf.layers.dense({ units: 10, kernelInitializer: tf.initializers.glorotUniform({ seed: 5 }) })],
  });
}

function stepsCase(size: number): BenchCase {
  const macs = size * size * 9 * (3 * 16 + 16 * 16) + (size / 2) * (size / 2) * 9 * (16 * 32 + 32 * 32);
  return {
    label: `${size} px, ${STEPS} steps`,
    flops: 2 * 2 * macs * STEPS,
    peer: { name: 'feature_vis', args: { size, steps: STEPS } },
    setup(tf) {
      const model = featureVisNet(tf, size);
      return {
        run: async () => {
          const r = await optimizeImage(model, classLogit(3), {
            steps: STEPS, lr: 0.02, optimizer: 'sgd', normalizeGradient: 'l1', seed: 1,
            param: { type: 'pixels', init: 'zeros', mean: 0.5 },
            transforms: [jitter(2)], regularizers: [l2Decay(0.0001), blur(0.5, 4), clipRange()],
          });
          return r.images;
        },
        dispose: () => model.dispose(),
      };
    },
  };
}

export const featureVis: Workload = {
  name: 'feature-vis',
  description: `optimizeImage steps (jitter, class-score gradient, L1-normalised SGD, L2 decay, blur every 4, clip), one image, ${STEPS} steps a run`,
  cases: [stepsCase(64), stepsCase(224)],
};
