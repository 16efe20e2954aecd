/**
 * Attribution workloads (issue 6): occlusion of one 224 px image at stride 8 (patch 32, 784
 * occluded copies in memory-sized chunks), Grad-CAM of a batch of 8 224 px images at the last
 * conv layer, and SmoothGrad (50 noisy copies) of one 224 px image. The model is a small
 * global-average-pooled CNN (width w = 8 by default, BENCH_ATTR_WIDTH):
 * conv5x5/2 w → pool → conv3x3 2w → pool → conv3x3 4w → GAP → dense 10. Its PyTorch peer is
 * `gap_cnn` in bench/peers/torch_workloads.py.
 */
import type { tf as TF } from '../../kernel-lib/tf';
import { gradCam, occlusion, saliency, smooth } from '../../kernel-lib/techniques';
import type { BenchCase, Workload } from '../workload';

const width = Number(process.env.BENCH_ATTR_WIDTH ?? 8);
const size = 224;

function gapCnn(tf: typeof TF): TF.LayersModel {
  const init = (seed: number) => tf.initializers.glorotUniform({ seed });
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [size, size, 3], filters: width, kernelSize: 5, strides: 2, padding: 'same', activation: 'relu', kernelInitializer: init(1) }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 2 * width, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(2) }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ name: 'last_conv', filters: 4 * width, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(3) }),
      tf.layers.globalAveragePooling2d({}),
      tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: init(4) }),
    ],
  });
}

/** Multiply-adds of one forward pass of {@link gapCnn}. */
const forwardMacs = (112 * 112 * 25 * 3 * width) + (56 * 56 * 9 * width * 2 * width) + (28 * 28 * 9 * 2 * width * 4 * width);

/**
 * A case that runs `method` on the GAP CNN for random images (`batch` of them, or one `[H, W, 3]`
 * image when `batch` is 0) and returns its map.
 */
function attributionCase(
  fields: Omit<BenchCase, 'setup'>,
  batch: number,
  seed: number,
  method: (model: TF.LayersModel, images: TF.Tensor) => Promise<{ map: TF.Tensor; dispose(): void }>,
): BenchCase {
  return {
    ...fields,
    setup(tf) {
      const model = gapCnn(tf);
      const images = tf.randomUniform(batch ? [batch, size, size, 3] : [size, size, 3], 0, 1, 'float32', seed);
      return {
        run: async () => {
          const r = await method(model, images);
          const out = [r.map.clone()];
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

const occlusionCase = attributionCase(
  {
    label: `${size} px, patch 32, stride 8 (784 copies)`,
    flops: 2 * forwardMacs * (28 * 28 + 1),
    peer: { name: 'occlusion', args: { size, width, patch: 32, stride: 8 } },
  },
  0,
  7,
  (model, image) => occlusion(model, image, { patchSize: 32, stride: 8, target: 0 }),
);

const gradCamCase = attributionCase(
  {
    label: `${size} px, batch 8`,
    // forward + backward to the last conv layer ≈ 2 forward passes
    flops: 2 * 2 * forwardMacs * 8,
    peer: { name: 'grad_cam', args: { size, width, batch: 8 } },
  },
  8,
  8,
  (model, images) => gradCam(model, images, { layer: 'last_conv', target: 'predicted' }),
);

const smoothGradSamples = 50;

/** SmoothGrad of the predicted class: `smooth(saliency, ...)`. */
function smoothGrad(model: TF.LayersModel, image: TF.Tensor, smoothing: { samples: number; noise: number; seed: number }): Promise<{ map: TF.Tensor; dispose(): void }> {
  return smooth(saliency, smoothing)(model, image, { target: 'predicted' });
}

const smoothGradCase = attributionCase(
  {
    label: `${size} px, ${smoothGradSamples} samples`,
    // forward + input gradient ≈ 3 forward passes per noisy copy
    flops: 2 * 3 * forwardMacs * smoothGradSamples,
    peer: { name: 'smooth_grad', args: { size, width, samples: smoothGradSamples, noise: 0.15 } },
  },
  0,
  9,
  (model, image) => smoothGrad(model, image, { samples: smoothGradSamples, noise: 0.15, seed: 1 }),
);

/** Occlusion of one 224 px image at stride 8. */
export const occlusion224: Workload = {
  name: 'occlusion-224',
  description: `occlusion of one ${size} px image, patch 32, stride 8, small GAP CNN (width ${width})`,
  cases: [occlusionCase],
};

/** Grad-CAM of 8 images of 224 px. */
export const gradCam224: Workload = {
  name: 'grad-cam-224',
  description: `Grad-CAM at the last conv layer, 8 images of ${size} px, small GAP CNN (width ${width})`,
  cases: [gradCamCase],
};

/** SmoothGrad (50 noisy copies) of one 224 px image. */
export const smoothGrad224: Workload = {
  name: 'smoothgrad-224',
  description: `SmoothGrad saliency (${smoothGradSamples} noisy copies, noise 0.15) of one ${size} px image, small GAP CNN (width ${width})`,
  cases: [smoothGradCase],
};
