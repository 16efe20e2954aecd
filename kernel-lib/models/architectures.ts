/**
 * The architectures of the models convlens ships, as functions, so a notebook can rebuild and
 * retrain them (seeded initial weights make the result reproducible).
 */
import { tf } from '../tf';

function seeded(seed: number) {
  let next = seed;
  return () => tf.initializers.glorotUniform({ seed: next++ });
}

/**
 * The `fashion-cnn` architecture: conv 32@5x5 (`conv1`, a 32-filter grid for visualisation), 2x2
 * max-pool, conv 64@3x3 (`conv2`), 2x2 max-pool, dense 128 (`fc1`), softmax over 10 classes (`logits`).
 * Input `[28, 28, 1]` in [0, 1].
 */
export function fashionCnnArchitecture(seed = 1): tf.Sequential {
  const init = seeded(seed);
  return tf.sequential({
    name: 'fashion_cnn',
    layers: [
      tf.layers.conv2d({ name: 'conv1', inputShape: [28, 28, 1], filters: 32, kernelSize: 5, padding: 'same', activation: 'relu', kernelInitializer: init() }),
      tf.layers.maxPooling2d({ name: 'pool1', poolSize: 2, strides: 2 }),
      tf.layers.conv2d({ name: 'conv2', filters: 64, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init() }),
      tf.layers.maxPooling2d({ name: 'pool2', poolSize: 2, strides: 2 }),
      tf.layers.flatten({ name: 'flatten' }),
      tf.layers.dense({ name: 'fc1', units: 128, activation: 'relu', kernelInitializer: init() }),
      tf.layers.dense({ name: 'probs', units: 10, activation: 'softmax', kernelInitializer: init() }),
    ],
  });
}

/**
 * The `shapes-cnn` architecture: `scale` (maps [0, 1] input to [-1, 1]), `conv1` 16@3x3 stride 2,
 * 2x2 max-pool, `conv2` 32@3x3, 2x2 max-pool, `conv3` 64@3x3 (ReLU, He initialisation; 8x8 maps
 * for 64x64 input, receptive field 33 px), global average pooling (`gap`) and one dense softmax
 * layer (`probs`), so class activation maps (CAM) apply directly to `conv3`.
 * Input `[size, size, 3]` in [0, 1].
 */
export function shapesCnnArchitecture(classes: number, size = 64, seed = 1): tf.Sequential {
  let next = seed;
  const he = () => tf.initializers.heNormal({ seed: next++ });
  const conv = (name: string, filters: number, strides = 1) =>
    tf.layers.conv2d({ name, filters, kernelSize: 3, strides, padding: 'same', activation: 'relu', kernelInitializer: he() });
  return tf.sequential({
    name: 'shapes_cnn',
    layers: [
      tf.layers.rescaling({ name: 'scale', inputShape: [size, size, 3], scale: 2, offset: -1 }),
      conv('conv1', 16, 2),
      tf.layers.maxPooling2d({ name: 'pool1', poolSize: 2, strides: 2 }),
      conv('conv2', 32),
      tf.layers.maxPooling2d({ name: 'pool2', poolSize: 2, strides: 2 }),
      conv('conv3', 64),
      tf.layers.globalAveragePooling2d({ name: 'gap' }),
      tf.layers.dense({ name: 'probs', units: classes, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: next++ }) }),
    ],
  });
}

/**
 * The two nets of the Zeiler & Fergus 2014 first-layer study, on shapes-dataset images
 * `[size, size, 3]`: `'large'` has a large-stride, large first layer (`conv1` 16@11x11 stride 4,
 * as AlexNet's); `'small'` the fix ZF proposed (`conv1` 16@7x7 stride 2, then a 2x2 max-pool), so
 * both reach the same `size / 4` grid. Then `conv2` 32@3x3, 2x2 max-pool, `conv3` 64@3x3, global
 * average pooling, dense softmax. ReLU, He initialisation, seeded.
 */
export function zfStudyArchitecture(firstLayer: 'large' | 'small', classes = 8, size = 64, seed = 1): tf.Sequential {
  if (firstLayer !== 'large' && firstLayer !== 'small') throw new Error(`firstLayer must be 'large' or 'small'; got ${JSON.stringify(firstLayer)}`);
  let next = seed;
  const he = () => tf.initializers.heNormal({ seed: next++ });
  const conv = (name: string, filters: number, kernelSize: number, strides = 1) =>
    tf.layers.conv2d({ name, filters, kernelSize, strides, padding: 'same', activation: 'relu', kernelInitializer: he() });
  const first = firstLayer === 'large'
    ? [conv('conv1', 16, 11, 4)]
    : [conv('conv1', 16, 7, 2), tf.layers.maxPooling2d({ name: 'pool0', poolSize: 2, strides: 2 })];
  return tf.sequential({
    name: `zf_${firstLayer}`,
    layers: [
      tf.layers.inputLayer({ name: 'image', inputShape: [size, size, 3] }),
      ...first,
      conv('conv2', 32, 3),
      tf.layers.maxPooling2d({ name: 'pool1', poolSize: 2, strides: 2 }),
      conv('conv3', 64, 3),
      tf.layers.globalAveragePooling2d({ name: 'gap' }),
      tf.layers.dense({ name: 'probs', units: classes, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: next++ }) }),
    ],
  });
}
