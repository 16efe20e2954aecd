/**
 * The max-pool gradient alone (the MaxPoolGrad kernel: convlens' replacement on wasm and webgpu),
 * 2x2/2 pools on the vgg-block's feature-map sizes, 16 channels, batch 8. On wasm each case also
 * times the stock tfjs kernel (wrong on ties and windows <= 0) for the speed ratio.
 */
import type { tf as TF } from '../../kernel-lib/tf';
import { stockKernel } from '../../kernel-lib/kernel-fixes';
import type { BenchCase, Workload } from '../workload';

const channels = 16;
const batch = 8;

function poolGradCase(size: number, kernel: 'convlens' | 'stock'): BenchCase {
  return {
    label: `${batch}x${size}x${size}x${channels}, ${kernel} kernel`,
    setup(tf: typeof TF) {
      const x = tf.randomNormal([batch, size, size, channels], 0, 1, 'float32', 1) as TF.Tensor4D;
      const y = tf.maxPool(x, 2, 2, 'valid');
      const dy = tf.randomNormal(y.shape, 0, 1, 'float32', 2);
      const stock = stockKernel('MaxPoolGrad', tf.getBackend());
      const attrs = { filterSize: 2, strides: 2, pad: 'valid' };
      return {
        run: () =>
          kernel === 'stock' && stock
            ? tf.engine().makeTensorFromTensorInfo(stock({ inputs: { dy, input: x, output: y }, backend: tf.backend(), attrs }))
            : (tf.engine().runKernel('MaxPoolGrad', { dy, input: x, output: y }, attrs) as TF.Tensor),
        dispose: () => tf.dispose([x, y, dy]),
      };
    },
  };
}

export const maxPoolGrad: Workload = {
  name: 'max-pool-grad',
  description: `MaxPoolGrad of a 2x2/2 pool, batch ${batch}, ${channels} channels (stock = the tfjs kernel convlens replaced, where it did)`,
  cases: [poolGradCase(64, 'convlens'), poolGradCase(64, 'stock'), poolGradCase(224, 'convlens'), poolGradCase(224, 'stock')],
};
