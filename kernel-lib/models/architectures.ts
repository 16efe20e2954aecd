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
 * The `shapes-cnn` architecture: conv 16@5x5 stride 2 (`conv1`), 2x2 max-pool, conv 32@3x3
 * (`conv2`), 2x2 max-pool, conv 64@3x3 (`conv3`, 8x8 maps for 64x64 input), global average pooling
 * (`gap`) and one dense softmax layer (`probs`), so class activation maps (CAM) apply directly.
 * Input `[size, size, 3]` in [0, 1].
 */
export function shapesCnnArchitecture(classes: number, size = 64, seed = 1): tf.Sequential {
  const init = seeded(seed);
  return tf.sequential({
    name: 'shapes_cnn',
    layers: [
      tf.layers.conv2d({ name: 'conv1', inputShape: [size, size, 3], filters: 16, kernelSize: 5, strides: 2, padding: 'same', activation: 'relu', kernelInitializer: init() }),
      tf.layers.maxPooling2d({ name: 'pool1', poolSize: 2, strides: 2 }),
      tf.layers.conv2d({ name: 'conv2', filters: 32, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init() }),
      tf.layers.maxPooling2d({ name: 'pool2', poolSize: 2, strides: 2 }),
      tf.layers.conv2d({ name: 'conv3', filters: 64, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init() }),
      tf.layers.globalAveragePooling2d({ name: 'gap' }),
      tf.layers.dense({ name: 'probs', units: classes, activation: 'softmax', kernelInitializer: init() }),
    ],
  });
}
