/**
 * Garbage in gets a clear error: every method in the attribution registry (so methods added later
 * are covered), the feature-visualization presets, modelLogits and both image widgets, called with
 * NaN / Infinity images, null and non-model models, wrong ranks and sizes, empty batches,
 * non-integer targets, unknown layers and a target function returning a bad class. Each error
 * names the argument, the bad value and what is allowed, and leaves no tensors behind.
 */
import { tf } from '../../kernel-lib/tf';
import * as lens from '../../kernel-lib';
import { gapNet, setupBackend } from '../techniques/models';
import { freshTransport } from '../widgets-kernel/frontend';

type ImageCall = (model: tf.LayersModel, images: tf.Tensor, opts: Record<string, unknown>) => unknown;

/** Everything that takes (model, images): the registry's methods, by name, and the rest. */
const IMAGE_CALLS: Record<string, ImageCall> = {
  ...Object.fromEntries(lens.ATTRIBUTION_METHODS.map((m) => [m.name, (model, x, o) => m.run(model, x, o)] as [string, ImageCall])),
  adversarial: (m, x, o) => lens.adversarial(m, x, { steps: 1, ...o }),
  deepDream: (m, x, o) => lens.deepDream(m, x, { layer: 'conv_b', steps: 1, octaves: 1, ...o }),
  invertFeatures: (m, x, o) => lens.invertFeatures(m, x, 'conv_b', { steps: 1, ...o }),
  synthesizeTexture: (m, x, o) => lens.synthesizeTexture(m, x, ['conv_a'], { steps: 1, ...o }),
  styleTransfer: (m, x, o) => lens.styleTransfer(m, x, x, ['conv_a'], { contentLayer: 'conv_b', steps: 1, ...o }),
  modelLogits: (m, x) => lens.modelLogits(m, x as tf.Tensor4D).dispose(),
  saliencySegmentation: (m, x, o) => lens.saliencySegmentation(m, x, { iterations: 1, ...o }),
};

/** The widgets that show one image (their factories check it before making the widget). */
const WIDGETS: Record<string, ImageCall> = {
  occlusionExplorer: (m, x, o) => lens.occlusionExplorer(m, x, o),
  attributionView: (m, x, o) => lens.attributionView(m, x, { methods: ['saliency'], ...o }),
};

/** Takes a `target` option (a class). */
const TAKES_TARGET = new Set([...lens.ATTRIBUTION_METHODS.map((m) => m.name), 'adversarial', 'saliencySegmentation']);
/** Takes a `layer` option naming a layer. */
const TAKES_LAYER = ['gradCam', 'gradCamPlusPlus', 'guidedGradCam', 'deepDream']; // the registry's cam has no layer choice

let model: tf.LayersModel;
let good: tf.Tensor4D;
let nan: tf.Tensor4D;
let inf: tf.Tensor4D;
let rank2: tf.Tensor2D;
let empty: tf.Tensor4D;
let wrongSize: tf.Tensor4D;
/** A model whose output is a feature map, not [batch, classes]. */
let featureMapModel: tf.LayersModel;
beforeAll(async () => {
  await setupBackend();
  freshTransport();
  model = gapNet(10, 4);
  good = tf.randomUniform([1, 10, 10, 3], 0, 1, 'float32', 5);
  const marks = tf.buffer([1, 10, 10, 3], 'float32');
  marks.set(1, 0, 2, 3, 1); // NaN here
  marks.set(2, 0, 7, 7, 0); // Infinity here
  [nan, inf] = tf.tidy(() => {
    const m = marks.toTensor();
    const withInf = tf.where(tf.equal(m, 2), tf.fill(good.shape, Infinity), good);
    return [tf.where(tf.equal(m, 1), tf.fill(good.shape, NaN), withInf), withInf] as tf.Tensor4D[];
  });
  rank2 = tf.zeros([10, 10]);
  empty = tf.zeros([0, 10, 10, 3]);
  wrongSize = tf.zeros([1, 9, 10, 3]);
  featureMapModel = tf.sequential({ layers: [tf.layers.conv2d({ inputShape: [10, 10, 3], filters: 2, kernelSize: 3, name: 'only_conv' })] });
});
afterAll(() => {
  tf.dispose([good, nan, inf, rank2, empty, wrongSize]);
  model.dispose();
  featureMapModel.dispose();
});

async function expectError(call: () => unknown, message: RegExp): Promise<void> {
  const before = tf.memory().numTensors;
  await expect(Promise.resolve().then(call)).rejects.toThrow(message);
  expect(tf.memory().numTensors).toBe(before);
}

const names = Object.keys(IMAGE_CALLS);

