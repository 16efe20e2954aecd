/**
 * CAM and Grad-CAM: on a global-average-pooled net, Grad-CAM at the last conv layer equals CAM up
 * to a positive scale; CAM itself is checked against the dense weights applied by a loop.
 */
import { tf } from '../../kernel-lib/tf';
import { cam, gradCam, guidedGradCam, guidedBackprop } from '../../kernel-lib/techniques';
import { correlation, expectClose, functionalNet, gapNet, randomImages, setupBackend } from './models';
import { read } from '../support/read';

beforeAll(setupBackend);

describe('CAM and Grad-CAM', () => {
  it('CAM is the class weights applied to the last feature maps (checked by a loop)', async () => {
    const model = gapNet();
    const x = randomImages([2, 10, 10, 3], 21);
    const c = await cam(model, x, { target: [1, 3] });
    expect(c.layer).toBe('conv_b');
    expect(c.raw.shape).toEqual([2, 10, 10]);
    expect(c.map.shape).toEqual([2, 10, 10]);
    const features = await read<number[][][][]>(() => tf.model({ inputs: model.inputs, outputs: model.getLayer('conv_b').output }).predict(x) as tf.Tensor);
    const kernel = (await model.getLayer('probs').getWeights()[0].array()) as number[][];
    const raw = (await c.raw.array());
    [1, 3].forEach((cls, b) => {
      for (const [i, j] of [[0, 0], [4, 7], [9, 9]]) {
        const expected = features[b][i][j].reduce((s, a, k) => s + a * kernel[k][cls], 0);
        expect(raw[b][i][j]).toBeCloseTo(expected, 4);
      }
    });
    c.dispose();
    x.dispose();
  });

  it('Grad-CAM at the last conv layer of a GAP net equals CAM up to a positive scale (correlation > 0.999)', async () => {
    const model = gapNet();
    const x = randomImages([3, 10, 10, 3], 22);
    const c = await cam(model, x);
    const g = await gradCam(model, x, { relu: false });
    expect(g.layer).toBe('conv_b'); // the default: the last conv layer
    expect(g.classes).toEqual(c.classes);
    const [cr, gr] = [(await c.raw.array()), (await g.raw.array())];
    for (let b = 0; b < 3; b++) {
      expect(correlation(cr[b].flat(), gr[b].flat())).toBeGreaterThan(0.999);
      // Positive scale: 1 / (h·w) exactly, since dS/dA_k(i,j) = w_kc / (h·w).
      expectClose(gr[b].flat(), cr[b].flat().map((v) => v / 100), 1e-6, 1e-3);
    }
    // With the ReLU (the paper's Grad-CAM) it equals the rectified CAM up to the same scale.
    const rectified = await gradCam(model, x);
    const camRelu = await cam(model, x, { relu: true });
    for (let b = 0; b < 3; b++) {
      const a = ((await rectified.map.array()))[b].flat();
      const e = ((await camRelu.map.array()))[b].flat();
      if (Math.max(...e) > 0) expect(correlation(a, e)).toBeGreaterThan(0.999);
    }
    for (const r of [c, g, rectified, camRelu, x]) r.dispose();
  });

  it('works on a functional net (skip connection, ReLU layer, softmax Activation) at any spatial layer', async () => {
    const model = functionalNet();
    const x = randomImages([2, 8, 8, 2], 23);
    const c = await cam(model, x, { target: 2 });
    expect(c.layer).toBe('relu');
    const g = await gradCam(model, x, { target: 2, layer: 'relu', relu: false });
    const [cr, gr] = [(await c.raw.array()), (await g.raw.array())];
    for (let b = 0; b < 2; b++) expect(correlation(cr[b].flat(), gr[b].flat())).toBeGreaterThan(0.999);
    const early = await gradCam(model, x, { target: 2, layer: 'fa' });
    expect(early.map.shape).toEqual([2, 8, 8]);
    expect(early.layer).toBe('fa');
    for (const r of [c, g, early, x]) r.dispose();
  });

  it('guided Grad-CAM is guided backprop times the upsampled Grad-CAM', async () => {
    const model = gapNet();
    const x = randomImages([2, 10, 10, 3], 24);
    const gg = await guidedGradCam(model, x, { target: [0, 2] });
    const gb = await guidedBackprop(model, x, { target: [0, 2] });
    const gc = await gradCam(model, x, { target: [0, 2] });
    const expected = tf.tidy(() => tf.mul(gb.attribution, tf.expandDims(gc.map, 3)));
    expectClose((await gg.attribution.data()), (await expected.data()), 1e-7, 1e-4);
    expectClose((await gg.gradCam.data()), (await gc.map.data()), 1e-7, 1e-5);
    for (const r of [gg, gb, gc, expected, x]) r.dispose();
  });
});
