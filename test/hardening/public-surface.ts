/**
 * The public surface of `convlens` (the root namespace), one entry per exported function or
 * class: how to call it so it succeeds, and how to make it fail (a bad argument, or a Stop
 * mid-run). The leak and validation tests iterate over the root exports and fail when an
 * exported function or class has no entry here, so a new export must add one.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { tf } from '../../kernel-lib/tf';
import * as lens from '../../kernel-lib';
import type { ShapesDataset } from '../../kernel-lib/data/shapes-dataset';
import type { Dissection } from '../../kernel-lib/techniques/dissection/dissect';
import { gapNet, randomImages, smallCnn } from '../techniques/models';

/** Models, images and files the calls share (made once; never disposed by a call). */
export interface Fixtures {
  /** conv c1 → pool p1 → conv c2 → flatten → dense out (softmax): 8×8×2 in, 3 classes. */
  model: tf.Sequential;
  /** conv_a → conv_b → GAP → dense probs: 10×10×3 in, 4 classes (CAM applies). */
  gap: tf.Sequential;
  /** `[1, 8, 8, 2]` in [0, 1], for `model`. */
  x: tf.Tensor4D;
  /** `[1, 10, 10, 3]` in [0, 1], for `gap`. */
  xg: tf.Tensor4D;
  /** `[2, 8, 8, 2]` and labels `[2]`, for training calls. */
  batch: tf.Tensor4D;
  labels: tf.Tensor1D;
  /** `[6, 5]` map in [0, 1]. */
  map: tf.Tensor2D;
  /** `[6, 5, 3]` RGB image in [0, 1]. */
  rgb: tf.Tensor3D;
  /** PNG bytes of `rgb`. */
  png: Uint8Array;
  /** `[2, 8, 8, 1]` gray images. */
  gray: tf.Tensor4D;
  /** Bad inputs: rank 1 `[3]`, rank 5, `[1, 9, 8, 2]` (wrong size for `model`), `[5, 7, 2]` (not the shape of `map`), `[5]` labels. */
  rank1: tf.Tensor1D;
  rank5: tf.Tensor;
  x9: tf.Tensor4D;
  wide: tf.Tensor3D;
  labels5: tf.Tensor1D;
  /** A shapes dataset (8 images, 16 px), a GAP net for it and a dissection of its `conv_b`. */
  shapes: ShapesDataset;
  gap16: tf.Sequential;
  dissection: Dissection;
  /** `[6, 8, 8, 2]` images (one per row of `map`, as features). */
  six: tf.Tensor4D;
  /** A folder for written files, and a model saved there (`model.json`). */
  dir: string;
  modelDir: string;
}

/** The fixtures' models, which {@link release} never disposes. */
const FIXTURE_MODELS = new Set<unknown>();

/** Make the fixtures (call in `beforeAll`, after the backend is up). */
export async function makeFixtures(): Promise<Fixtures> {
  const model = smallCnn();
  const rgb = tf.randomUniform<tf.Rank.R3>([6, 5, 3], 0, 1, 'float32', 3);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convlens-surface-'));
  const modelDir = path.join(dir, 'model');
  await model.save(lens.fileSystem(modelDir));
  const gap = gapNet();
  const gap16 = gapNet(16, 4);
  FIXTURE_MODELS.add(model).add(gap).add(gap16);
  const shapes = await lens.shapesDataset({ n: 8, size: 16 });
  return {
    shapes,
    gap16,
    dissection: await lens.dissect(gap16, 'conv_b', shapes),
    six: randomImages([6, 8, 8, 2], 15),
    model,
    gap,
    x: randomImages([1, 8, 8, 2], 11),
    xg: randomImages([1, 10, 10, 3], 12),
    batch: randomImages([2, 8, 8, 2], 13),
    labels: tf.tensor1d([0, 2], 'int32'),
    map: tf.randomUniform<tf.Rank.R2>([6, 5], 0, 1, 'float32', 4),
    rgb,
    png: await lens.encodePng(rgb),
    gray: randomImages([2, 8, 8, 1], 14),
    rank1: tf.zeros([3]),
    rank5: tf.zeros([1, 1, 2, 2, 1]),
    x9: tf.zeros([1, 9, 8, 2]),
    wide: tf.zeros([5, 7, 2]),
    labels5: tf.zeros([5], 'int32'),
    dir,
    modelDir,
  };
}

