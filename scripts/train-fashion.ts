/**
 * Reproducibly trains the shipped `fashion-cnn` model (models/fashion-cnn/) on Fashion-MNIST.
 * Run: `npm run train:fashion` (env: EPOCHS, default 4; BATCH, default 64; OUT, default
 * models/fashion-cnn; LIMIT, to smoke-test on fewer training images).
 */
import * as path from 'path';
import { initBackend } from '../kernel-lib/backend';
import { loadFashionMnist, FASHION_MNIST_CLASSES } from '../kernel-lib/data/fashion-mnist';
import { fashionCnnArchitecture } from '../kernel-lib/models/architectures';
import { trainAndShip } from './ship-model';

const EPOCHS = Number(process.env.EPOCHS ?? 4);
const BATCH = Number(process.env.BATCH ?? 64);
const OUT = path.resolve(process.env.OUT ?? path.join(__dirname, '..', 'models', 'fashion-cnn'));

async function main(): Promise<void> {
  const backend = await initBackend();
  const trainSet = await loadFashionMnist({ split: 'train', limit: process.env.LIMIT ? Number(process.env.LIMIT) : undefined });
  const testSet = await loadFashionMnist({ split: 'test' });
  await trainAndShip({
    model: fashionCnnArchitecture(1),
    train: { x: trainSet.images, y: trainSet.labels },
    test: { x: testSet.images, y: testSet.labels },
    testName: 'test (10 000 images)',
    epochs: EPOCHS,
    batchSize: BATCH,
    learningRate: 1e-3,
    seed: 1,
    out: OUT,
    backend,
    card: {
      name: 'fashion-cnn',
      summary: 'A small convolutional classifier of Fashion-MNIST clothing images, with a 32-filter 5x5 first layer for filter grids.',
      data: 'Fashion-MNIST (Zalando Research): 60 000 training and 10 000 test grey 28x28 images, 10 classes: ' + FASHION_MNIST_CLASSES.join(', ') + '. Read with `loadFashionMnist()` from Debian\'s dataset-fashion-mnist (/usr/share/datasets/fashion-mnist) or $CONVLENS_DATA. Input: [28, 28, 1] floats in [0, 1] (pixel / 255), no mean/std normalisation.',
      architecture: 'conv1 32@5x5 same ReLU -> pool1 max 2x2 -> conv2 64@3x3 same ReLU -> pool2 max 2x2 -> flatten -> fc1 dense 128 ReLU -> probs dense 10 softmax (`fashionCnnArchitecture(1)`), 422k parameters.',
      training: 'All 60 000 training images.',
      retrain: (e) => `EPOCHS=${e} BATCH=${BATCH} npm run train:fashion`,
    },
  });
  trainSet.dispose();
  testSet.dispose();
}

main().catch((e) => { console.error(e); process.exit(1); });
