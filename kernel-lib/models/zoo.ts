/**
 * The model zoo: the trained models convlens ships in its `models/` folder, found relative to the
 * installed package (so it works from any notebook folder, from source or from `dist/`).
 */
import * as fs from 'fs';
import * as path from 'path';
import { tf } from '../tf';
import { ensureBackend } from '../core/backend-choice';
import { FASHION_MNIST_CLASSES } from '../data/fashion-mnist';
import { SHAPE_NAMES } from '../data/shapes-vocabulary';
import { loadModelFrom } from './load-model';
import { fileSystem } from './file-io';

/** Names of the shipped models. */
export const ZOO_MODELS = ['fashion-cnn', 'shapes-cnn'] as const;
/** One of {@link ZOO_MODELS}. */
export type ZooModelName = (typeof ZOO_MODELS)[number];

/** What the zoo knows about a shipped model. */
export interface ZooEntry {
  name: ZooModelName;
  /** Class names of the model's outputs, in order. */
  classNames: readonly string[];
  /** Input shape without the batch dimension. */
  inputShape: number[];
  /** What the model was trained on, and its last conv layer (for CAM / Grad-CAM). */
  dataset: string;
  lastConvLayer: string;
  /** Folder holding model.json, weights.bin and MODEL_CARD.md. */
  dir: string;
}

const ENTRIES: Record<ZooModelName, Omit<ZooEntry, 'dir'>> = {
  'fashion-cnn': { name: 'fashion-cnn', classNames: FASHION_MNIST_CLASSES, inputShape: [28, 28, 1], dataset: 'loadFashionMnist()', lastConvLayer: 'conv2' },
  'shapes-cnn': { name: 'shapes-cnn', classNames: SHAPE_NAMES, inputShape: [64, 64, 3], dataset: 'shapesDataset()', lastConvLayer: 'conv3' },
};

/**
 * The folder of shipped models: `$CONVLENS_MODELS` if set, else the `models/` folder of the
 * convlens package (found by walking up from this file to convlens' package.json).
 */
export function modelsDir(): string {
  if (process.env.CONVLENS_MODELS) return path.resolve(process.env.CONVLENS_MODELS);
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg)) {
      try {
        if ((JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: unknown }).name === 'convlens') return path.join(dir, 'models');
      } catch {
        /* not ours; keep walking */
      }
    }
    if (path.dirname(dir) === dir) break;
  }
  throw new Error(`convlens: cannot find the package's models/ folder above ${__dirname}; set CONVLENS_MODELS.`);
}

/** The zoo entry of a shipped model; an unknown name lists the known ones. */
export function zooEntry(name: string): ZooEntry {
  if (!(ZOO_MODELS as readonly string[]).includes(name)) {
    throw new Error(`Unknown zoo model ${JSON.stringify(name)}. Shipped models: ${ZOO_MODELS.join(', ')}.`);
  }
  return { ...ENTRIES[name as ZooModelName], dir: path.join(modelsDir(), name) };
}

/**
 * Loads a shipped model by name (see {@link ZOO_MODELS}), with its class names in the user-defined
 * metadata (`classNames`), so techniques take `target: 'Sneaker'`. The caller disposes it.
 */
export async function loadZooModel(name: ZooModelName): Promise<tf.LayersModel> {
  const entry = zooEntry(name);
  if (!fs.existsSync(path.join(entry.dir, 'model.json'))) throw new Error(`Zoo model ${name} is missing: no model.json in ${entry.dir}.`);
  await ensureBackend();
  const model = await tf.loadLayersModel(fileSystem(entry.dir));
  model.setUserDefinedMetadata({ ...(model.getUserDefinedMetadata() ?? {}), classNames: [...entry.classNames] });
  return model;
}

/**
 * Loads a model: a shipped model by name (`'fashion-cnn'`, `'shapes-cnn'`) as a LayersModel, or
 * any tfjs model from a `file://` / plain path or an `http(s)://` URL (LayersModel or GraphModel
 * per its model.json). The caller disposes it.
 * @example const model = await loadModel('fashion-cnn');
 */
export async function loadModel(source: ZooModelName): Promise<tf.LayersModel>;
export async function loadModel(source: string): Promise<tf.LayersModel | tf.GraphModel>;
export async function loadModel(source: string): Promise<tf.LayersModel | tf.GraphModel> {
  if (typeof source !== 'string' || source.trim() === '') {
    throw new Error(`loadModel: expected a zoo name (${ZOO_MODELS.join(', ')}), a path or a URL, got ${JSON.stringify(source)}.`);
  }
  if ((ZOO_MODELS as readonly string[]).includes(source)) return loadZooModel(source as ZooModelName);
  if (!/^(https?|file):\/\//i.test(source) && !source.includes('/') && !source.endsWith('.json')) {
    throw new Error(`loadModel: ${JSON.stringify(source)} is neither a zoo model (${ZOO_MODELS.join(', ')}) nor a path or URL.`);
  }
  return loadModelFrom(source);
}

/** Shortcuts to the shipped models. */
export const zoo = {
  /** The Fashion-MNIST classifier (28x28x1 input, 10 classes, `conv1` has 32 5x5 filters). */
  fashionCnn: (): Promise<tf.LayersModel> => loadZooModel('fashion-cnn'),
  /** The shapes classifier with a GAP + dense head (64x64x3 input, 8 shape classes). */
  shapesCnn: (): Promise<tf.LayersModel> => loadZooModel('shapes-cnn'),
  /** Names of the shipped models. */
  names: ZOO_MODELS,
  /** Metadata of a shipped model (class names, input shape, folder). */
  entry: zooEntry,
};