/** Free the fixtures' tensors and files. */
export function disposeFixtures(f: Fixtures): void {
  f.shapes.dispose();
  f.gap16.dispose();
  tf.dispose([f.six, f.x, f.xg, f.batch, f.labels, f.map, f.rgb, f.gray, f.rank1, f.rank5, f.x9, f.wide, f.labels5]);
  f.model.dispose();
  f.gap.dispose();
  fs.rmSync(f.dir, { recursive: true, force: true });
}

/** A signal aborted once the run reported its first progress (a Stop mid-run). */
export function stopAfterFirstProgress(): { signal: AbortSignal; onProgress: () => void } {
  const controller = new AbortController();
  return { signal: controller.signal, onProgress: () => controller.abort() };
}

/** How to call one export. */
export interface SurfaceEntry {
  /** A call that succeeds; what it returns is released by {@link release}. */
  ok?: (f: Fixtures) => unknown;
  /** A call that must throw or reject (a bad argument or a Stop mid-run). */
  fails?: (f: Fixtures) => unknown;
  /** Why there is no `ok` (or no `fails`) call. */
  why?: string;
}

const tiny = { steps: 2 };
const stop = stopAfterFirstProgress;

/** One entry per exported function or class of the root namespace. */
export const SURFACE: Record<string, SurfaceEntry> = {
  // techniques
  occlusion: { ok: (f) => lens.occlusion(f.model, f.x, { patchSize: 4, stride: 4 }), fails: (f) => lens.occlusion(f.model, f.x, { patchSize: 2, stride: 1, batchSize: 2, ...stop() }) },
  saliency: { ok: (f) => lens.saliency(f.model, f.x), fails: (f) => lens.saliency(f.model, f.batch, { batchSize: 1, ...stop() }) },
  saliencySegmentation: { ok: (f) => lens.saliencySegmentation(f.model, f.x, { iterations: 2 }), fails: (f) => lens.saliencySegmentation(f.model, f.x, { iterations: 3, ...stop() }) },
  integratedGradients: { ok: (f) => lens.integratedGradients(f.model, f.x, { steps: 4 }), fails: (f) => lens.integratedGradients(f.model, f.x, { steps: 8, batchSize: 2, ...stop() }) },
  guidedBackprop: { ok: (f) => lens.guidedBackprop(f.model, f.x), fails: (f) => lens.guidedBackprop(f.model, f.batch, { batchSize: 1, ...stop() }) },
  deconvnet: { ok: (f) => lens.deconvnet(f.model, f.x), fails: (f) => lens.deconvnet(f.model, f.x, { layer: 'c2', channel: 9 }) },
  smooth: { ok: (f) => lens.smooth(lens.saliency, { samples: 3, seed: 1 })(f.model, f.x), fails: (f) => lens.smooth(lens.saliency, { samples: 4 })(f.model, f.x, { batchSize: 1, ...stop() }) },
  cam: { ok: (f) => lens.cam(f.gap, f.xg), fails: (f) => lens.cam(f.model, f.x) },
  gradCam: { ok: (f) => lens.gradCam(f.model, f.x), fails: (f) => lens.gradCam(f.model, f.batch, { batchSize: 1, ...stop() }) },
  gradCamPlusPlus: { ok: (f) => lens.gradCamPlusPlus(f.model, f.x), fails: (f) => lens.gradCamPlusPlus(f.model, f.x, { layer: 'out' }) },
  guidedGradCam: { ok: (f) => lens.guidedGradCam(f.model, f.x), fails: (f) => lens.guidedGradCam(f.model, f.x, { target: 7 }) },
  optimizeImage: { ok: (f) => lens.optimizeImage(f.model, lens.objectives.classLogit(1), tiny), fails: (f) => lens.optimizeImage(f.model, lens.objectives.classLogit(1), { ...tiny, steps: 5, ...stop() }) },
  classModel: { ok: (f) => lens.classModel(f.model, 1, tiny), fails: (f) => lens.classModel(f.model, 9, tiny) },
  deepDream: { ok: (f) => lens.deepDream(f.model, f.x, { layer: 'c2', steps: 2, octaves: 1 }), fails: (f) => lens.deepDream(f.model, f.x, { layer: 'nope' }) },
  invertFeatures: { ok: (f) => lens.invertFeatures(f.model, f.x, 'c2', { steps: 2 }), fails: (f) => lens.invertFeatures(f.model, f.x, 'nope', { steps: 2 }) },
  synthesizeTexture: { ok: (f) => lens.synthesizeTexture(f.model, f.x, ['c1'], { steps: 2 }), fails: (f) => lens.synthesizeTexture(f.model, f.x, ['nope'], { steps: 2 }) },
  styleTransfer: { ok: (f) => lens.styleTransfer(f.model, f.x, f.x, ['c1'], { contentLayer: 'c2', steps: 2 }), fails: (f) => lens.styleTransfer(f.model, f.x, f.x, ['c1'], { contentLayer: 'nope', steps: 2 }) },
  adversarial: { ok: (f) => lens.adversarial(f.model, f.x, { method: 'iterative', steps: 2 }), fails: (f) => lens.adversarial(f.model, f.x, { epsilon: -1 }) },
  foolingImages: { ok: (f) => lens.foolingImages(f.model, 0, { steps: 2 }), fails: (f) => lens.foolingImages(f.model, 'no such class', { steps: 2 }) },
  // feature space and dissection
  tsne: { ok: (f) => lens.tsne(f.map, { iterations: 5, perplexity: 2, seed: 1 }), fails: (f) => lens.tsne(f.map, { perplexity: -1 }) },
  nearestNeighbors: { ok: (f) => lens.nearestNeighbors(f.map, [0, 1], { k: 2 }), fails: (f) => lens.nearestNeighbors(f.map, [99]) },
  neighborsView: { ok: (f) => lens.neighborsView(f.six, f.map, { k: 2 }), fails: (f) => lens.neighborsView(f.gray, f.map) },
  tsneScatter: { ok: (f) => lens.tsneScatter(f.map, { iterations: 5, perplexity: 2, seed: 1 }), fails: (f) => lens.tsneScatter(f.map, { iterations: -1 }) },
  activationMaps: { ok: (f) => lens.activationMaps(f.model, 'c1', f.x), fails: (f) => lens.activationMaps(f.model, 'nope', f.x) },
  maxActivatingPatches: { ok: (f) => lens.maxActivatingPatches(f.model, 'c2', f.batch, { k: 2, keepImages: true }), fails: (f) => lens.maxActivatingPatches(f.model, 'c2', f.batch, { batchSize: 1, ...stop() }) },
  dissect: { ok: (f) => lens.dissect(f.gap16, 'conv_b', f.shapes), fails: (f) => lens.dissect(f.gap16, 'conv_b', f.shapes, stop()) },
  dissectionComparison: { ok: (f) => lens.dissectionComparison([f.dissection]), fails: () => lens.dissectionComparison([]) },
  dissectionHistogram: { ok: (f) => lens.dissectionHistogram(f.dissection), fails: () => lens.dissectionHistogram(null as never) },
  // rendering
  colorize: { ok: (f) => lens.colorize(f.map), fails: (f) => lens.colorize(f.map, { colormap: 'rainbow' as never }) },
  overlayHeatmap: { ok: (f) => lens.overlayHeatmap(f.map, f.rgb), fails: (f) => lens.overlayHeatmap(f.map, f.rgb, { opacity: 2 }) },
  heatmapPNG: { ok: (f) => lens.heatmapPNG(f.map, f.rgb), fails: (f) => lens.heatmapPNG(f.map, f.wide) },
  gradientImage: { ok: (f) => lens.gradientImage(f.x), fails: (f) => lens.gradientImage(f.x, 3) },
  gradientImagePNG: { ok: (f) => lens.gradientImagePNG(f.x), fails: (f) => lens.gradientImagePNG(f.x, -1) },
  imagePNG: { ok: (f) => lens.imagePNG(f.rgb), fails: (f) => lens.imagePNG(f.rgb, { valueRange: [1, 0] }) },
  decodeImage: { ok: (f) => lens.decodeImage(f.png), fails: () => lens.decodeImage(new Uint8Array([1, 2, 3, 4])) },
  encodePng: { ok: (f) => lens.encodePng(f.rgb), fails: (f) => lens.encodePng(f.rank5) },
  encodeJpeg: { ok: (f) => lens.encodeJpeg(f.rgb), fails: (f) => lens.encodeJpeg(f.rgb, 0) },
  toDisplayRange: { ok: (f) => lens.toDisplayRange(f.x), fails: (f) => lens.toDisplayRange(f.x, 'nope' as never) },
  tileImages: { ok: (f) => lens.tileImages(f.gray), fails: (f) => lens.tileImages(f.rank1) },
  // data
  readImage: { ok: async (f) => (await lens.writeImage(path.join(f.dir, 'r.png'), f.rgb), lens.readImage(path.join(f.dir, 'r.png'))), fails: (f) => lens.readImage(path.join(f.dir, 'missing.png')) },
  writeImage: { ok: (f) => lens.writeImage(path.join(f.dir, 'w.png'), f.rgb), fails: (f) => lens.writeImage(path.join(f.dir, 'w.bmp'), f.rgb) },
  resizeImages: { ok: (f) => lens.resizeImages(f.x, [4, 4]), fails: (f) => lens.resizeImages(f.x, [0, 4]) },
  channelStats: { ok: (f) => lens.channelStats(f.batch), fails: (f) => lens.channelStats(f.rank1) },
  normalize: { ok: (f) => lens.normalize(f.rgb, lens.IMAGENET_STATS), fails: (f) => lens.normalize(f.x, lens.IMAGENET_STATS) },
  denormalize: { ok: (f) => lens.denormalize(f.rgb, lens.IMAGENET_STATS), fails: (f) => lens.denormalize(f.x, lens.IMAGENET_STATS) },
  loadFashionMnist: { ok: () => lens.loadFashionMnist({ split: 'test', limit: 4, download: false }), fails: () => lens.loadFashionMnist({ split: 'nope' as never }) },
  shapesDataset: { ok: () => lens.shapesDataset({ n: 2, size: 16 }), fails: () => lens.shapesDataset({ size: 3 }) },
  // models
  loadModel: { ok: () => lens.loadModel('shapes-cnn'), fails: () => lens.loadModel('no-such-model' as never) },
  loadLayersModel: { ok: (f) => lens.loadLayersModel(f.modelDir), fails: (f) => lens.loadLayersModel(path.join(f.dir, 'missing')) },
  loadGraphModel: { fails: (f) => lens.loadGraphModel(path.join(f.dir, 'missing')), why: 'no graph model is shipped to load' },
  fileSystem: { ok: (f) => lens.fileSystem(f.dir), fails: () => lens.fileSystem('') },
  listLayers: { ok: (f) => lens.listLayers(f.model), fails: () => lens.listLayers(null as never) },
  getLayer: { ok: (f) => lens.getLayer(f.model, 'c2'), fails: (f) => lens.getLayer(f.model, 'nope') },
  tap: { ok: (f) => lens.tap(f.model, ['c1', 'c2'], f.x), fails: (f) => lens.tap(f.model, ['nope'], f.x) },
  activations: { ok: (f) => lens.activations(f.model, 'c2', f.batch, { batchSize: 1 }), fails: (f) => lens.activations(f.model, 'c2', f.batch, { batchSize: 1, ...stop() }) },
  activationBatches: { ok: (f) => drain(lens.activationBatches(f.model, ['c1'], f.batch, { batchSize: 1 })), fails: (f) => drain(lens.activationBatches(f.model, ['c1'], f.batch, { batchSize: 1, ...stop() })) },
  modelLogits: { ok: (f) => lens.modelLogits(f.model, f.x), fails: (f) => lens.modelLogits(f.model, f.x9) },
  modelClassNames: { ok: (f) => lens.modelClassNames(f.model), fails: () => lens.modelClassNames(null as never) },
  receptiveField: { ok: (f) => lens.receptiveField(f.model, 'c2'), fails: (f) => lens.receptiveField(f.model, 'nope') },
  receptiveFields: { ok: (f) => lens.receptiveFields(f.model), fails: () => lens.receptiveFields({} as never) },
  receptiveFieldBox: { ok: (f) => lens.receptiveFieldBox(f.model, 'c2', [1, 1]), fails: (f) => lens.receptiveFieldBox(f.model, 'c2', [99, 0]) },
  train: { ok: (f) => lens.train(f.model, { x: f.batch, y: f.labels }, { epochs: 1, batchSize: 2 }), fails: (f) => lens.train(f.model, { x: f.batch, y: f.labels }, { epochs: 0 }) },
  evaluate: { ok: (f) => lens.evaluate(f.model, { x: f.batch, y: f.labels }), fails: (f) => lens.evaluate(f.model, { x: f.batch, y: f.labels5 }) },
  accuracy: { ok: (f) => lens.accuracy(f.model, { x: f.batch, y: f.labels }), fails: (f) => lens.accuracy(f.model, { x: f.x, y: f.labels }) },
  initBackend: { ok: () => lens.initBackend({ log: false }), fails: () => lens.initBackend({ backend: 'nope', log: false }) },
  backendReport: { ok: () => lens.backendReport(), why: 'takes no arguments: nothing to get wrong' },
  // convlens widgets
  filterGrid: { ok: (f) => lens.filterGrid(f.model, 'c1'), fails: (f) => lens.filterGrid(f.model, 'flat') },
  imageGrid: { ok: (f) => lens.imageGrid(f.batch), fails: (f) => lens.imageGrid(f.rank1) },
  filterTiles: { ok: (f) => lens.filterTiles(f.model, 'c1'), fails: (f) => lens.filterTiles(f.model, 'nope') },
  occlusionExplorer: { ok: async (f) => ready(await lens.occlusionExplorer(f.model, f.x, { patchSize: 4, stride: 4 })), fails: (f) => lens.occlusionExplorer(f.model, f.x, { patchSize: 0 }) },
  attributionView: { ok: async (f) => ready(await lens.attributionView(f.model, f.x)), fails: (f) => lens.attributionView(f.model, f.x, { target: 9 }) },
  unitExplorer: { ok: (f) => lens.unitExplorer(f.model, 'c1', f.batch, { k: 2, probe: f.x }), fails: (f) => lens.unitExplorer(f.model, 'c1', f.batch, { units: [99] }) },
  epochSlider: {
    ok: async (f) => {
      const snaps = lens.units.trainingSnapshots(f.model, { layers: ['c1'], probe: f.x, initial: true });
      try {
        return await lens.epochSlider(snaps, 'c1');
      } finally {
        snaps.dispose();
      }
    },
    fails: async (f) => {
      const snaps = lens.units.trainingSnapshots(f.model, { layers: ['c1'], initial: true });
      try {
        return await lens.epochSlider(snaps, 'c2');
      } finally {
        snaps.dispose();
      }
    },
  },
  regularizationLab: { ok: (f) => lens.regularizationLab(f.model, { steps: 2 }), fails: (f) => lens.regularizationLab(f.model, { objective: 'nope' as never }) },
  FilterGrid: { ok: (f) => lens.filterGrid(f.model, 'c2'), fails: () => new lens.FilterGrid(undefined as never), why: 'built by filterGrid / imageGrid' },
  // standard controls and helpers
  IntSlider: { ok: () => new lens.IntSlider({ value: 2 }), fails: () => new lens.IntSlider({ min: 5, max: 1 }) },
  FloatSlider: { ok: () => new lens.FloatSlider({ value: 0.5 }), fails: () => new lens.FloatSlider({ value: NaN }) },
  FloatLogSlider: { ok: () => new lens.FloatLogSlider({ value: 10 }), fails: () => new lens.FloatLogSlider({ min: 3, max: 1 }) },
  IntRangeSlider: { ok: () => new lens.IntRangeSlider({ value: [1, 3] }), fails: () => new lens.IntRangeSlider({ value: [1] as never }) },
  Dropdown: { ok: () => new lens.Dropdown({ options: ['a', 'b'] }), fails: () => new lens.Dropdown({ options: 'a' as never }) },
  ToggleButtons: { ok: () => new lens.ToggleButtons({ options: ['a', 'b'] }), fails: () => new lens.ToggleButtons({ options: ['a'], value: 'z' }) },
  Checkbox: { ok: () => new lens.Checkbox({ value: true }), why: 'no run-time check of constructor options yet (cells get TypeScript errors for unknown keys and wrong types)' },
  Button: { ok: () => new lens.Button({ description: 'go' }), why: 'no run-time check of constructor options yet (cells get TypeScript errors for unknown keys and wrong types)' },
  Text: { ok: () => new lens.Text({ value: 'a' }), why: 'no run-time check of constructor options yet (cells get TypeScript errors for unknown keys and wrong types)' },
  Label: { ok: () => new lens.Label({ value: 'a' }), why: 'no run-time check of constructor options yet (cells get TypeScript errors for unknown keys and wrong types)' },
  HTML: { ok: () => new lens.HTML({ value: '<b>a</b>' }), why: 'no run-time check of constructor options yet (cells get TypeScript errors for unknown keys and wrong types)' },
  Image: { ok: (f) => new lens.Image({ value: f.png, format: 'png' }), fails: () => new lens.Image({ value: 'not bytes' as never }) },
  IntProgress: { ok: () => new lens.IntProgress({ value: 1 }), fails: () => new lens.IntProgress({ min: 3, max: 1 }) },
  Play: { ok: () => new lens.Play({ max: 3 }), fails: () => new lens.Play({ min: 3, max: 1 }) },
  HBox: { ok: () => withChild((c) => new lens.HBox([c])), fails: () => new lens.HBox(['not a widget'] as never) },
  VBox: { ok: () => withChild((c) => new lens.VBox([c])), fails: () => new lens.VBox(['not a widget'] as never) },
  Tab: { ok: () => withChild((c) => new lens.Tab([c])), fails: () => new lens.Tab([5] as never) },
  Output: { ok: () => new lens.Output(), why: 'no run-time check of constructor options yet (cells get TypeScript errors for unknown keys and wrong types)' },
  Layout: { ok: () => new lens.Layout({ width: '10px' }), fails: () => new lens.Layout({ nope: '1' } as never) },
  jslink: { ok: () => linked(lens.jslink), fails: () => lens.jslink([null, 'value'] as never, [null, 'value'] as never) },
  jsdlink: { ok: () => linked(lens.jsdlink), fails: () => lens.jsdlink([null, 'value'] as never, [null, 'value'] as never) },
  interact: { ok: () => lens.interact(({ k }) => k, { k: [1, 5] }), fails: () => lens.interact(() => 1, { k: Symbol('x') as never }) },
  progress: { ok: () => lens.progress(3, { display: 'none' }), fails: () => lens.progress(-1) },
  clearOutput: { ok: () => lens.clearOutput(), why: 'takes only a boolean; nothing to get wrong' },
};

