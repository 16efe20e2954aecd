/**
 * Bad input gets a clear error naming the bad value and what is allowed, and no public call
 * (successful or failing) leaves tensors behind.
 */
import { tf } from '../../kernel-lib/tf';
import * as lens from '../../kernel-lib';
import { gapNet, randomImages, setupBackend, smallCnn } from './models';

beforeAll(setupBackend);

describe('errors', () => {
  let model: tf.Sequential;
  let x: tf.Tensor4D;
  let gap: tf.Sequential;
  let xg: tf.Tensor4D;
  beforeAll(() => {
    model = smallCnn();
    x = randomImages([1, 8, 8, 2], 51);
    gap = gapNet();
    xg = randomImages([1, 10, 10, 3], 54);
  });
  afterAll(() => tf.dispose([x, xg]));

  const cases: Array<[string, () => Promise<unknown>, RegExp]> = [
    ['rank-2 images', () => lens.saliency(model, tf.zeros([8, 8])), /\[N, 8, 8, 2\].*rank 2/],
    ['rank-5 images', () => lens.occlusion(model, tf.zeros([1, 1, 8, 8, 2])), /rank 5/],
    ['wrong image size', () => lens.gradCam(model, tf.zeros([1, 9, 8, 2])), /\[1,9,8,2\]/],
    ['not a tensor', () => lens.saliency(model, [1, 2, 3] as unknown as tf.Tensor), /must be a tf.Tensor/],
    ['not a model', () => lens.saliency({} as tf.LayersModel, x), /tf.LayersModel/],
    ['class out of range', () => lens.saliency(model, x, { target: 3 }), /target class 3 is out of range: the model has 3 classes \(0 to 2\)/],
    ['negative class', () => lens.occlusion(model, x, { target: -1 }), /out of range/],
    ['class name without names', () => lens.saliency(model, x, { target: 'cat' }), /no class names/],
    ['unknown class name', () => lens.saliency(model, x, { target: 'cow', classNames: ['cat', 'dog', 'bird'] }), /Unknown class name "cow". Classes: cat, dog, bird/],
    ['targets per image', () => lens.saliency(model, x, { target: [0, 1] }), /2 entries but there are 1 images/],
    ['target function shape', () => lens.saliency(model, x, { target: (l) => l }), /one score per image/],
    ['unknown layer', () => lens.gradCam(model, x, { layer: 'conv9' }), /Unknown layer "conv9".*c1 \(Conv2D.*p1 \(MaxPooling2D.*c2.*flat.*out/],
    ['non-spatial layer', () => lens.gradCam(model, x, { layer: 'flat' }), /not a feature map.*c1, p1, c2/],
    ['CAM on a non-GAP net', () => lens.cam(model, x), /global-average-pooled.*Flatten -> Dense.*gradCam/],
    ['channel out of range', () => lens.deconvnet(model, x, { layer: 'c2', channel: 4 }), /channel of layer "c2" must be an integer in \[0, 3\]; got number 4/],
    ['channel without layer', () => lens.guidedBackprop(model, x, { channel: 1 }), /channel needs layer/],
    ['bad patch size', () => lens.occlusion(model, x, { patchSize: 0 }), /patchSize must be an integer in \[1, 8\]; got number 0/],
    ['bad stride', () => lens.occlusion(model, x, { stride: 1.5 }), /stride must be an integer/],
    ['bad fill', () => lens.occlusion(model, x, { fill: 'purple' as never }), /fill must be 'gray', 'mean', 'blur'/],
    ['fill per channel of wrong length', () => lens.occlusion(model, x, { fill: [1, 2, 3] }), /2 numbers \(one per channel\)/],
    ['bad batch size', () => lens.saliency(model, x, { batchSize: 0 }), /batchSize must be an integer >= 1/],
    ['bad reduce', () => lens.saliency(model, x, { reduce: 'median' as never }), /reduce must be one of 'maxAbs', 'sumAbs', 'sum'/],
    ['bad IG steps', () => lens.integratedGradients(model, x, { steps: 0 }), /steps must be an integer >= 1; got number 0/],
    ['bad IG baseline', () => lens.integratedGradients(model, x, { baseline: tf.zeros([3]) }), /baseline of shape \[3\] does not broadcast/],
    ['bad smooth samples', async () => lens.smooth(lens.saliency, { samples: 0 }), /samples must be an integer >= 1; got number 0/],
    ['bad smooth noise', async () => lens.smooth(lens.gradCam, { noise: -1 }), /noise must be a number in \[0, Infinity\]; got number -1/],
    ['smooth without a method', async () => lens.smooth(undefined as never), /smooth needs a method such as lens.saliency/],
    ['smooth: bad target', () => lens.smooth(lens.guidedBackprop)(model, x, { target: 7 }), /target class 7 is out of range/],
    ['Grad-CAM++ bad layer', () => lens.gradCamPlusPlus(model, x, { layer: 'out' }), /not a feature map/],
    ['CAM at another layer', () => lens.cam(gap, xg, { layer: 'conv_a' }), /cam computes its map at "conv_b".*got layer "conv_a"/],
  ];

  it.each(cases)('%s', async (_name, call, message) => {
    const before = tf.memory().numTensors;
    await expect(call()).rejects.toThrow(message);
    // Tensors created by the test case itself (the bad inputs) are the only extra ones.
    expect(tf.memory().numTensors - before).toBeLessThanOrEqual(1);
  });

  it('rendering rejects bad maps and options', async () => {
    await expect(lens.heatmapPNG(tf.zeros([4]))).rejects.toThrow(/rank 2 or 3/);
    await expect(lens.heatmapPNG(tf.zeros([4, 4]), undefined, { colormap: 'rainbow' as never })).rejects.toThrow(/Unknown colormap "rainbow"; choose one of jet, viridis/);
    await expect(lens.heatmapPNG(tf.zeros([2, 4, 4]), undefined, { index: 2 })).rejects.toThrow(/index must be an integer in \[0, 1\]/);
  });
});

describe('no tensor leaks', () => {
  let model: tf.Sequential;
  let gap: tf.Sequential;
  let x: tf.Tensor4D;
  let xg: tf.Tensor4D;
  beforeAll(() => {
    model = smallCnn();
    gap = gapNet();
    x = randomImages([2, 8, 8, 2], 52);
    xg = randomImages([2, 10, 10, 3], 53);
  });
  afterAll(() => tf.dispose([x, xg]));

  const calls: Array<[string, () => Promise<{ dispose(): void }>]> = [
    ['occlusion', () => lens.occlusion(model, x, { patchSize: 3, stride: 2, batchSize: 5 })],
    ['occlusion blur', () => lens.occlusion(model, x, { patchSize: 3, stride: 3, fill: 'blur' })],
    ['saliency', () => lens.saliency(model, x)],
    ['smoothGrad', () => lens.smooth(lens.saliency, { samples: 3 })(model, x, { batchSize: 4 })],
    ['integratedGradients', () => lens.integratedGradients(model, x, { steps: 4 })],
    ['smooth(gradCam)', () => lens.smooth(lens.gradCam, { samples: 2 })(model, x)],
    ['smooth(guidedGradCam)', () => lens.smooth(lens.guidedGradCam, { samples: 2 })(model, x, { target: 1 })],
    ['gradCamPlusPlus', () => lens.gradCamPlusPlus(model, x, { batchSize: 1 })],
    ['target function', () => lens.saliency(model, x, { target: (l) => tf.sub(l.slice([0, 1], [-1, 1]), l.slice([0, 0], [-1, 1])).squeeze([1]) })],
    ['guidedBackprop', () => lens.guidedBackprop(model, x, { target: 1 })],
    ['guidedBackprop feature map', () => lens.guidedBackprop(model, x, { layer: 'c2', position: 'max' })],
    ['deconvnet', () => lens.deconvnet(model, x, { layer: 'c1', channel: 2 })],
    ['cam', () => lens.cam(gap, xg)],
    ['gradCam', () => lens.gradCam(model, x, { layer: 'c1' })],
    ['guidedGradCam', () => lens.guidedGradCam(gap, xg)],
  ];

  it.each(calls)('%s', async (_name, call) => {
    await call().then((r) => r.dispose()); // warm-up (lazily built layer state)
    const before = tf.memory().numTensors;
    const result = await call();
    result.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rendering', async () => {
    const s = await lens.saliency(model, x);
    const before = tf.memory().numTensors;
    await lens.heatmapPNG(s.map, x, { index: 1, colormap: 'viridis' });
    await lens.gradientImagePNG(s.attribution, 0);
    await lens.imagePNG(x, { index: 1 });
    tf.dispose([lens.overlayHeatmap(s.map, x), lens.colorize(s.map, { colormap: 'coolwarm' })]);
    expect(tf.memory().numTensors).toBe(before);
    s.dispose();
  });
});
