/**
 * A VGG-style block: 4 conv 3x3 (ReLU) + 2 max-pools, forward + gradient w.r.t. the input, batch 8.
 * Channels 3 -> w -> w -> pool -> 2w -> 2w -> pool, w = 16 by default (BENCH_VGG_WIDTH).
 * PyTorch peer: `vgg_block` in bench/peers/torch_workloads.py.
 */
import type { Workload, BenchCase } from '../workload';

const width = Number(process.env.BENCH_VGG_WIDTH ?? 16);
const batch = 8;

function vggCase(size: number): BenchCase {
  const chans = [3, width, width, 2 * width, 2 * width];
  const macs = (s: number, ci: number, co: number) => s * s * 9 * ci * co;
  const forwardMacs = macs(size, 3, width) + macs(size, width, width) + macs(size / 2, width, 2 * width) + macs(size / 2, 2 * width, 2 * width);
  return {
    label: `${size} px, batch ${batch}`,
    // forward + input gradient ≈ 2 convolutions of work per layer (the first layer's input grad included)
    flops: 2 * 2 * forwardMacs * batch,
    peer: { name: 'vgg_block', args: { size, batch, width } },
    setup(tf) {
      const filters = [0, 1, 2, 3].map((i) => tf.variable(tf.randomNormal([3, 3, chans[i], chans[i + 1]], 0, 0.1, 'float32', i), false));
      const x = tf.randomUniform([batch, size, size, 3], 0, 1, 'float32', 42);
      const block = (input: import('@tensorflow/tfjs').Tensor) => {
        let h = input as import('@tensorflow/tfjs').Tensor4D;
        filters.forEach((f, i) => {
          h = tf.relu(tf.conv2d(h, f as import('@tensorflow/tfjs').Tensor4D, 1, 'same'));
          if (i % 2 === 1) h = tf.maxPool(h, 2, 2, 'valid');
        });
        return tf.sum(h);
      };
      const grad = tf.grad(block);
      return {
        run: () => tf.tidy(() => grad(x)),
        dispose: () => tf.dispose([x, ...filters]),
      };
    },
  };
}

export const vggBlock: Workload = {
  name: 'vgg-block',
  description: `VGG-style block (4 conv3x3 + 2 max-pools, width ${width}), forward + input gradient, batch ${batch}`,
  cases: [vggCase(64), vggCase(224)],
};