/** A container made around a fresh child; both are released. */
function withChild(make: (child: lens.Label) => unknown): unknown[] {
  const child = new lens.Label({ value: 'a' });
  return [make(child), child];
}

/** A link between two fresh sliders; all three are released. */
function linked(link: typeof lens.jslink): unknown[] {
  const a = new lens.IntSlider();
  const b = new lens.IntSlider();
  return [link([a, 'value'], [b, 'value']), a, b];
}

async function drain(iterable: AsyncIterable<unknown>): Promise<number> {
  let n = 0;
  for await (const item of iterable) {
    release(item);
    n++;
  }
  return n;
}

async function ready<W extends { ready(): Promise<void> }>(widget: W): Promise<W> {
  await widget.ready();
  return widget;
}

/** Free what a call returned: tensors (also inside arrays and plain objects), results with dispose(), widgets (closed). */
export function release(value: unknown, seen = new Set<unknown>()): void {
  if (value === null || typeof value !== 'object' || seen.has(value)) return;
  seen.add(value);
  if (value instanceof tf.Tensor) {
    value.dispose();
    return;
  }
  const record = value as Record<string, unknown>;
  if ('inboundNodes' in record) {
    // A layer or a model: a model a call loaded is the caller's to dispose; layers and the fixtures' models are not.
    if (value instanceof tf.LayersModel && !FIXTURE_MODELS.has(value)) value.dispose();
    return;
  }
  if (typeof record.close === 'function' && 'modelId' in record) {
    (record.close as () => void)();
    return;
  }
  if (typeof record.dispose === 'function') {
    (record.dispose as () => void)();
    return;
  }
  if (ArrayBuffer.isView(value)) return;
  for (const v of Array.isArray(value) ? value : Object.values(record)) release(v, seen);
}

/** The names of the root namespace's functions and classes. */
export function exportedCallables(): string[] {
  return Object.keys(lens).filter((name) => typeof (lens as Record<string, unknown>)[name] === 'function').sort();
}