describe.each(names)('%s', (name) => {
  const call = IMAGE_CALLS[name];
  const x = name === 'modelLogits' ? '' : 'images|image|style|content';
  // modelLogits scores any numbers (it reads nothing); everything else checks the values.
  if (name !== 'modelLogits') test('rejects NaN and infinite images, saying how many and where', async () => {
    await expectError(() => call(model, nan, {}), new RegExp(`(${x}) must hold finite numbers; got 2 NaN or infinite values \\(the first, NaN, at \\[0, 2, 3, 1\\]`));
    await expectError(() => call(model, inf, {}), new RegExp(`(${x}) must hold finite numbers; got 1 NaN or infinite value \\(the first, Infinity, at \\[0, 7, 7, 0\\]`));
  });
  test('rejects models that are not tf.LayersModels, naming what it got', async () => {
    await expectError(() => call(null as never, good, {}), /model.*expected a tf.LayersModel.*got null/);
    await expectError(() => call({} as never, good, {}), /model.*expected a tf.LayersModel.*got an object \(Object\)/);
  });
  test('rejects images of the wrong rank, size or an empty batch, naming the shape the model takes', async () => {
    await expectError(() => call(model, rank2, {}), /must be .*\[10, 10, 3\].*(got rank 2|got a tensor of shape \[10,10\])/);
    await expectError(() => call(model, wrongSize, {}), /must be .*10, 10, 3.*got (shape )?\[1,9,10,3\]/);
    await expectError(() => call(model, empty, {}), /empty batch/);
  });
  if (TAKES_TARGET.has(name)) test('rejects non-integer and out-of-range targets, and names a bad target function', async () => {
    await expectError(() => call(model, good, { target: 2.5 }), /target class must be an integer class index 0 to 3 or a class name; got number 2.5/);
    await expectError(() => call(model, good, { target: 4 }), /target class 4 is out of range: the model has 4 classes \(0 to 3\)/);
    if (name !== 'adversarial') {
      await expectError(() => call(model, good, { target: () => 9 }), /The target function returned number 9: target class 9 is out of range/);
    }
  });
  if (TAKES_TARGET.has(name) || name === 'modelLogits') test('rejects a model that is not a classifier, naming its output shape', async () => {
    const message = name === 'cam' ? /CAM needs a global-average-pooled net .* this model ends with Conv2D/ : /model: this needs a classifier, whose output is \[batch, classes\]; the model's output is \[batch, 8, 8, 2\]/;
    await expectError(() => call(featureMapModel, good, {}), message);
  });
  if (TAKES_LAYER.includes(name)) test('rejects a layer the model does not have, listing its layers', async () => {
    await expectError(() => call(model, good, { layer: 'nope' }), /"nope".*conv_a.*conv_b/);
  });
});

describe.each(Object.keys(WIDGETS))('%s widget', (name) => {
  const make = WIDGETS[name];
  test('rejects null models, bad and NaN images when made', async () => {
    await expectError(() => make(null as never, good, {}), /model.*expected a tf.LayersModel.*got null/);
    await expectError(() => make(model, rank2, {}), /got rank 2/);
    const before = tf.memory().numTensors;
    await expectError(() => make(model, nan, {}), /image must hold finite numbers; got 2 NaN or infinite values/);
    expect(tf.memory().numTensors).toBe(before);
    await expectError(() => make(featureMapModel, good, {}), /model: this needs a classifier.*\[batch, 8, 8, 2\]/);
  });
});

describe('drawing', () => {
  /** Each draw: the inputs it makes from the bad images (freed by the test), and the call. */
  const draws: Record<string, (bad: tf.Tensor4D) => [tf.Tensor[], () => unknown]> = {
    heatmapPNG: (bad) => {
      const map = bad.slice([0, 0, 0, 1], [1, 10, 10, 1]).reshape([10, 10]);
      return [[map], () => lens.heatmapPNG(map)];
    },
    'heatmapPNG over an image': (bad) => {
      const [map, image] = [good.slice([0, 0, 0, 0], [1, 10, 10, 1]).reshape([10, 10]), bad.squeeze([0])];
      return [[map, image], () => lens.heatmapPNG(map, image)];
    },
    imagePNG: (bad) => [[], () => lens.imagePNG(bad)],
    gradientImagePNG: (bad) => [[], () => lens.gradientImagePNG(bad)],
    imageGrid: (bad) => [[], () => lens.imageGrid(bad)],
  };
  test.each(Object.keys(draws))('%s rejects NaN values, saying where', async (name) => {
    const [inputs, call] = draws[name](nan);
    await expectError(call, /must hold finite numbers; got \d NaN or infinite values? \(the first, NaN, at \[/);
    tf.dispose(inputs);
  });
});
