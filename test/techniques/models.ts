/**
 * Small handcrafted, seeded models and inputs for the attribution tests.
 */
import { tf } from '../../kernel-lib/tf';
import { initBackend } from '../../kernel-lib/backend';

/** Start the backend chosen by CONVLENS_BACKEND (wasm/cpu), quietly. */
export async function setupBackend(): Promise<void> {
  await initBackend({ log: false });
}

let seedCounter = 1;
const init = () => tf.initializers.glorotUniform({ seed: seedCounter++ });
const positive = (lo = 0.05, hi = 0.5) => tf.initializers.randomUniform({ minval: lo, maxval: hi, seed: seedCounter++ });

/** Seeded uniform random images in [0, 1]. */
export function randomImages(shape: [number, number, number, number], seed = 7): tf.Tensor4D {
  return tf.randomUniform<tf.Rank.R4>(shape, 0, 1, 'float32', seed);
}

/** conv(relu) → maxpool → conv(relu) → flatten → dense(softmax): a small classifier ending in softmax. */
export function smallCnn(size = 8, channels = 2, classes = 3, head: 'softmax' | 'linear' = 'softmax'): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ name: 'c1', inputShape: [size, size, channels], filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(), biasInitializer: tf.initializers.constant({ value: 0.05 }) }),
      tf.layers.maxPooling2d({ name: 'p1', poolSize: 2 }),
      tf.layers.conv2d({ name: 'c2', filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init() }),
      tf.layers.flatten({ name: 'flat' }),
      tf.layers.dense({ name: 'out', units: classes, activation: head, kernelInitializer: init() }),
    ],
  });
}

/** The same network as `model` (a {@link smallCnn}) with a linear last layer: its outputs are the scores before softmax. */
export function linearHeadCopy(model: tf.Sequential): tf.Sequential {
  const [, size, , channels] = model.inputs[0].shape as number[];
  const classes = (model.outputs[0].shape as number[])[1];
  const copy = smallCnn(size, channels, classes, 'linear');
  copy.setWeights(model.getWeights());
  return copy;
}

/** conv(relu) → conv(relu) → global average pooling → dense(softmax): a net CAM applies to. */
export function gapNet(size = 10, classes = 4): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ name: 'conv_a', inputShape: [size, size, 3], filters: 6, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init() }),
      tf.layers.conv2d({ name: 'conv_b', filters: 8, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(), biasInitializer: tf.initializers.constant({ value: 0.1 }) }),
      tf.layers.globalAveragePooling2d({ name: 'gap' }),
      tf.layers.dense({ name: 'probs', units: classes, activation: 'softmax', kernelInitializer: init() }),
    ],
  });
}

/**
 * A functional net with a skip connection, a separate ReLU layer and a separate softmax
 * Activation layer: conv(relu) a → conv b; add(a, b) → ReLU → GAP → dense → softmax.
 */
export function functionalNet(size = 8): tf.LayersModel {
  const input = tf.input({ shape: [size, size, 2], name: 'img' });
  const a = tf.layers.conv2d({ name: 'fa', filters: 3, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init() }).apply(input) as tf.SymbolicTensor;
  const b = tf.layers.conv2d({ name: 'fb', filters: 3, kernelSize: 3, padding: 'same', kernelInitializer: init() }).apply(a) as tf.SymbolicTensor;
  const sum = tf.layers.add({ name: 'skip' }).apply([a, b]) as tf.SymbolicTensor;
  const r = tf.layers.reLU({ name: 'relu' }).apply(sum) as tf.SymbolicTensor;
  const g = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(r) as tf.SymbolicTensor;
  const d = tf.layers.dense({ name: 'dense', units: 3, kernelInitializer: init() }).apply(g) as tf.SymbolicTensor;
  const out = tf.layers.activation({ name: 'softmax', activation: 'softmax' }).apply(d) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}

/** A sequential model whose first layer is another (functional) model: nested models are run through. */
export function nestedNet(size = 8): tf.Sequential {
  const inner = functionalNet(size);
  const outer = tf.sequential();
  outer.add(tf.layers.conv2d({ name: 'pre', inputShape: [size, size, 2], filters: 2, kernelSize: 1, activation: 'relu', kernelInitializer: init() }));
  outer.add(inner);
  return outer;
}

/** No ReLU anywhere (tanh, max pooling, sigmoid-free softmax head): guided backprop must equal the gradient. */
export function noReluNet(size = 8): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ name: 't1', inputShape: [size, size, 2], filters: 3, kernelSize: 3, padding: 'same', activation: 'tanh', kernelInitializer: init() }),
      tf.layers.maxPooling2d({ name: 'tp', poolSize: 2 }),
      tf.layers.conv2d({ name: 't2', filters: 3, kernelSize: 3, padding: 'same', activation: 'elu', kernelInitializer: init() }),
      tf.layers.flatten({}),
      tf.layers.dense({ name: 'tout', units: 3, activation: 'softmax', kernelInitializer: init() }),
    ],
  });
}

/** The region the region net looks at: rows [top, top+size), cols [left, left+size). */
export const REGION = { top: 3, left: 12, size: 6, image: 20 };

/**
 * A net whose output depends only on REGION of its 20x20 input: crop the region, pad it back with
 * zeros, then positive bias-free convs (so activations are zero outside the region), GAP, dense.
 */
export function regionNet(): tf.Sequential {
  const { top, left, size, image } = REGION;
  const bottom = image - top - size;
  const right = image - left - size;
  const model = tf.sequential({
    layers: [
      tf.layers.cropping2D({ name: 'crop', inputShape: [image, image, 1], cropping: [[top, bottom], [left, right]] }),
      tf.layers.zeroPadding2d({ name: 'pad', padding: [[top, bottom], [left, right]] }),
      tf.layers.conv2d({ name: 'rc1', filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', useBias: false, kernelInitializer: positive() }),
      tf.layers.conv2d({ name: 'rc2', filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', useBias: false, kernelInitializer: positive() }),
      tf.layers.globalAveragePooling2d({ name: 'rgap' }),
      tf.layers.dense({ name: 'rout', units: 2, activation: 'softmax' }),
    ],
  });
  // Class 0 grows with every feature, class 1 shrinks: the class-0 score depends on the region's content.
  tf.tidy(() => model.getLayer('rout').setWeights([tf.tensor2d([1, -1, 0.8, -0.8, 1.2, -1.2, 0.9, -0.9], [4, 2]), tf.zeros([2])]));
  return model;
}

/** Pearson correlation of two equally long arrays. */
export function correlation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i] / n;
    mb += b[i] / n;
  }
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

/** Assert two arrays are close: |a - b| <= atol + rtol·|b| elementwise; returns the worst excess. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, atol = 1e-5, rtol = 1e-4): void {
  expect(actual.length).toBe(expected.length);
  const bad: string[] = [];
  for (let i = 0; i < expected.length; i++) {
    if (!(Math.abs(actual[i] - expected[i]) <= atol + rtol * Math.abs(expected[i]))) bad.push(`[${i}] ${actual[i]} vs ${expected[i]}`);
  }
  expect(bad.slice(0, 5)).toEqual([]);
}
