/**
 * Reproducibly trains the shipped `shapes-cnn` model (models/shapes-cnn/) on shapesDataset.
 * Run: `npm run train:shapes` (env: EPOCHS, default 12; BATCH, default 32; N, training images,
 * default 8000; OUT, default models/shapes-cnn). Held-out set: 2000 images of seed 2.
 */
import * as path from 'path';
import { initBackend } from '../kernel-lib/backend';
import { shapesDataset } from '../kernel-lib/data/shapes-dataset';
import { SHAPE_NAMES } from '../kernel-lib/data/shapes-vocabulary';
import { shapesCnnArchitecture } from '../kernel-lib/models/architectures';
import { trainAndShip } from './ship-model';

const EPOCHS = Number(process.env.EPOCHS ?? 12);
const BATCH = Number(process.env.BATCH ?? 32);
const N = Number(process.env.N ?? 8000);
const OUT = path.resolve(process.env.OUT ?? path.join(__dirname, '..', 'models', 'shapes-cnn'));

async function main(): Promise<void> {
  const backend = await initBackend();
  const trainSet = shapesDataset({ n: N, seed: 1 });
  const testSet = shapesDataset({ n: 2000, seed: 2 });
  await trainAndShip({
    model: shapesCnnArchitecture(SHAPE_NAMES.length, 64, 1),
    train: { x: trainSet.images, y: trainSet.labels },
    test: { x: testSet.images, y: testSet.labels },
    testName: 'held-out (shapesDataset n 2000, seed 2)',
    epochs: EPOCHS,
    batchSize: BATCH,
    learningRate: 1e-3,
    seed: 1,
    out: OUT,
    backend,
    card: {
      name: 'shapes-cnn',
      summary: 'A small global-average-pooling CNN that names the object shape in shapesDataset scenes; its GAP + dense head makes class activation maps (CAM) exact.',
      data: `shapesDataset ("Broden-lite"): 64x64 RGB procedural scenes, one object per image; class = object shape (${SHAPE_NAMES.join(', ')}); objects in 11 Broden colours, plain or with one of 6 textures, on 6 two-colour scenes, uniform pixel noise 0.03. Training: shapesDataset({ n: ${N}, seed: 1 }); held-out: shapesDataset({ n: 2000, seed: 2 }). Input: [64, 64, 3] floats in [0, 1].`,
      architecture: 'conv1 16@5x5 stride 2 same ReLU -> pool1 max 2x2 -> conv2 32@3x3 same ReLU -> pool2 max 2x2 -> conv3 64@3x3 same ReLU (8x8 maps, receptive field 35 px) -> gap global average pooling -> probs dense 8 softmax (`shapesCnnArchitecture(8, 64, 1)`).',
      training: `${N} training images.`,
      retrain: (e) => `EPOCHS=${e} BATCH=${BATCH} N=${N} npm run train:shapes`,
    },
  });
  trainSet.dispose();
  testSet.dispose();
}

main().catch((e) => { console.error(e); process.exit(1); });
