/**
 * Saliency, SmoothGrad and Integrated Gradients against independent computations: finite
 * differences of the scores before softmax, and the completeness property of IG.
 */
import { tf } from '../../kernel-lib/tf';
import { integratedGradients, saliency, smooth } from '../../kernel-lib/techniques';
import { modelLogits } from '../../kernel-lib/models/logits';
import { correlation, expectClose, functionalNet, linearHeadCopy, nestedNet, randomImages, setupBackend, smallCnn } from './models';
import { read, readValues } from '../support/read';

beforeAll(setupBackend);

/** Central finite difference of `score(x)` at the given flat pixel indices of image batch `x`. */
async function finiteDifferences(score: (x: tf.Tensor4D) => Promise<number>, x: tf.Tensor4D, indices: number[], eps = 1e-3): Promise<number[]> {
  const base = await x.data();
  const out: number[] = [];
  for (const i of indices) {
    const [up, down] = [eps, -eps].map((step) => {
      const v = Float32Array.from(base);
      v[i] += step;
      return tf.tensor4d(v, x.shape);
    });
    try {
      out.push(((await score(up)) - (await score(down))) / (2 * eps));
    } finally {
      tf.dispose([up, down]);
    }
  }
  return out;
}

describe('saliency', () => {
  it('is the gradient of the score before softmax (finite differences on an independent linear-head copy)', async () => {
    const model = smallCnn();
    const logitsModel = linearHeadCopy(model);
    const x = randomImages([2, 8, 8, 2], 3);
    const target = [2, 0];
    const s = await saliency(model, x, { target });
    // Score of image b for class target[b], computed by the copy whose last layer is linear.
    const g = (await s.attribution.data());
    const perImage = 8 * 8 * 2;
    const indices = [5, 17, 40, 77, 101, 127, perImage + 3, perImage + 60, perImage + 99];
    const score = async (v: tf.Tensor4D) => {
      const out = await read<number[][]>(() => logitsModel.predict(v) as tf.Tensor2D);
      return out[0][target[0]] + out[1][target[1]];
    };
    const fd = await finiteDifferences(score, x, indices);
    expectClose(indices.map((i) => g[i]), fd, 2e-3, 2e-2);
    // The map is max |gradient| over channels.
    const expected = tf.tidy(() => tf.max(tf.abs(s.attribution), 3));
    expectClose((await s.map.data()), (await expected.data()));
    expect(s.classes).toEqual(target);
    for (const r of [s, x, expected]) r.dispose();
  });

  it('takes scores before softmax: logits of a softmax model equal its linear-head copy', async () => {
    const model = smallCnn();
    const copy = linearHeadCopy(model);
    const x = randomImages([3, 8, 8, 2], 4);
    const [a, b] = [await readValues(() => modelLogits(model, x)), await readValues(() => copy.predict(x) as tf.Tensor)];
    expectClose(a, b, 1e-5, 1e-4);
    x.dispose();
  });

  it('runs functional models (skip connection, ReLU layer, softmax Activation) and nested models', async () => {
    for (const model of [functionalNet(), nestedNet()]) {
      const x = randomImages([1, 8, 8, 2], 5);
      // The re-implemented forward agrees with the model's own.
      const [probs, logits] = [await readValues(() => model.predict(x) as tf.Tensor), await readValues(() => tf.softmax(modelLogits(model, x)))];
      expectClose(logits, probs, 1e-6, 1e-4);
      const s = await saliency(model, x, { target: 1 });
      const g = (await s.attribution.data());
      const indices = [0, 9, 33, 70, 127];
      const score = async (v: tf.Tensor4D) => (await readValues(() => modelLogits(model, v)))[1];
      expectClose(indices.map((i) => g[i]), await finiteDifferences(score, x, indices), 2e-3, 2e-2);
      for (const r of [s, x]) r.dispose();
    }
  });

  it('SmoothGrad averages gradients of noisy copies; zero noise gives the plain gradient', async () => {
    const model = smallCnn();
    const x = randomImages([2, 8, 8, 2], 6);
    const plain = await saliency(model, x, { target: 1 });
    const zeroNoise = await smooth(saliency, { samples: 3, noise: 0 })(model, x, { target: 1 });
    expectClose((await zeroNoise.attribution.data()), (await plain.attribution.data()), 1e-6, 1e-4);
    const a = await smooth(saliency, { samples: 8, noise: 0.2, seed: 1 })(model, x, { target: 1, batchSize: 5 });
    const b = await smooth(saliency, { samples: 8, noise: 0.2, seed: 1 })(model, x, { target: 1, batchSize: 5 });
    expectClose((await a.map.data()), (await b.map.data()), 0, 0);
    expect(correlation((await a.map.data()), (await plain.map.data()))).toBeGreaterThan(0.3);
    for (const r of [plain, zeroNoise, a, b, x]) r.dispose();
  });

  it('Integrated Gradients: attributions sum to score(x) - score(baseline), chunked or not', async () => {
    const model = smallCnn();
    const x = randomImages([2, 8, 8, 2], 8);
    const ig = await integratedGradients(model, x, { target: [0, 2], steps: 128, baseline: 0, batchSize: 37 });
    const sums = await readValues(() => tf.sum(ig.attribution, [1, 2, 3]));
    const [sx, s0] = [await read<number[][]>(() => modelLogits(model, x)), await read<number[][]>(() => modelLogits(model, tf.zerosLike(x)))];
    const expected = [sx[0][0] - s0[0][0], sx[1][2] - s0[1][2]];
    expectClose(sums, expected, 2e-3, 2e-2);
    const progress: number[] = [];
    const once = await integratedGradients(model, x, { target: [0, 2], steps: 128, onProgress: (p) => progress.push(p.fraction) });
    expectClose((await once.attribution.data()), (await ig.attribution.data()), 1e-5, 1e-3);
    expect(progress[progress.length - 1]).toBe(1);
    for (const r of [ig, once, x]) r.dispose();
  });
});
