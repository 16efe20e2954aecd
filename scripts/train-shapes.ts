/**
 * Reproducibly trains the shipped `shapes-cnn` model (models/shapes-cnn/) on shapesDataset.
 * Run: `npm run train:shapes` (env: EPOCHS, default 8; BATCH, default 32; N, training images,
 * default 8000; LR, default 2e-3; OUT, default models/shapes-cnn; RESUME=1 with PRIOR_EPOCHS/PRIOR_LR
 * fine-tunes the weights already in OUT; TRAIN_SEED, default 1, seeds the training images). Held-out set: 2000 images of seed 2.
 */
import * as path from 'path';
import { initBackend } from '../kernel-lib/backend';
import { shapesDataset } from '../kernel-lib/data/shapes-dataset';
import { SHAPE_NAMES } from '../kernel-lib/data/shapes-vocabulary';
import { shapesCnnArchitecture } from '../kernel-lib/models/architectures';
import { fileSystem } from '../kernel-lib/models/file-io';
import { tf } from '../kernel-lib/tf';
import { trainAndShip } from './ship-model';

const EPOCHS = Number(process.env.EPOCHS ?? 8);
const BATCH = Number(process.env.BATCH ?? 32);
const N = Number(process.env.N ?? 8000);
const LR = Number(process.env.LR ?? 2e-3);
/** Seed of the training images (the held-out set is always seed 2). */
const TRAIN_SEED = Number(process.env.TRAIN_SEED ?? 1);
/** RESUME=1 continues from the weights in OUT (fine-tuning); PRIOR_EPOCHS/PRIOR_LR describe how they were made. */
const RESUME = process.env.RESUME === '1';
const OUT = path.resolve(process.env.OUT ?? path.join(__dirname, '..', 'models', 'shapes-cnn'));

async function main(): Promise<void> {
  const backend = await initBackend();
  if (TRAIN_SEED === 2) throw new Error('TRAIN_SEED 2 is the held-out set; pick another seed.');
  const trainSet = await shapesDataset({ n: N, seed: TRAIN_SEED });
  const testSet = await shapesDataset({ n: 2000, seed: 2 });
  await trainAndShip({
    model: RESUME ? await tf.loadLayersModel(fileSystem(OUT)) : shapesCnnArchitecture(SHAPE_NAMES.length, 64, 1),
    resumed: RESUME ? { epochs: Number(process.env.PRIOR_EPOCHS ?? 8), learningRate: Number(process.env.PRIOR_LR ?? 2e-3) } : undefined,
    train: { x: trainSet.images, y: trainSet.labels },
    test: { x: testSet.images, y: testSet.labels },
    testName: 'held-out (shapesDataset n 2000, seed 2)',
    epochs: EPOCHS,
    batchSize: BATCH,
    learningRate: LR,
    seed: 1,
    out: OUT,
    backend,
    card: {
      name: 'shapes-cnn',
      summary: 'A small global-average-pooling CNN that names the object shape in shapesDataset scenes; its GAP + dense head makes class activation maps (CAM) exact.',
      data: `shapesDataset ("Broden-lite"): 64x64 RGB procedural scenes, one object per image; class = object shape (${SHAPE_NAMES.join(', ')}); objects in 11 Broden colours, plain or with one of 6 textures, on 6 two-colour scenes, uniform pixel noise 0.03. Training: shapesDataset({ n: ${N}, seed: ${RESUME ? `1 }), fine-tuning: shapesDataset({ n: ${N}, seed: ${TRAIN_SEED}` : TRAIN_SEED} }); held-out: shapesDataset({ n: 2000, seed: 2 }). Input: [64, 64, 3] floats in [0, 1].`,
      architecture: 'scale (x * 2 - 1) -> conv1 16@3x3 stride 2 same ReLU -> pool1 max 2x2 -> conv2 32@3x3 same ReLU -> pool2 max 2x2 -> conv3 64@3x3 same ReLU (8x8 maps, receptive field 33 px) -> gap global average pooling -> probs dense 8 softmax (`shapesCnnArchitecture(8, 64, 1)`), He-normal conv initialisation.',
      training: `${N} training images.`,
      retrain: (e, lr) => `EPOCHS=${e} LR=${lr} BATCH=${BATCH} N=${N}${lr === LR && RESUME ? ` TRAIN_SEED=${TRAIN_SEED}` : ''} npm run train:shapes`,
    },
  });
  trainSet.dispose();
  testSet.dispose();
}

main().catch((e) => { console.error(e); process.exit(1); });
